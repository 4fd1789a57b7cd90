package org.beacon.runtime;

import static org.apache.spark.sql.functions.not;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes the lakehouse's Delta tables and keeps the catalog in step with the folders. */
public final class Tables {
  private static final Logger LOG = LoggerFactory.getLogger(Tables.class);

  private static final java.util.concurrent.atomic.AtomicLong ROWS_WRITTEN = new java.util.concurrent.atomic.AtomicLong();

  private Tables() {}

  /** Rows this process has written to tables so far (new and changed rows, not those copied from rewritten files). */
  public static long rowsWrittenSoFar() {
    return ROWS_WRITTEN.get();
  }

  public static Path location(Settings settings, TableName table) {
    return settings.lakehouse().resolve(table.layer()).resolve(table.name());
  }

  public static boolean exists(Settings settings, TableName table) {
    return isTable(location(settings, table));
  }

  /**
   * True when the folder holds a Delta table with at least one commit. A job killed while creating a table
   * can leave a _delta_log folder with no commit in it: that is no table yet, and the next run creates it.
   */
  public static boolean isTable(Path dir) {
    try (Stream<Path> log = Files.list(dir.resolve("_delta_log"))) {
      return log.map(f -> f.getFileName().toString()).anyMatch(n -> n.matches("[0-9]{20}\\.(json|checkpoint.*\\.parquet)"));
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return false;
    } catch (IOException e) {
      throw new BeaconException("Cannot read the Delta log of " + dir + ": " + e.getMessage() + ".", e);
    }
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
    long version = DeltaCommits.latest(location(settings, table));
    if (version < 0) {
      throw new BeaconException("The table " + table + " does not exist yet in " + settings.lakehouse() + ".");
    }
    return version;
  }

  /** The lineage recorded by the commit that last wrote the table's data, or null. */
  public static String lineage(SparkSession spark, Settings settings, TableName table) {
    // Metadata-only commits (comments, constraints, properties) carry no lineage; the last data write does.
    DeltaCommits.Commit last = DeltaCommits.lastData(location(settings, table));
    return last == null ? null : last.userMetadata();
  }

  /** True when the table was last written from exactly these inputs, so rebuilding it would change nothing. */
  public static boolean isCurrent(SparkSession spark, Settings settings, TableName table, Lineage lineage) {
    return lineage.is(lineage(spark, settings, table));
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
      // A job killed after the data commit left the rest undone; each step below does nothing when done.
      finish(spark, settings, TableSpec.declared(settings, table));
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
    Dataset<Row> described = DataDictionary.describe(settings, table, data);
    TableSpec spec = TableSpec.declared(settings, table);
    var suite = spec.suite();
    boolean gated = suite.isPresent();
    // Computed once for the quality gate and the write.
    Dataset<Row> rows = gated ? described.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()) : described;
    long written;
    try {
      if (gated) {
        QualityGate.verify(spark, settings, table, suite.get(), rows,
            mode.equals("append") ? null : options.getOrDefault("replaceWhere", "table"));
      }
      if (created) {
        create(spark, settings, spec, path, rows, lineage);
      } else {
        List<TableSpec.Check> missing = Constraints.missing(spec, metadata(spark, path));
        // A constraint new to a table written by an earlier Beacon: Delta cannot add it while old rows break it,
        // so a full replacement checks its own rows against it first, and finish() adds it once they are the
        // table's rows (also after a job killed between the two).
        if (mode.equals("overwrite") && !options.containsKey("replaceWhere")) {
          Constraints.refuseBreaking(table, rows, missing);
        } else {
          Constraints.add(spark, table, path, missing);
        }
        partitioned(spec, rows.write()).format("delta").mode(mode).options(options)
            .options(lineage == null ? Map.of() : Map.of("userMetadata", lineage.toString())).save(path);
      }
      written = rowsWritten(path);
      ROWS_WRITTEN.addAndGet(written);
    } catch (BeaconException e) {
      throw e;
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
    } finally {
      if (gated) {
        rows.unpersist();
      }
    }
    LOG.info("{} written ({} rows{})", table, written, options.containsKey("replaceWhere")
        ? " where " + options.get("replaceWhere") : mode.equals("append") ? " added" : "");
    finish(spark, settings, spec);
  }

  /**
   * After a table's data: its constraints, retention, catalog entry and comments, each only where missing or
   * changed.
   */
  private static void finish(SparkSession spark, Settings settings, TableSpec spec) {
    TableName table = spec.name();
    String path = location(settings, table).toString();
    org.apache.spark.sql.delta.actions.Metadata metadata = metadata(spark, path);
    Constraints.add(spark, table, path, Constraints.missing(spec, metadata));
    retain(spark, settings, path, metadata);
    Catalog.register(spark, settings, table);
    comment(spark, settings, table, metadata);
  }

  /**
   * Creates the table with its rows and all its declared metadata in one commit (CREATE TABLE AS SELECT): schema with
   * column comments, partitioning, description, retention and CHECK constraints, which Delta enforces on these rows
   * too. None of them needs a commit, or a scan, of its own.
   */
  private static void create(SparkSession spark, Settings settings, TableSpec spec, String path, Dataset<Row> rows,
      Lineage lineage) {
    TableName table = spec.name();
    Map<String, String> properties = new java.util.TreeMap<>(retention(settings));
    spec.checks().forEach(c -> properties.put("delta.constraints." + c.name().toLowerCase(java.util.Locale.ROOT), c.expression()));
    clearUncommitted(Path.of(path));
    String view = "beacon_new_table_" + NEW_TABLES.incrementAndGet();
    rows.createOrReplaceTempView(view);
    try {
      withCommitMetadata(spark, lineage, () -> spark.sql("CREATE TABLE delta.`" + path + "` USING delta"
          + (spec.partitionColumns().isEmpty() ? "" : " PARTITIONED BY (" + String.join(", ", spec.partitionColumns()) + ")")
          + " COMMENT " + literal(DataDictionary.table(table)) + " TBLPROPERTIES (" + String.join(", ", properties.entrySet().stream()
              .map(e -> literal(e.getKey()) + " = " + literal(e.getValue())).toList()) + ") AS SELECT * FROM " + view));
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  /**
   * Removes what a job killed while creating the table left in its folder: data files and an empty log, no commit,
   * so no reader can see them. Delta takes any non-empty folder for an existing table and refuses to create one there.
   */
  private static void clearUncommitted(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> leftovers = files.sorted(java.util.Comparator.reverseOrder()).toList();
      LOG.warn("{} holds no Delta commit but {} files and folders, left by a job stopped while creating the table: "
          + "removing them before the table is created", dir, leftovers.size() - 1);
      for (Path p : leftovers) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new BeaconException("Cannot clear the uncommitted folder " + dir + " left by an interrupted job: "
          + e.getMessage() + ". Remove it by hand and run the job again.", e);
    }
  }

  /**
   * Runs a Delta operation whose commit records the lineage as its userMetadata: SQL commands and merges take it
   * from the session, not from a writer option.
   */
  private static void withCommitMetadata(SparkSession spark, Lineage lineage, Runnable operation) {
    String conf = "spark.databricks.delta.commitInfo.userMetadata";
    if (lineage != null) {
      spark.conf().set(conf, lineage.toString());
    }
    try {
      operation.run();
    } finally {
      spark.conf().unset(conf);
    }
  }

  private static final java.util.concurrent.atomic.AtomicLong NEW_TABLES = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Sets the configured retention where the table's differs: a table created before the settings changed
   * (a new table gets it in the commit that creates it, see create).
   */
  private static void retain(SparkSession spark, Settings settings, String path,
      org.apache.spark.sql.delta.actions.Metadata metadata) {
    scala.collection.immutable.Map<String, String> properties = metadata.configuration();
    Map<String, String> wanted = retention(settings);
    if (wanted.entrySet().stream().anyMatch(e -> !properties.get(e.getKey()).contains(e.getValue()))) {
      spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES (" + String.join(", ", wanted.entrySet().stream()
          .map(e -> literal(e.getKey()) + " = " + literal(e.getValue())).sorted().toList()) + ")");
    }
  }

  /** A boolean column of rows given to {@link #merge}: true removes the row with that key from the table. */
  public static final String IS_DELETED = "_is_deleted";

  /**
   * Merges rows into the table on its natural key in one commit that records the lineage: a key already
   * there is replaced by the new row, a new key is inserted (a later delivery updating a crime's outcome).
   * Rows with {@value #IS_DELETED} true (when the column is there) remove their key instead (a record that a newer
   * vintage no longer carries); the column is not written. The table's quality suite, when it has one, checks the
   * rows merged in first, as a write checks the rows it adds.
   */
  public static void merge(SparkSession spark, Settings settings, TableName table, Lineage lineage, String key, Dataset<Row> data) {
    merge(spark, settings, table, lineage, key, data, null);
  }

  /**
   * As above, where only the given values of the table's partition column can hold a row with a key merged in (null:
   * any): the merge reads and rewrites those partitions alone, so its cost follows the rows merged, not the table.
   */
  public static void merge(SparkSession spark, Settings settings, TableName table, Lineage lineage, String key, Dataset<Row> data,
      List<String> partitions) {
    DeltaTable target = DeltaTable.forPath(spark, location(settings, table).toString());
    TableSpec spec = TableSpec.declared(settings, table);
    List<String> partitionColumns = spec.partitionColumns();
    if (partitions != null && partitionColumns.size() != 1) {
      throw new IllegalArgumentException(table + " is not partitioned by one column; partitions cannot bound its merge.");
    }
    String on = (partitions == null ? "" : partitions.isEmpty() ? "false AND "
        : "t." + partitionColumns.get(0) + " IN (" + String.join(", ", partitions.stream().map(Tables::literal).toList()) + ") AND ")
        + "t." + key + " = s." + key;
    boolean deletes = List.of(data.columns()).contains(IS_DELETED);
    var suite = spec.suite();
    Dataset<Row> rows = suite.isPresent() ? data.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()) : data;
    try {
      if (suite.isPresent()) {
        QualityGate.verify(spark, settings, table, suite.get(), deletes ? rows.filter(not(rows.col(IS_DELETED))).drop(IS_DELETED) : rows,
            null);
      }
      merge(spark, settings, table, lineage, target, on, deletes, rows);
    } finally {
      if (suite.isPresent()) {
        rows.unpersist();
      }
    }
    long written = rowsWritten(location(settings, table).toString());
    ROWS_WRITTEN.addAndGet(written);
    LOG.info("{} merged on {} ({} rows inserted or updated)", table, key, written);
  }

  private static void merge(SparkSession spark, Settings settings, TableName table, Lineage lineage, DeltaTable target, String on,
      boolean deletes, Dataset<Row> data) {
    if (!deletes) {
      withCommitMetadata(spark, lineage, () -> target.as("t").merge(DataDictionary.describe(settings, table, data).as("s"), on)
          .whenMatched().updateAll().whenNotMatched().insertAll().execute());
    } else {
      Map<String, String> values = new java.util.LinkedHashMap<>();
      for (String c : target.toDF().columns()) {
        values.put("`" + c + "`", "s.`" + c + "`");
      }
      withCommitMetadata(spark, lineage, () -> target.as("t").merge(data.as("s"), on)
          .whenMatched("s." + IS_DELETED).delete()
          .whenMatched().updateExpr(values)
          .whenNotMatched("NOT s." + IS_DELETED).insertExpr(values).execute());
    }
  }

  /** The retention properties every table carries, as Delta writes them. */
  public static Map<String, String> retention(Settings settings) {
    return Map.of("delta.logRetentionDuration", "interval " + settings.logRetention().toHours() + " hours",
        "delta.deletedFileRetentionDuration", "interval " + settings.deletedFileRetention().toHours() + " hours");
  }

  /** The writer split by the table's partition columns, where it has any. */
  private static DataFrameWriter<Row> partitioned(TableSpec spec, DataFrameWriter<Row> writer) {
    List<String> columns = spec.partitionColumns();
    return columns.isEmpty() ? writer : writer.partitionBy(columns.toArray(new String[0]));
  }

  /** Rows of the write just committed (the latest commit), from its metrics: no second scan of the table. */
  private static long rowsWritten(String path) {
    DeltaCommits.Commit last = DeltaCommits.at(Path.of(path), DeltaCommits.latest(Path.of(path)));
    return last == null ? 0 : last.outputRows();
  }

  /**
   * Appends rows in one commit, creating the table on first use. A column the table lacks is added (a
   * delivery with a new column, read under beacon.ingest.schema-drift = evolve, keeps it in bronze).
   */
  public static void append(SparkSession spark, Settings settings, TableName table, Dataset<Row> data) {
    write(spark, settings, table, null, data, Map.of("mergeSchema", "true"), "append");
  }

  /**
   * Brings the table's comment and column comments in line with the data dictionary. A replace writes
   * the column comments with the schema, so only a table created before its dictionary entry changed
   * (an append-only table) gets ALTER commits here; each is a Delta commit, so nothing is done when equal.
   */
  private static void comment(SparkSession spark, Settings settings, TableName table,
      org.apache.spark.sql.delta.actions.Metadata metadata) {
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
