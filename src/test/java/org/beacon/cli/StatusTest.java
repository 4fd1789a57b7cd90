package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.beacon.ops.JobRuns;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
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
    assertEquals(Tables.version(spark, settings, TableName.GOLD_SURVEY_ESTIMATES), Long.parseLong(f[1]));
    assertEquals(Tables.read(spark, settings, TableName.GOLD_SURVEY_ESTIMATES).count(), Long.parseLong(f[4]));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("quarantine.")), "quarantine tables are listed");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("ops.job_runs,")));
  }
}
