package org.beacon.cli;

import org.beacon.indicators.IndicatorTables;

import org.beacon.survey.SurveyTables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.beacon.ops.JobRuns;
import org.beacon.runtime.Settings;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** ops.job_runs records the runs of the tests before it, failures included, and `beacon status` reports every table. */
@Order(6)
class StatusTest {
  @Test
  void runsAreRecordedAndStatusReportsEveryTable() {
    SparkSession spark = SharedSpark.session();
    String lakehouse = DefaultLakehouse.path().toString();
    Settings settings = Settings.load(Map.of("beacon.lakehouse", lakehouse));
    List<Row> runs = Tables.read(spark, settings, JobRuns.TABLE).collectAsList();
    assertTrue(runs.stream().anyMatch(r -> r.getAs("job").equals("run") && r.getAs("status").equals("succeeded")
        && r.<Double>getAs("seconds") > 0), "the default lakehouse's run");
    assertTrue(runs.stream().anyMatch(r -> r.getAs("job").equals("extract") && r.getAs("status").equals("failed")
        && String.valueOf(r.<String>getAs("error")).contains("There is no force 'atlantis'")), "ExtractTest's failed extract");
    runs.stream().filter(r -> String.valueOf(r.<String>getAs("tables_written")).contains("gold.survey_estimates@new->"))
        .forEach(r -> assertTrue(r.<Long>getAs("rows_written") >= 225_228, "the first build's rows: " + r));

    Captured status = Captured.run("status", "--lakehouse", lakehouse, "--format", "csv");
    assertEquals(0, status.code(), status.err());
    List<String> lines = status.out().lines().toList();
    assertEquals("table,version,written_at,operation,rows,last_run", lines.get(0));
    String estimates = lines.stream().filter(l -> l.startsWith("gold.survey_estimates,")).findFirst().orElseThrow();
    String[] f = estimates.split(",");
    assertEquals(Tables.version(spark, settings, IndicatorTables.GOLD_SURVEY_ESTIMATES), Long.parseLong(f[1]));
    assertEquals(Tables.read(spark, settings, IndicatorTables.GOLD_SURVEY_ESTIMATES).count(), Long.parseLong(f[4]));
    // The last run is read from ops.job_runs's Parquet files without Spark: the same as Spark reads it.
    Row last = Tables.read(spark, settings, JobRuns.TABLE).filter("status = 'succeeded' AND tables_written LIKE '%gold.survey_estimates@%'")
        .orderBy(org.apache.spark.sql.functions.col("ended_at").desc()).first();
    assertEquals(last.getAs("job") + " at " + last.getAs("ended_at"), f[5]);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("quarantine.")), "quarantine tables are listed");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("ops.job_runs,")));
  }

  @Test
  void rowsAreCountedBySparkWhenDeltasChecksumFileIsMissing() throws Exception {
    Settings settings = org.beacon.SharedSpark.settings(Map.of());
    SparkSession spark = org.beacon.runtime.SparkSessions.open(settings);
    for (int rows : new int[] {7, 12}) {
      Tables.replace(spark, settings, SurveyTables.SILVER_MSF_GROUPS, org.beacon.runtime.Lineage.of(settings).file("n", "" + rows),
          () -> spark.range(rows).selectExpr("concat('F', id) AS force_code", "concat('M', id) AS msf_force_code"));
    }
    assertEquals("12", statusRows(settings), "from the checksum file of the latest version");
    java.nio.file.Path log = Tables.location(settings, SurveyTables.SILVER_MSF_GROUPS).resolve("_delta_log");
    try (var crcs = java.nio.file.Files.list(log)) {
      for (java.nio.file.Path crc : crcs.filter(p -> p.toString().endsWith(".crc")).toList()) {
        java.nio.file.Files.delete(crc);
      }
    }
    assertEquals("12", statusRows(settings), "counted by Spark");
  }

  private static String statusRows(Settings settings) {
    Captured status = Captured.run("status", "--lakehouse", settings.lakehouse().toString(), "--format", "csv");
    assertEquals(0, status.code(), status.err());
    return status.out().lines().filter(l -> l.startsWith("silver.reference__msf_groups,")).findFirst().orElseThrow().split(",")[4];
  }
}
