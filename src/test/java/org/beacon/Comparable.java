package org.beacon;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;

import java.util.Arrays;
import java.util.Collection;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DoubleType;

/**
 * A table's columns made comparable across two builds: doubles to ten significant digits, since two
 * correct builds may add the same numbers in another order (a scheduled run reads its rows from more files)
 * and differ in the last bits.
 */
public final class Comparable {
  private Comparable() {}

  /** The columns of d, less the excluded ones, doubles as text with ten significant digits. */
  public static Column[] columns(Dataset<Row> d, Collection<String> excluded) {
    return Arrays.stream(d.schema().fields()).filter(f -> !excluded.contains(f.name()))
        .map(f -> f.dataType() instanceof DoubleType ? format_string("%.9e", col(f.name())).as(f.name()) : col(f.name()))
        .toArray(Column[]::new);
  }
}
