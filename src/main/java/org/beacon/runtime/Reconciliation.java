package org.beacon.runtime;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Row counts per delivered file: read, accepted, quarantined; the invariant read = accepted + quarantined. */
public final class Reconciliation {
  /**
   * One loaded source: its bronze table, the table its accepted rows went to and its quarantine with the
   * column that holds each row's reasons; acceptedRows turns the accepted table into one row per accepted
   * bronze row (_source_file, _batch_id), for tables that merge several deliveries into one record.
   */
  public record Load(String source, TableName bronze, TableName accepted, TableName quarantine, String reasonColumn,
      java.util.function.UnaryOperator<Dataset<Row>> acceptedRows) {}

  private Reconciliation() {}

  /** ops.load_reconciliation for every load, counted from the tables as written; fails if any file does not add up. */
  public static void write(org.apache.spark.sql.SparkSession spark, Settings settings, List<Load> loads) {
    if (loads.isEmpty()) {
      return;
    }
    Lineage lineage = Lineage.of(settings);
    for (Load l : loads) {
      lineage.table(spark, settings, l.bronze()).table(spark, settings, l.accepted()).table(spark, settings, l.quarantine());
    }
    // One row per delivered file: computed once, checked and written from the driver.
    Tables.replace(spark, settings, TableName.OPS_LOAD_RECONCILIATION, lineage, () -> {
      Dataset<Row> all = null;
      for (Load l : loads) {
        Dataset<Row> quarantined = Tables.read(spark, settings, l.quarantine());
        Dataset<Row> one = withReasons(byFile(Tables.read(spark, settings, l.bronze()),
            l.acceptedRows().apply(Tables.read(spark, settings, l.accepted())), quarantined, l.source()),
            quarantined, l.reasonColumn());
        all = all == null ? one : all.unionByName(one);
      }
      Dataset<Row> ordered = all.orderBy("source", "source_file");
      Dataset<Row> rows = spark.createDataFrame(ordered.collectAsList(), ordered.schema());
      check(rows);
      return rows;
    });
  }

  /**
   * Per delivery (file and the batch that brought it; a file delivered again with new content is a new
   * delivery): rows read, accepted and quarantined.
   */
  public static Dataset<Row> byFile(Dataset<Row> bronze, Dataset<Row> accepted, Dataset<Row> quarantined, String source) {
    for (Dataset<Row> d : List.of(bronze, accepted, quarantined)) {
      Columns.require(d, "Reconciliation.byFile", List.of("_source_file", "_batch_id"));
    }
    Dataset<Row> read = bronze.groupBy("_source_file", "_batch_id").agg(count(lit(1)).as("rows_read"));
    Dataset<Row> ok = accepted.groupBy(col("_source_file").as("_ok_file"), col("_batch_id").as("_ok_batch"))
        .agg(count(lit(1)).as("rows_accepted"));
    Dataset<Row> bad = quarantined.groupBy(col("_source_file").as("_bad_file"), col("_batch_id").as("_bad_batch"))
        .agg(count(lit(1)).as("rows_quarantined"));
    return read.join(ok, col("_source_file").equalTo(col("_ok_file")).and(col("_batch_id").equalTo(col("_ok_batch"))), "left")
        .join(bad, col("_source_file").equalTo(col("_bad_file")).and(col("_batch_id").equalTo(col("_bad_batch"))), "left")
        .select(lit(source).as("source"), col("_source_file").as("source_file"), col("_batch_id").as("batch_id"),
            col("rows_read"), coalesce(col("rows_accepted"), lit(0L)).as("rows_accepted"),
            coalesce(col("rows_quarantined"), lit(0L)).as("rows_quarantined"));
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
    List<Row> bad = reconciliation.filter(col("rows_read").notEqual(col("rows_accepted").plus(col("rows_quarantined"))))
        .collectAsList();
    if (!bad.isEmpty()) {
      Row r = bad.get(0);
      throw new BeaconException("Rows do not reconcile for " + r.getAs("source_file") + ": read " + r.getAs("rows_read")
          + ", accepted " + r.getAs("rows_accepted") + ", quarantined " + r.getAs("rows_quarantined") + ".");
    }
  }
}
