package org.beacon.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Column checks for transforms: a missing input column fails with a sentence naming it. */
public final class Columns {
  private Columns() {}

  public static void require(Dataset<Row> data, String transform, List<String> columns) {
    Set<String> present = Set.of(data.columns());
    Set<String> missing = new TreeSet<>();
    for (String c : columns) {
      if (!present.contains(c)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      throw new BeaconException(transform + " needs the column(s) " + missing + ", which its input lacks (it has "
          + Arrays.toString(data.columns()) + ").");
    }
  }

  /** Column names as the Scala sequence Dataset.join(other, usingColumns) takes. */
  public static scala.collection.immutable.Seq<String> seq(String... columns) {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(columns)).toList();
  }
}
