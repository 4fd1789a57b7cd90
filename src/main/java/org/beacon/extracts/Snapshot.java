package org.beacon.extracts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/**
 * The tables an extract reads, each pinned at the Delta version current when the extract began, so
 * every number it publishes can be rebuilt later with VERSION AS OF.
 */
final class Snapshot {
  private final SparkSession spark;
  private final Settings settings;
  private final Map<TableName, Long> versions = new LinkedHashMap<>();

  private Snapshot(SparkSession spark, Settings settings) {
    this.spark = spark;
    this.settings = settings;
  }

  /** Pins the tables that exist; an extract leaves out the sections whose tables are missing. */
  static Snapshot of(SparkSession spark, Settings settings, List<TableName> tables) {
    Snapshot s = new Snapshot(spark, settings);
    for (TableName t : tables) {
      if (Tables.exists(settings, t)) {
        s.versions.put(t, Tables.version(spark, settings, t));
      }
    }
    return s;
  }

  boolean has(TableName table) {
    return versions.containsKey(table);
  }

  Dataset<Row> read(TableName table) {
    Long version = versions.get(table);
    if (version == null) {
      throw new BeaconException("The table " + table + " does not exist yet in " + settings.lakehouse()
          + ": run jobs/beacon build (or run) before extracting.");
    }
    return Tables.read(spark, settings, table, version);
  }

  /** "layer.table@version" for every pinned table, joined by ", ". */
  String describe() {
    return describe(List.copyOf(versions.keySet()));
  }

  /** "layer.table@version" for the given tables that are pinned, joined by ", ". */
  String describe(List<TableName> tables) {
    StringBuilder sb = new StringBuilder();
    for (TableName t : tables) {
      if (versions.containsKey(t)) {
        sb.append(sb.length() == 0 ? "" : ", ").append(t.qualified()).append('@').append(versions.get(t));
      }
    }
    return sb.toString();
  }

  Map<String, Long> versions() {
    Map<String, Long> out = new LinkedHashMap<>();
    versions.forEach((t, v) -> out.put(t.qualified(), v));
    return out;
  }
}
