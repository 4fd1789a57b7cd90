package org.beacon.runtime;

import org.beacon.crime.CrimeTables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.Test;

/**
 * The Deequ gate in front of a gold table: a good write passes and is recorded; a duplicated key, an empty
 * required column, a broken row rule or a collapse in row count each stop the write with a sentence, the
 * table keeps its version and content, and ops.quality_results records the failed check.
 */
class QualityGateTest {
  private static final TableName TABLE = CrimeTables.GOLD_CRIME_MONTHLY;
  private static final StructType MONTHLY = StructType.fromDDL("level STRING, area_code STRING, force_code STRING, "
      + "month STRING, financial_year STRING, crime_type STRING, records BIGINT, sanction_detections BIGINT");

  /** Rows for months 2007-04 onwards of one OCU, one crime type; edit picks rows to break. */
  private static Dataset<Row> monthly(SparkSession spark, int months, java.util.function.UnaryOperator<List<Object[]>> edit) {
    List<Object[]> rows = new ArrayList<>();
    for (int m = 0; m < months; m++) {
      String month = String.format("%d-%02d", 2007 + (m + 3) / 12, (m + 3) % 12 + 1);
      rows.add(new Object[] {"ocu", "D1", "west-midlands", month, "2007/08", "burglary", 10L + m, 2L});
    }
    return spark.createDataFrame(edit.apply(rows).stream().map(RowFactory::create).toList(), MONTHLY);
  }

  private static int run = 0;

  private static void write(SparkSession spark, Settings settings, Dataset<Row> rows) {
    Tables.replace(spark, settings, TABLE, Lineage.of(settings).file("in", String.valueOf(run++)), () -> rows);
  }

  private static BeaconException refused(SparkSession spark, Settings settings, Dataset<Row> rows, String... wanted) {
    long version = Tables.version(spark, settings, TABLE);
    List<Row> before = Tables.read(spark, settings, TABLE).orderBy("month").collectAsList();
    BeaconException e = assertThrows(BeaconException.class, () -> write(spark, settings, rows));
    for (String w : wanted) {
      assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
    }
    assertTrue(e.getMessage().contains("The previous version stays published"), e.getMessage());
    assertEquals(version, Tables.version(spark, settings, TABLE), "a failed gate writes nothing");
    assertEquals(before, Tables.read(spark, settings, TABLE).orderBy("month").collectAsList());
    return e;
  }

  @Test
  void aMergeIsGatedAsAWriteIs() {
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    write(spark, settings, monthly(spark, 3, r -> r));
    long version = Tables.version(spark, settings, TABLE);
    Dataset<Row> broken = monthly(spark, 1, r -> {
      r.get(0)[7] = 99L;
      return r;
    });
    BeaconException e = assertThrows(BeaconException.class,
        () -> Tables.merge(spark, settings, TABLE, Lineage.of(settings).file("in", "merge"), "month", broken));
    assertTrue(e.getMessage().contains("detections_within_records"), e.getMessage());
    assertEquals(version, Tables.version(spark, settings, TABLE), "a merge refused by the gate writes nothing");
    Tables.merge(spark, settings, TABLE, Lineage.of(settings).file("in", "merge"), "month", monthly(spark, 1, r -> r));
    assertEquals(version + 1, Tables.version(spark, settings, TABLE), "a good merge is written");
  }

  @Test
  void aFailingGateLeavesThePublishedVersionAndRecordsWhy() {
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    write(spark, settings, monthly(spark, 12, r -> r));
    QualityGate.flush(spark, settings);
    Dataset<Row> results = Tables.read(spark, settings, QualityGate.RESULTS);
    assertEquals(0, results.filter("status <> 'passed'").count());
    // row count, 7 complete columns (key first), key uniqueness, 2 rules
    assertEquals(11, results.count());
    assertEquals(12L, results.filter("constraint_name = 'row_count'").first().<Long>getAs("rows_checked"));

    refused(spark, settings, monthly(spark, 12, r -> {
      r.get(5)[3] = "2007-04";
      return r;
    }), "the key (level, area_code, month, crime_type) is not unique, e.g. [ocu, D1, 2007-04, burglary] 2 times");
    refused(spark, settings, monthly(spark, 12, r -> {
      r.get(2)[2] = null;
      return r;
    }), "force_code is empty in 1 of 12 rows");
    refused(spark, settings, monthly(spark, 12, r -> {
      r.get(0)[7] = 99L;
      return r;
    }), "detections_within_records: 1 of 12 rows do not satisfy sanction_detections IS NULL OR sanction_detections <= records");
    refused(spark, settings, monthly(spark, 5, r -> r), "5 rows, expected between 6 and 132 rows (12 replaced");

    Dataset<Row> failed = Tables.read(spark, settings, QualityGate.RESULTS).filter("status = 'failed'");
    assertEquals(List.of("complete", "detections_within_records", "key_unique", "row_count"),
        failed.select("constraint_name").distinct().orderBy("constraint_name").collectAsList().stream().map(r -> r.getString(0)).toList());
    assertEquals(1, failed.filter("constraint_name = 'complete' AND column_names = 'force_code'").count());
    assertTrue(failed.filter("table_name <> 'gold.crime_monthly' OR replaced_version IS NULL").isEmpty());

    // A change allowed by configuration passes: the same five months with the decrease tolerated.
    write(spark, settings.with(Map.of("beacon.quality.max-row-decrease", 1.0)), monthly(spark, 5, r -> r));
    assertEquals(5, Tables.read(spark, settings, TABLE).count());
  }
}
