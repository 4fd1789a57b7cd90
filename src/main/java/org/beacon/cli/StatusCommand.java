package org.beacon.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.beacon.ops.JobRuns;
import org.beacon.runtime.DeltaCommits;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/**
 * `beacon status`: per table, its latest Delta version, when and by which operation its data was last written,
 * its rows, and the last recorded run that wrote it (quarantine tables are listed like the others, so
 * their rows are the rows held back).
 */
final class StatusCommand extends Command {
  StatusCommand() {
    super("status", false, List.of(Option.FORMAT),
        "status   [--format table|csv]                             per table: version, last write, rows, last run");
  }

  @Override
  int run(Args args, Settings settings) {
    // Spark only when a table's rows cannot be read from its log.
    SparkSession[] opened = {null};
    try {
      print(settings, () -> opened[0] == null ? (opened[0] = SparkSessions.open(settings)) : opened[0], args.format(), System.out);
    } finally {
      if (opened[0] != null && !Boolean.getBoolean("org.beacon.sharedSession")) {
        opened[0].stop();
      }
    }
    return 0;
  }

  /**
   * Reads the transaction logs and their checksum files, and ops.job_runs's Parquet files, so the lakehouse's status
   * needs no Spark session; a table whose checksum file cannot say its rows is counted by Spark, opened for it.
   */
  static void print(Settings settings, java.util.function.Supplier<SparkSession> spark, String format, PrintStream out) {
    List<JobRuns.Run> recorded = Tables.exists(settings, JobRuns.TABLE) ? JobRuns.read(settings) : List.of();
    if (recorded == null) {
      recorded = Tables.read(spark.get(), settings, JobRuns.TABLE).collectAsList().stream().map(r -> new JobRuns.Run(
          r.getAs("job"), r.getAs("status"), r.getAs("ended_at"), r.getAs("tables_written"))).toList();
    }
    List<JobRuns.Run> runs = recorded.stream().sorted(java.util.Comparator.comparing(JobRuns.Run::endedAt).reversed()).toList();
    List<List<Object>> rows = new ArrayList<>();
    for (Map.Entry<String, Long> t : JobRuns.versions(settings).entrySet()) {
      TableName table = TableName.parse(t.getKey());
      // The last commit that wrote data: a table comment is a commit of its own.
      DeltaCommits.Commit last = DeltaCommits.lastData(Tables.location(settings, table));
      JobRuns.Run run = runs.stream().filter(r -> "succeeded".equals(r.status())
          && String.valueOf(r.tablesWritten()).contains(t.getKey() + "@")).findFirst().orElse(null);
      List<DeltaCommits.DataFile> files = DeltaCommits.files(Tables.location(settings, table));
      rows.add(List.of(t.getKey(), t.getValue(), last == null ? "" : String.valueOf(new java.sql.Timestamp(last.timestampMillis())),
          last == null ? "" : last.operation(),
          files != null ? files.stream().mapToLong(DeltaCommits.DataFile::rows).sum() : Tables.read(spark.get(), settings, table).count(),
          run == null ? "" : run.job() + " at " + run.endedAt()));
    }
    Output.print(out, format, List.of("table", "version", "written_at", "operation", "rows", "last_run"), rows);
  }
}
