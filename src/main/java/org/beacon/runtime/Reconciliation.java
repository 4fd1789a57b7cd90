package org.beacon.runtime;

import static org.apache.spark.sql.functions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Row counts per delivered file, accounting for every row read: accepted (its own record in silver), merged into
 * another row's record, superseded by a later vintage of its file, or quarantined. The invariant:
 * read = accepted + merged + superseded + quarantined.
 */
public final class Reconciliation {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Reconciliation.class);
  /**
   * One loaded source: its bronze table, the table its accepted rows went to (each record naming its source row's
   * _source_file and _batch_id) and its quarantine with the column that holds each row's reasons; acceptedRows turns
   * the accepted table into one row per bronze row it holds (_source_file, _batch_id), for tables that merge several
   * rows into one record; vintages says which bronze rows a later vintage replaced (null: none is).
   */
  public record Load(String source, TableName bronze, TableName accepted, TableName quarantine, String reasonColumn,
      UnaryOperator<Dataset<Row>> acceptedRows, Vintages vintages) {
    /** The tables its counts are made from. */
    List<TableName> tables() {
      return List.of(bronze, accepted, quarantine);
    }

    /** A source whose every accepted row is its own record and whose deliveries never replace one another. */
    public static Load plain(String source, TableName bronze, TableName accepted, TableName quarantine, String reasonColumn) {
      return new Load(source, bronze, accepted, quarantine, reasonColumn, d -> d, null);
    }
  }

  /**
   * Deliveries that replace one another: superseded picks from bronze the rows a later vintage replaced; group names,
   * from a _source_file column, the files that are vintages of one another (a new file can change only its group's).
   */
  public record Vintages(UnaryOperator<Dataset<Row>> superseded, UnaryOperator<Column> group) {}

  /** How a load's counts were reached by {@link #write}. */
  public enum Counting {
    /** Its tables had not changed: the rows written last time stand. */
    KEPT,
    /** The rows written last time, with the rows its tables gained and lost since added and taken away. */
    UPDATED,
    /** Counted again from every row of its tables. */
    COUNTED
  }

  private Reconciliation() {}

  /**
   * ops.load_reconciliation for every load, counted from the tables as written; fails if any file does not add up. A
   * load whose tables have not changed since the counts were last written keeps its rows (a crime delivery does not
   * count the surveys again); one whose tables changed, with the same settings and code, has its rows updated by the
   * rows its tables gained and lost since (read from the data files the Delta log names), so a delivery's cost
   * follows the delivery, not the history. Says how each load's counts were reached.
   */
  public static Map<String, Counting> write(SparkSession spark, Settings settings, List<Load> loads) {
    Map<String, Counting> how = new TreeMap<>();
    if (loads.isEmpty()) {
      return how;
    }
    Lineage lineage = Lineage.of(settings);
    for (Load l : loads) {
      lineage.table(spark, settings, l.bronze()).table(spark, settings, l.accepted()).table(spark, settings, l.quarantine());
    }
    TableName out = TableName.OPS_LOAD_RECONCILIATION;
    DeltaCommits.Commit written = Tables.exists(settings, out) ? DeltaCommits.lastData(Tables.location(settings, out)) : null;
    String recorded = written == null ? null : written.userMetadata();
    boolean sameSettingsAndCode = lineage.differsOnlyInTables(recorded);
    // One row per delivered file: computed once, checked and written from the driver.
    Tables.replace(spark, settings, out, lineage, () -> {
      Dataset<Row> all = null;
      for (Load l : loads) {
        Dataset<Row> before = recorded == null ? null : Tables.read(spark, settings, out).filter(col("source").equalTo(l.source()));
        Dataset<Row> one = null;
        boolean sameTables = recorded != null && l.tables().stream().allMatch(t -> sameTable(settings, t, recorded, written));
        if (sameTables && lineage.differsOnlyIn(recorded, loads.stream().filter(o -> o != l).flatMap(o -> o.tables().stream()).toList())) {
          // Its tables, the settings and the code are as they were when the counts were last written: they stand.
          LOG.info("{}: counts kept, its tables unchanged since {} was written", l.source(), out);
          one = before;
          how.put(l.source(), Counting.KEPT);
        } else if (sameTables && sameSettingsAndCode && (one = updated(spark, settings, l, before, recorded)) != null) {
          LOG.info("{}: counts updated by the rows its tables gained and lost since {} was written", l.source(), out);
          how.put(l.source(), Counting.UPDATED);
        } else {
          one = counted(spark, settings, l);
          how.put(l.source(), Counting.COUNTED);
        }
        all = all == null ? one : all.unionByName(one);
      }
      Dataset<Row> ordered = all.orderBy("source", "source_file");
      Dataset<Row> rows = spark.createDataFrame(ordered.collectAsList(), ordered.schema());
      check(rows);
      return rows;
    });
    loads.forEach(l -> how.putIfAbsent(l.source(), Counting.KEPT));
    return how;
  }

  /**
   * True when the table's version recorded with the counts is still the one they were taken from: its commit is
   * there and older than the counts. A table removed and built again since (its versions counted from 0 anew) is not.
   */
  private static boolean sameTable(Settings settings, TableName table, String recorded, DeltaCommits.Commit counts) {
    long version = Lineage.recordedVersion(recorded, table);
    DeltaCommits.Commit then = version < 0 ? null : DeltaCommits.at(Tables.location(settings, table), version);
    return then != null && then.timestampMillis() <= counts.timestampMillis();
  }

  /** A load's counts from every row of its tables. */
  public static Dataset<Row> counted(SparkSession spark, Settings settings, Load l) {
    Dataset<Row> quarantined = Tables.read(spark, settings, l.quarantine());
    Dataset<Row> bronze = Tables.read(spark, settings, l.bronze());
    Dataset<Row> accepted = Tables.read(spark, settings, l.accepted());
    return withReasons(byFile(bronze, accepted, l.acceptedRows().apply(accepted),
        l.vintages() == null ? null : l.vintages().superseded().apply(bronze), quarantined, l.source()), quarantined, l.reasonColumn());
  }

  /**
   * The load's counts as written before ({@code before}, when its tables were at the recorded versions), each file's
   * read, accepted, merged and quarantined rows moved by the rows its tables gained and lost since, and the superseded
   * rows counted again for the files whose vintage group gained a file. Null when the Delta logs cannot tell which
   * rows those are (a table new since, a commit file gone, a data file vacuumed or with a deletion vector).
   */
  private static Dataset<Row> updated(SparkSession spark, Settings settings, Load l, Dataset<Row> before, String recorded) {
    Changed bronze = Changed.since(spark, settings, l.bronze(), Lineage.recordedVersion(recorded, l.bronze()));
    Changed accepted = Changed.since(spark, settings, l.accepted(), Lineage.recordedVersion(recorded, l.accepted()));
    Changed quarantined = Changed.since(spark, settings, l.quarantine(), Lineage.recordedVersion(recorded, l.quarantine()));
    if (before == null || bronze == null || accepted == null || quarantined == null) {
      return null;
    }
    List<String> moved = List.of("_read", "_accepted", "_held", "_quarantined");
    Dataset<Row> changes = bronze.counted(d -> d, "_read").unionByName(accepted.counted(d -> d, "_accepted"), true)
        .unionByName(accepted.counted(l.acceptedRows(), "_held"), true).unionByName(quarantined.counted(d -> d, "_quarantined"), true)
        .na().fill(0L, moved.toArray(new String[0]))
        .groupBy("_source_file", "_batch_id").agg(sum("_read").as("_read"), sum("_accepted").as("_accepted"),
            sum("_held").as("_held"), sum("_quarantined").as("_quarantined"));
    changes = spark.createDataFrame(changes.collectAsList(), changes.schema());
    Dataset<Row> files = changes.select("_source_file", "_batch_id");
    if (l.vintages() != null) {
      // Every file known of each group a changed file belongs to: a new vintage changes what its elders supersede.
      Column group = l.vintages().group().apply(col("_source_file"));
      files = before.select(col("source_file").as("_source_file"), col("batch_id").as("_batch_id")).unionByName(files).distinct()
          .join(changes.select(group.as("_group")).distinct(), group.equalTo(col("_group")), "left_semi");
    }
    List<Row> affected = files.collectAsList();
    files = spark.createDataFrame(affected, files.schema());
    Object[] names = affected.stream().map(r -> r.getString(0)).distinct().toArray();
    // Literal file names, so Delta reads only the data files whose statistics may hold them.
    Dataset<Row> quarantinedOf = Tables.read(spark, settings, l.quarantine()).filter(col("_source_file").isin(names));
    Dataset<Row> superseded = l.vintages() == null ? null : counted(replaced(l.vintages().superseded()
        .apply(Tables.read(spark, settings, l.bronze()).filter(col("_source_file").isin(names))), quarantinedOf), "_superseded");
    Dataset<Row> base = before.select(col("source_file").as("_source_file"), col("batch_id").as("_batch_id"), col("rows_read"),
        col("rows_accepted"), col("rows_merged"), col("rows_superseded"), col("rows_quarantined"));
    Dataset<Row> joined = files.join(base, Columns.seq("_source_file", "_batch_id"), "left")
        .join(changes, Columns.seq("_source_file", "_batch_id"), "left");
    if (superseded != null) {
      joined = joined.join(superseded, Columns.seq("_source_file", "_batch_id"), "left");
    }
    joined = joined.na().fill(0L);
    Dataset<Row> now = joined.filter(col("rows_read").plus(col("_read")).gt(0)).select(lit(l.source()).as("source"),
        col("_source_file").as("source_file"), col("_batch_id").as("batch_id"), col("rows_read").plus(col("_read")).as("rows_read"),
        col("rows_accepted").plus(col("_accepted")).as("rows_accepted"),
        col("rows_merged").plus(col("_held")).minus(col("_accepted")).as("rows_merged"),
        (superseded == null ? col("rows_superseded") : col("_superseded")).as("rows_superseded"),
        col("rows_quarantined").plus(col("_quarantined")).as("rows_quarantined"));
    Dataset<Row> unchanged = before.join(files, col("source_file").equalTo(col("_source_file")).and(col("batch_id").equalTo(col("_batch_id"))),
        "left_anti");
    return unchanged.unionByName(withReasons(now, quarantinedOf, l.reasonColumn()));
  }

  /** The rows a table gained (the data files added since a version) and lost (those removed), as the Delta log names them. */
  private record Changed(Dataset<Row> added, Dataset<Row> removed) {
    static Changed since(SparkSession spark, Settings settings, TableName table, long version) {
      DeltaCommits.FileChanges files = version < 0 ? null : DeltaCommits.fileChanges(Tables.location(settings, table), version);
      if (files == null) {
        return null;
      }
      org.apache.spark.sql.types.StructType schema = Tables.metadata(spark, settings, table).schema();
      String root = Tables.location(settings, table).toString();
      return new Changed(rows(spark, schema, root, files.added()), rows(spark, schema, root, files.removed()));
    }

    /** The rows of the data files, partition values taken from their folders as Delta writes them. */
    private static Dataset<Row> rows(SparkSession spark, org.apache.spark.sql.types.StructType schema, String root, List<Path> files) {
      return files.isEmpty() ? spark.createDataFrame(List.of(), schema)
          : spark.read().schema(schema).option("basePath", root).parquet(files.stream().map(Path::toString).toArray(String[]::new));
    }

    /** Per file, the rows gained less the rows lost, after {@code rows} turns a table's rows into bronze rows. */
    Dataset<Row> counted(UnaryOperator<Dataset<Row>> rows, String name) {
      return Reconciliation.counted(rows.apply(added), name)
          .unionByName(Reconciliation.counted(rows.apply(removed), name).withColumn(name, negate(col(name))));
    }
  }

  /** Per delivery, for a source whose every accepted row is its own record and which has no vintages. */
  public static Dataset<Row> byFile(Dataset<Row> bronze, Dataset<Row> accepted, Dataset<Row> quarantined, String source) {
    return byFile(bronze, accepted, accepted, null, quarantined, source);
  }

  /**
   * Per delivery (file and the batch that brought it; a file delivered again with new content is a new
   * delivery): rows read, accepted (records whose source row it is), merged (rows held in another row's
   * record: {@code held} has one row per bronze row a record holds), superseded (bronze rows a later vintage
   * replaced, less those quarantined; null for none) and quarantined.
   */
  public static Dataset<Row> byFile(Dataset<Row> bronze, Dataset<Row> records, Dataset<Row> held, Dataset<Row> superseded,
      Dataset<Row> quarantined, String source) {
    for (Dataset<Row> d : List.of(bronze, records, held, quarantined)) {
      Columns.require(d, "Reconciliation.byFile", List.of("_source_file", "_batch_id"));
    }
    Dataset<Row> replaced = superseded == null ? bronze.limit(0) : replaced(superseded, quarantined);
    return bronze.groupBy("_source_file", "_batch_id").agg(count(lit(1)).as("rows_read"))
        .join(counted(records, "rows_accepted"), Columns.seq("_source_file", "_batch_id"), "left")
        .join(counted(held, "_rows_held"), Columns.seq("_source_file", "_batch_id"), "left")
        .join(counted(replaced, "rows_superseded"), Columns.seq("_source_file", "_batch_id"), "left")
        .join(counted(quarantined, "rows_quarantined"), Columns.seq("_source_file", "_batch_id"), "left")
        .na().fill(0L, new String[] {"rows_accepted", "_rows_held", "rows_superseded", "rows_quarantined"})
        .select(lit(source).as("source"), col("_source_file").as("source_file"), col("_batch_id").as("batch_id"),
            col("rows_read"), col("rows_accepted"), col("_rows_held").minus(col("rows_accepted")).as("rows_merged"),
            col("rows_superseded"), col("rows_quarantined"));
  }

  /** The superseded rows that are not quarantined (a quarantined row is counted there). */
  private static Dataset<Row> replaced(Dataset<Row> superseded, Dataset<Row> quarantined) {
    return superseded.join(quarantined, Columns.seq("_source_file", "_batch_id", "_source_record"), "left_anti");
  }

  private static Dataset<Row> counted(Dataset<Row> rows, String name) {
    return rows.groupBy("_source_file", "_batch_id").agg(count(lit(1)).as(name));
  }

  /**
   * Adds quarantined_by_field: per delivery, how many quarantined rows failed on each field (the part of each
   * "; "-separated reason before its colon: a column, "row" for an unreadable row, "file" for a file-level
   * reason). A row can fail on several fields, so the counts can sum to more than rows_quarantined.
   */
  public static Dataset<Row> withReasons(Dataset<Row> reconciliation, Dataset<Row> quarantined, String reasonColumn) {
    Columns.require(quarantined, "Reconciliation.withReasons", List.of("_source_file", "_batch_id", reasonColumn));
    Dataset<Row> fields = quarantined
        .select(col("_source_file"), col("_batch_id"), explode(split(col(reasonColumn), "; ")).as("_part"))
        .withColumn("field", regexp_extract(col("_part"), "^([a-z_][a-z0-9_]*): ", 1))
        .filter(col("field").notEqual(""))
        .groupBy("_source_file", "_batch_id", "field").agg(count(lit(1)).as("rows"))
        .groupBy(col("_source_file").as("_r_file"), col("_batch_id").as("_r_batch"))
        .agg(map_from_entries(array_sort(collect_list(struct(col("field"), col("rows"))))).as("quarantined_by_field"));
    return reconciliation.join(fields, col("source_file").equalTo(col("_r_file")).and(col("batch_id").equalTo(col("_r_batch"))),
            "left")
        .withColumn("quarantined_by_field", coalesce(col("quarantined_by_field"), map().cast("map<string,bigint>")))
        .drop("_r_file", "_r_batch");
  }

  /** Fails the load, naming the file, if any file's rows do not add up. */
  public static void check(Dataset<Row> reconciliation) {
    List<Row> bad = reconciliation.filter(col("rows_read").notEqual(col("rows_accepted").plus(col("rows_merged"))
            .plus(col("rows_superseded")).plus(col("rows_quarantined"))).or(col("rows_merged").lt(0)))
        .collectAsList();
    if (!bad.isEmpty()) {
      Row r = bad.get(0);
      throw new BeaconException("Rows do not reconcile for " + r.getAs("source_file") + ": read " + r.getAs("rows_read")
          + ", accepted " + r.getAs("rows_accepted") + ", merged " + r.getAs("rows_merged") + ", superseded "
          + r.getAs("rows_superseded") + ", quarantined " + r.getAs("rows_quarantined") + ".");
    }
  }
}
