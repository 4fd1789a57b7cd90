package org.beacon.runtime;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes the lakehouse's Delta tables and keeps the catalog in step with the folders. */
public final class Tables {
  private static final Logger LOG = LoggerFactory.getLogger(Tables.class);

  private static final int LATEST_COMMITS = 8;

  private Tables() {}

  public static Path location(Settings settings, TableName table) {
    return settings.lakehouse().resolve(table.layer()).resolve(table.name());
  }

  /**
   * Creates the layer schemas and registers every Delta folder of the lakehouse by name. The folders
   * are the truth; the catalog is an index of them, so a lost or replaced metastore heals itself here.
   */
  static void registerLakehouse(SparkSession spark, Settings settings) {
    for (String layer : TableName.LAYERS) {
      Path dir = settings.lakehouse().resolve(layer);
      spark.sql("CREATE DATABASE IF NOT EXISTS " + layer + " LOCATION '" + dir.toUri() + "'");
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> children = Files.list(dir)) {
        children.filter(p -> Files.isDirectory(p.resolve("_delta_log")))
            .forEach(p -> register(spark, settings, new TableName(layer, p.getFileName().toString())));
      } catch (IOException e) {
        throw new BeaconException("Cannot list the lakehouse folder " + dir + ": " + e.getMessage() + ".", e);
      }
    }
  }

  private static void register(SparkSession spark, Settings settings, TableName table) {
    var catalog = spark.sharedState().externalCatalog();
    java.net.URI wanted = location(settings, table).toUri();
    if (catalog.tableExists(table.layer(), table.name())) {
      if (Path.of(catalog.getTable(table.layer(), table.name()).location()).equals(Path.of(wanted))) {
        return;
      }
      // The name points at another lakehouse's folder (a catalog shared across lakehouses): re-point it.
      // The table is external, so dropping the entry leaves every file in place.
      spark.sql("DROP TABLE " + table.qualified());
    }
    spark.sql("CREATE TABLE IF NOT EXISTS " + table.qualified() + " USING delta LOCATION '"
        + location(settings, table).toUri() + "'");
  }

  public static boolean exists(Settings settings, TableName table) {
    return Files.isDirectory(location(settings, table).resolve("_delta_log"));
  }

  public static Dataset<Row> read(SparkSession spark, Settings settings, TableName table) {
    if (!exists(settings, table)) {
      throw new BeaconException("The table " + table + " does not exist yet in " + settings.lakehouse()
          + ": run the job that writes it first (jobs/beacon run builds everything).");
    }
    return spark.read().format("delta").load(location(settings, table).toString());
  }

  /** The table as it was at a Delta version (time travel), so a reader can pin what it publishes. */
  public static Dataset<Row> read(SparkSession spark, Settings settings, TableName table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(location(settings, table).toString());
  }

  /** The table's current Delta version, recorded by gold tables for every input so figures can be rebuilt. */
  public static long version(SparkSession spark, Settings settings, TableName table) {
    return DeltaTable.forPath(spark, location(settings, table).toString()).history(1)
        .select("version").head().getLong(0);
  }

  /** The lineage recorded by the commit that last wrote the table's data, or null. */
  public static String lineage(SparkSession spark, Settings settings, TableName table) {
    if (!exists(settings, table)) {
      return null;
    }
    // Metadata-only commits (comments, constraints) carry no lineage; the last data write does. It is
    // nearly always among the latest few commits, so those are read first rather than the whole history.
    DeltaTable delta = DeltaTable.forPath(spark, location(settings, table).toString());
    for (Dataset<Row> history : List.of(delta.history(LATEST_COMMITS), delta.history())) {
      List<Row> last = history.filter("operation NOT IN ('SET TBLPROPERTIES', 'CHANGE COLUMN', 'ADD CONSTRAINT')")
          .orderBy(org.apache.spark.sql.functions.col("version").desc()).select("userMetadata").limit(1).collectAsList();
      if (!last.isEmpty()) {
        return last.get(0).isNullAt(0) ? null : last.get(0).getString(0);
      }
    }
    return null;
  }

  /** True when the table was last written from exactly these inputs, so rebuilding it would change nothing. */
  public static boolean isCurrent(SparkSession spark, Settings settings, TableName table, Lineage lineage) {
    return lineage.toString().equals(lineage(spark, settings, table));
  }

  /**
   * Replaces the table's content in one Delta commit that records its lineage: readers see the old or
   * the new version, never a mix. When the table was already built from the same inputs nothing is
   * computed or written, so a re-run adds no version.
   */
  public static void replace(SparkSession spark, Settings settings, TableName table, Lineage lineage,
      Supplier<Dataset<Row>> data) {
    if (isCurrent(spark, settings, table, lineage)) {
      LOG.info("{} is up to date with its inputs", table);
      return;
    }
    write(spark, settings, table, lineage, data.get(), Map.of("overwriteSchema", "true"), "overwrite");
  }

  /**
   * Replaces only the rows that match the predicate (Delta replaceWhere), in one commit that records the
   * lineage: a period's figures are rebuilt and every other row stays as it was. The rows written must all
   * match the predicate, which Delta checks.
   */
  public static void replaceWhere(SparkSession spark, Settings settings, TableName table, Lineage lineage, String predicate,
      Dataset<Row> data) {
    write(spark, settings, table, lineage, data, Map.of("replaceWhere", predicate), "overwrite");
  }

  /** Adds rows in one commit that records the lineage (a new delivery's rows). */
  public static void add(SparkSession spark, Settings settings, TableName table, Lineage lineage, Dataset<Row> data) {
    write(spark, settings, table, lineage, data, Map.of(), "append");
  }

  private static void write(SparkSession spark, Settings settings, TableName table, Lineage lineage, Dataset<Row> data,
      Map<String, String> options, String mode) {
    String path = location(settings, table).toString();
    boolean created = !exists(settings, table);
    Dataset<Row> rows = DataDictionary.describe(settings, table, data);
    if (created && !Checks.of(table).isEmpty()) {
      // The constraints exist before the first rows do, so Delta checks those too.
      rows.limit(0).write().format("delta").save(path);
    }
    constrain(spark, table, path);
    try {
      rows.write().format("delta").mode(mode).options(options)
          .options(lineage == null ? Map.of() : Map.of("userMetadata", lineage.toString())).save(path);
    } catch (RuntimeException e) {
      // Delta's violation may arrive wrapped in a task failure: name the constraint from the cause that has it.
      for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
        String m = String.valueOf(t.getMessage());
        if (m.contains("CHECK constraint")) {
          String violation = String.join(" ", m.substring(m.indexOf("CHECK constraint")).lines().limit(6).map(String::strip).toList());
          throw new BeaconException(table + " was not written: " + violation + ". The previous version stays published.", e);
        }
      }
      throw e;
    }
    LOG.info("{} written ({} rows{})", table, rowsWritten(spark, path), options.containsKey("replaceWhere")
        ? " where " + options.get("replaceWhere") : mode.equals("append") ? " added" : "");
    register(spark, settings, table);
    comment(spark, settings, table);
  }

  /**
   * Merges rows into the table on its natural key in one commit that records the lineage: a key already
   * there is replaced by the new row, a new key is inserted (a later delivery updating a crime's outcome).
   */
  public static void merge(SparkSession spark, Settings settings, TableName table, Lineage lineage, String key, Dataset<Row> data) {
    String conf = "spark.databricks.delta.commitInfo.userMetadata";
    spark.conf().set(conf, lineage.toString());
    try {
      DeltaTable.forPath(spark, location(settings, table).toString()).as("t")
          .merge(DataDictionary.describe(settings, table, data).as("s"), "t." + key + " = s." + key)
          .whenMatched().updateAll().whenNotMatched().insertAll().execute();
    } finally {
      spark.conf().unset(conf);
    }
    LOG.info("{} merged on {}", table, key);
  }

  /** Adds the table's CHECK constraints that it does not have yet (a constraint is a Delta table property). */
  private static void constrain(SparkSession spark, TableName table, String path) {
    if (Checks.of(table).isEmpty()) {
      return;
    }
    scala.collection.immutable.Map<String, String> properties = metadata(spark, path).configuration();
    for (Checks.Check c : Checks.of(table)) {
      if (!properties.contains("delta.constraints." + c.name().toLowerCase())) {
        spark.sql("ALTER TABLE delta.`" + path + "` ADD CONSTRAINT " + c.name() + " CHECK (" + c.expression() + ")");
      }
    }
  }

  /** Rows of the write just committed (the latest commit), from its metrics: no second scan of the table. */
  private static String rowsWritten(SparkSession spark, String path) {
    Row last = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").head();
    return last.isNullAt(0) ? "?" : String.valueOf(last.getJavaMap(0).get("numOutputRows"));
  }

  /** Appends rows in one commit, creating the table on first use. */
  public static void append(SparkSession spark, Settings settings, TableName table, Dataset<Row> data) {
    write(spark, settings, table, null, data, Map.of(), "append");
  }

  /**
   * Brings the table's comment and column comments in line with the data dictionary. A replace writes
   * the column comments with the schema, so only a table created before its dictionary entry changed
   * (an append-only table) gets ALTER commits here; each is a Delta commit, so nothing is done when equal.
   */
  private static void comment(SparkSession spark, Settings settings, TableName table) {
    org.apache.spark.sql.delta.actions.Metadata metadata = metadata(spark, location(settings, table).toString());
    String wanted = DataDictionary.table(table);
    if (!wanted.equals(metadata.description())) {
      spark.sql("COMMENT ON TABLE " + table.qualified() + " IS " + literal(wanted));
    }
    for (org.apache.spark.sql.types.StructField f : metadata.schema().fields()) {
      String column = DataDictionary.column(settings, table, f.name());
      String current = f.getComment().isDefined() ? f.getComment().get() : null;
      if (column != null && !column.equals(current)) {
        spark.sql("ALTER TABLE " + table.qualified() + " ALTER COLUMN `" + f.name() + "` COMMENT " + literal(column));
      }
    }
  }

  /**
   * The table's current Delta metadata (schema, description, properties such as constraints), read from
   * the log without reconstructing the table's file state, which DESCRIBE DETAIL does (seconds per table).
   */
  public static org.apache.spark.sql.delta.actions.Metadata metadata(SparkSession spark, Settings settings, TableName table) {
    return metadata(spark, location(settings, table).toString());
  }

  private static org.apache.spark.sql.delta.actions.Metadata metadata(SparkSession spark, String path) {
    return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty())
        .metadata();
  }

  /** The text as a SQL string literal. */
  public static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

}
