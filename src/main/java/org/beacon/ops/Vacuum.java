package org.beacon.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `beacon vacuum`: deletes, in every table of the lakehouse, the data files that no version within the
 * configured deleted-file retention needs (files replaced or removed longer ago, and files a killed job
 * wrote but never committed). Every version inside the retention stays readable by time travel.
 */
public final class Vacuum {
  private static final Logger LOG = LoggerFactory.getLogger(Vacuum.class);

  /** One table's result. */
  public record Result(String table, long version, long filesDeleted) {}

  private Vacuum() {}

  public static List<Result> run(SparkSession spark, Settings settings) {
    long hours = settings.deletedFileRetention().toHours();
    java.time.Instant cutoff = java.time.Instant.now().minus(settings.deletedFileRetention());
    // Vacuum would otherwise log START/END commits, new versions that downstream lineage would take for new data;
    // and it lists folders in as many tasks as this setting (10,000 by default: half a minute per table here).
    Map<String, String> conf = Map.of("spark.databricks.delta.vacuum.logging.enabled", "false",
        "spark.sql.sources.parallelPartitionDiscovery.parallelism", String.valueOf(settings.shufflePartitions()));
    Map<String, String> before = new HashMap<>();
    conf.forEach((k, v) -> {
      before.put(k, spark.conf().get(k, null));
      spark.conf().set(k, v);
    });
    List<Result> out = new ArrayList<>();
    try {
      JobRuns.versions(settings).forEach((name, version) -> {
        Path dir = Tables.location(settings, TableName.parse(name));
        long deleted = 0;
        // Only a file older than the retention can go; a table with none is left without asking Delta.
        List<Path> files = dataFiles(dir);
        if (files.stream().anyMatch(f -> modified(f).isBefore(cutoff))) {
          spark.sql("VACUUM delta.`" + dir + "` RETAIN " + hours + " HOURS").collect();
          deleted = files.size() - dataFiles(dir).size();
        }
        out.add(new Result(name, version, deleted));
      });
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          spark.conf().unset(k);
        } else {
          spark.conf().set(k, v);
        }
      });
    }
    LOG.info("Vacuumed {} tables, keeping {} hours of removed files: {} files deleted", out.size(), hours,
        out.stream().mapToLong(Result::filesDeleted).sum());
    return out;
  }

  /** The table's data files: every file outside the log that is not hidden (Delta's own rule for vacuum). */
  private static List<Path> dataFiles(Path table) {
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(Files::isRegularFile).filter(f -> !table.relativize(f).toString().startsWith("_delta_log"))
          .filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().startsWith("_")).toList();
    } catch (IOException e) {
      throw new BeaconException("Cannot list the table folder " + table + ": " + e.getMessage() + ".", e);
    }
  }

  private static java.time.Instant modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      throw new BeaconException("Cannot read " + file + ": " + e.getMessage() + ".", e);
    }
  }
}
