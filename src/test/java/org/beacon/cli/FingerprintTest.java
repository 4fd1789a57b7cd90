package org.beacon.cli;

import org.beacon.survey.SurveyTables;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.Test;

/** `beacon fingerprint` tells tables with the same figures from tables with others, whatever their order and batches. */
class FingerprintTest {
  @Test
  void theHashIgnoresRowOrderAndBatchesButNotValues() {
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    Dataset<Row> groups = spark.range(200).selectExpr("concat('F', id % 20) AS force_code", "concat('M', id) AS msf_force_code",
        "concat('batch-', id % 3) AS _batch_id");
    String first = hash(spark, settings, groups.orderBy("msf_force_code"));
    assertEquals(first, hash(spark, settings, groups.orderBy(col("msf_force_code").desc()).repartition(3)
        .withColumn("_batch_id", lit("another delivery"))), "the same rows in another order, from other batches");
    assertNotEquals(first, hash(spark, settings, groups.withColumn("force_code",
        when(col("msf_force_code").equalTo("M7"), lit("F8")).otherwise(col("force_code")))), "one value changed");
    assertNotEquals(first, hash(spark, settings, groups.filter("msf_force_code <> 'M7'")), "one row fewer");
  }

  private static String hash(SparkSession spark, Settings settings, Dataset<Row> rows) {
    Tables.replace(spark, settings, SurveyTables.SILVER_MSF_GROUPS, Lineage.of(settings).file("rows", String.valueOf(System.nanoTime())),
        () -> rows);
    Captured out = Captured.run("fingerprint", "--lakehouse", settings.lakehouse().toString(), "--format", "csv");
    assertEquals(0, out.code(), out.err());
    List<String> lines = out.out().lines().toList();
    assertEquals("table,rows,hash,columns_left_out", lines.get(0));
    String[] f = lines.stream().filter(l -> l.startsWith("silver.reference__msf_groups,")).findFirst().orElseThrow().split(",");
    assertEquals(String.valueOf(rows.count()), f[1]);
    assertEquals("_batch_id", f[3]);
    return f[2];
  }
}
