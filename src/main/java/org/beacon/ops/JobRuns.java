package org.beacon.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.DeltaCommits;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/**
 * ops.job_runs: one row per run of a job that may write (ingest, build, run, extract, verify-report):
 * when, how it ended, and which tables it moved from which Delta version to which, with the rows
 * those commits wrote. A scheduler reads it to see what ran; `beacon status` summarises it.
 */
public final class JobRuns {
  public static final TableName TABLE = new TableName("ops", "job_runs");
  static final StructType SCHEMA = StructType.fromDDL("run_id STRING, job STRING, arguments STRING, started_at TIMESTAMP, "
      + "ended_at TIMESTAMP, seconds DOUBLE, status STRING, error STRING, tables_written STRING, rows_written BIGINT");

  private JobRuns() {}

  /** The latest Delta version of every table in the lakehouse, read from the transaction logs (no Spark job). */
  public static Map<String, Long> versions(Settings settings) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String layer : TableName.LAYERS) {
      Path dir = settings.lakehouse().resolve(layer);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> tables = Files.list(dir)) {
        tables.filter(Tables::isTable).sorted()
            .forEach(t -> out.put(layer + "." + t.getFileName(), DeltaCommits.latest(t)));
      } catch (IOException e) {
        throw new BeaconException("Cannot list the lakehouse folder " + dir + ": " + e.getMessage() + ".", e);
      }
    }
    return out;
  }

  /** One recorded run, as `beacon status` shows it. */
  public record Run(String job, String status, Timestamp endedAt, String tablesWritten) {}

  /**
   * Every recorded run, oldest first, read from the table's Parquet files as its Delta checksum file lists them,
   * without a Spark job; null when the checksum file cannot tell the files (then read the table with Spark).
   */
  public static List<Run> read(Settings settings) {
    List<DeltaCommits.DataFile> files = DeltaCommits.files(Tables.location(settings, TABLE));
    if (files == null) {
      return null;
    }
    List<Run> runs = new ArrayList<>();
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    org.beacon.runtime.SparkSessions.LOCAL_FILES.forEach((k, v) -> conf.set(k.substring("spark.hadoop.".length()), v));
    for (DeltaCommits.DataFile f : files) {
      try (var reader = org.apache.parquet.hadoop.ParquetReader.builder(new org.apache.parquet.hadoop.example.GroupReadSupport(),
          new org.apache.hadoop.fs.Path(f.path().toUri())).withConf(conf).build()) {
        for (org.apache.parquet.example.data.Group g = reader.read(); g != null; g = reader.read()) {
          runs.add(new Run(text(g, "job"), text(g, "status"), timestamp(g, "ended_at"), text(g, "tables_written")));
        }
      } catch (IOException e) {
        throw new BeaconException("Cannot read " + f.path() + " of " + TABLE + ": " + e.getMessage() + ".", e);
      }
    }
    return runs;
  }

  private static String text(org.apache.parquet.example.data.Group g, String field) {
    return g.getFieldRepetitionCount(field) == 0 ? null : g.getString(field, 0);
  }

  /** A Parquet timestamp as Spark writes it: INT96 (nanoseconds of the day, Julian day; little-endian) or INT64 micros. */
  private static Timestamp timestamp(org.apache.parquet.example.data.Group g, String field) {
    if (g.getFieldRepetitionCount(field) == 0) {
      return null;
    }
    var type = g.getType().getType(field).asPrimitiveType().getPrimitiveTypeName();
    if (type == org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64) {
      long micros = g.getLong(field, 0);
      Timestamp t = new Timestamp(Math.floorDiv(micros, 1000));
      t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
      return t;
    }
    java.nio.ByteBuffer b = g.getInt96(field, 0).toByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = b.getLong();
    long day = b.getInt() - 2_440_588L; // Julian day of 1970-01-01
    Timestamp t = new Timestamp(day * 86_400_000L + nanosOfDay / 1_000_000L);
    t.setNanos((int) (nanosOfDay % 1_000_000_000L));
    return t;
  }

  /** Appends the run's row: the tables whose version moved between before and now, and the rows their commits wrote. */
  public static void record(SparkSession spark, Settings settings, String job, List<String> arguments, Instant started,
      Map<String, Long> before, Throwable failure) {
    Instant ended = Instant.now();
    Map<String, Long> after = versions(settings);
    List<String> written = new ArrayList<>();
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long from = before.getOrDefault(e.getKey(), -1L);
      if (!e.getKey().equals(TABLE.qualified()) && e.getValue() > from) {
        written.add(e.getKey() + "@" + (from < 0 ? "new" : String.valueOf(from)) + "->" + e.getValue());
      }
    }
    long rows = rowsWritten(settings, before, after);
    String error = failure == null ? null : String.valueOf(failure.getMessage()).lines().findFirst().orElse("");
    Tables.append(spark, settings, TABLE, spark.createDataFrame(List.of(RowFactory.create(UUID.randomUUID().toString(), job,
        String.join(" ", arguments), Timestamp.from(started), Timestamp.from(ended), (ended.toEpochMilli() - started.toEpochMilli()) / 1000.0,
        failure == null ? "succeeded" : "failed", error, String.join(", ", written), rows)), SCHEMA));
  }

  /** The rows written by every commit between two sets of versions (from {@link #versions}), ops.job_runs aside. */
  public static long rowsWritten(Settings settings, Map<String, Long> before, Map<String, Long> after) {
    long rows = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      Path table = settings.lakehouse().resolve(e.getKey().replace('.', '/'));
      for (long v = before.getOrDefault(e.getKey(), -1L) + 1; v <= e.getValue() && !e.getKey().equals(TABLE.qualified()); v++) {
        DeltaCommits.Commit commit = DeltaCommits.at(table, v);
        rows += commit == null ? 0 : commit.outputRows();
      }
    }
    return rows;
  }
}
