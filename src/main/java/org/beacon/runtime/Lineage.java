package org.beacon.runtime;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * What a table was built from: the Delta version of each input table, the checksum of each input file
 * and a fingerprint of the settings that shape the output. Stored as the user metadata of the Delta
 * commit that wrote the table, so a published figure can be traced (and rebuilt by time travel), and a
 * re-run whose inputs are unchanged writes nothing.
 */
public final class Lineage {
  private final Map<String, String> inputs = new TreeMap<>();

  private Lineage() {}

  public static Lineage of(Settings settings) {
    Lineage l = new Lineage();
    l.inputs.put("settings", settings.fingerprint());
    return l;
  }

  public Lineage table(SparkSession spark, Settings settings, TableName table) {
    inputs.put(table.qualified(), String.valueOf(Tables.version(spark, settings, table)));
    return this;
  }

  public Lineage file(String name, String checksum) {
    inputs.put(name, checksum);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    inputs.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append('@').append(v));
    return sb.toString();
  }
}
