package org.beacon.runtime;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
   * rows into one record; superseded picks from bronze the rows a later vintage replaced (null: none is).
   */
  public record Load(String source, TableName bronze, TableName accepted, TableName quarantine, String reasonColumn,
      UnaryOperator<Dataset<Row>> acceptedRows, UnaryOperator<Dataset<Row>> superseded) {
    /** The tables its counts are made from. */
    List<TableName> tables() {
      return List.of(bronze, accepted, quarantine);
    }

    /** A source whose every accepted row is its own record and whose deliveries never replace one another. */
    public static Load plain(String source, TableName bronze, TableName accepted, TableName quarantine, String reasonColumn) {
      return new Load(source, bronze, accepted, quarantine, reasonColumn, d -> d, null);
    }
  }

  private Reconciliation() {}

  /**
   * ops.load_reconciliation for every load, counted from the tables as written; fails if any file does not add up. A
   * load whose tables have not changed since the counts were last written keeps its rows (a crime delivery does not
   * count the surveys again).
   */
  public static void write(org.apache.spark.sql.SparkSession spark, Settings settings, List<Load> loads) {
    if (loads.isEmpty()) {
      return;
    }
    Lineage lineage = Lineage.of(settings);
    for (Load l : loads) {
      lineage.table(spark, settings, l.bronze()).table(spark, settings, l.accepted()).table(spark, settings, l.quarantine());
    }
    TableName out = TableName.OPS_LOAD_RECONCILIATION;
    String recorded = Tables.exists(settings, out) ? Tables.lineage(spark, settings, out) : null;
    // One row per delivered file: computed once, checked and written from the driver.
    Tables.replace(spark, settings, out, lineage, () -> {
      Dataset<Row> all = null;
      for (Load l : loads) {
        Dataset<Row> one;
        if (lineage.differsOnlyIn(recorded, loads.stream().filter(o -> o != l).flatMap(o -> o.tables().stream()).toList())) {
          // Its tables, the settings and the code are as they were when the counts were last written: they stand.
          LOG.info("{}: counts kept, its tables unchanged since {} was written", l.source(), out);
          one = Tables.read(spark, settings, out).filter(col("source").equalTo(l.source()));
        } else {
          Dataset<Row> quarantined = Tables.read(spark, settings, l.quarantine());
          Dataset<Row> bronze = Tables.read(spark, settings, l.bronze());
          Dataset<Row> accepted = Tables.read(spark, settings, l.accepted());
          one = withReasons(byFile(bronze, accepted, l.acceptedRows().apply(accepted),
              l.superseded() == null ? null : l.superseded().apply(bronze), quarantined, l.source()), quarantined, l.reasonColumn());
        }
        all = all == null ? one : all.unionByName(one);
      }
      Dataset<Row> ordered = all.orderBy("source", "source_file");
      Dataset<Row> rows = spark.createDataFrame(ordered.collectAsList(), ordered.schema());
      check(rows);
      return rows;
    });
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
    Dataset<Row> replaced = superseded == null ? bronze.limit(0)
        : superseded.join(quarantined, Columns.seq("_source_file", "_batch_id", "_source_record"), "left_anti");
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
