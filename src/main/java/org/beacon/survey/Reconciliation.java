package org.beacon.survey;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Columns;

/** Row counts per delivered file: read, accepted, quarantined; the invariant read = accepted + quarantined. */
public final class Reconciliation {
  private Reconciliation() {}

  public static Dataset<Row> byFile(Dataset<Row> bronze, Dataset<Row> validated, String source) {
    Columns.require(validated, "Reconciliation.byFile", List.of("_source_file", "_batch_id", FtdConform.REASON));
    Dataset<Row> read = bronze.groupBy("_source_file").agg(count(lit(1)).as("rows_read"));
    Dataset<Row> outcome = validated.groupBy("_source_file", "_batch_id").agg(
        sum(when(col(FtdConform.REASON).isNull(), 1).otherwise(0)).cast("long").as("rows_accepted"),
        sum(when(col(FtdConform.REASON).isNotNull(), 1).otherwise(0)).cast("long").as("rows_quarantined"));
    return read.join(outcome, "_source_file")
        .select(lit(source).as("source"), col("_source_file").as("source_file"), col("_batch_id").as("batch_id"),
            col("rows_read"), col("rows_accepted"), col("rows_quarantined"))
        .orderBy("source_file");
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
