package org.beacon.cli;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.ops.JobRuns;
import org.beacon.runtime.DeltaCommits;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/**
 * `beacon status`: per table, its latest Delta version, when and by which operation its data was last written,
 * its rows, and the last recorded run that wrote it (quarantine tables are listed like the others, so
 * their rows are the rows held back).
 */
final class StatusCommand {
  private StatusCommand() {}

  static void run(SparkSession spark, Settings settings, String format, PrintStream out) {
    List<Row> runs = Tables.exists(settings, JobRuns.TABLE)
        ? Tables.read(spark, settings, JobRuns.TABLE).orderBy(col("ended_at").desc()).collectAsList() : List.of();
    List<List<Object>> rows = new ArrayList<>();
    for (Map.Entry<String, Long> t : JobRuns.versions(settings).entrySet()) {
      String[] name = t.getKey().split("\\.");
      TableName table = new TableName(name[0], name[1]);
      // The last commit that wrote data: a table comment is a commit of its own.
      DeltaCommits.Commit last = DeltaCommits.lastData(Tables.location(settings, table));
      Row run = runs.stream().filter(r -> r.<String>getAs("status").equals("succeeded")
          && String.valueOf(r.<String>getAs("tables_written")).contains(t.getKey() + "@")).findFirst().orElse(null);
      rows.add(List.of(t.getKey(), t.getValue(), last == null ? "" : String.valueOf(new java.sql.Timestamp(last.timestampMillis())),
          last == null ? "" : last.operation(),
          Tables.read(spark, settings, table).count(),
          run == null ? "" : run.getAs("job") + " at " + run.getAs("ended_at")));
    }
    Output.print(out, format, List.of("table", "version", "written_at", "operation", "rows", "last_run"), rows);
  }
}
