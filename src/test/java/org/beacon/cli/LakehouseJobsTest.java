package org.beacon.cli;

import org.beacon.indicators.IndicatorTables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.LakehouseLock;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.Test;

/** Jobs on a shared lakehouse: one writer at a time, and retention that vacuum respects. */
class LakehouseJobsTest {
  /** Holds the writer lock of the lakehouse in args[0] until its standard input closes: another Beacon process. */
  public static final class Holder {
    public static void main(String[] args) throws IOException {
      try (LakehouseLock lock = LakehouseLock.acquire(Path.of(args[0]), "ingest", Duration.ZERO)) {
        System.out.println("held");
        System.out.flush();
        while (System.in.read() >= 0) {
          // until the test closes our input
        }
      }
    }
  }

  private static Process holder(Path lakehouse) throws IOException {
    Process p = new ProcessBuilder(JavaProcess.command("64m", Holder.class, lakehouse.toString())).redirectErrorStream(true).start();
    String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertEquals("held", line, "the other process holds the lock");
    return p;
  }

  @Test
  void aSecondWriterStopsBeforeChangingAnythingOrWaitsItsTurn() throws Exception {
    Path lakehouse = Files.createTempDirectory("beacon-lock");
    Process other = holder(lakehouse);
    try {
      Captured build = Captured.run("build", "--lakehouse", lakehouse.toString());
      assertEquals(1, build.code(), build.err());
      assertTrue(build.err().startsWith("beacon build failed: Another Beacon job is writing to the lakehouse " + lakehouse
          + " (beacon ingest, process " + other.pid() + ", since "), build.err());
      assertTrue(build.err().contains("this one stopped before changing anything"), build.err());
      assertFalse(Files.exists(lakehouse.resolve("ops")), "no run record, no table: nothing was changed");

      // A reader is never held up.
      Captured status = Captured.run("status", "--lakehouse", lakehouse.toString(), "--format", "csv");
      assertEquals(0, status.code(), status.err());

      // A job told to wait gets the lock once the other ends.
      Thread release = new Thread(() -> {
        try {
          Thread.sleep(1500);
          other.getOutputStream().close();
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      release.start();
      Instant asked = Instant.now();
      try (LakehouseLock lock = LakehouseLock.acquire(lakehouse, "build", Duration.ofSeconds(60))) {
        assertTrue(Duration.between(asked, Instant.now()).toMillis() >= 1000, "it waited for the other job");
      }
      release.join();
    } finally {
      other.destroy();
    }
    assertEquals(0, other.waitFor());
    // Nobody holds it now; and one waiting briefly for a holder that stays gives up with the same sentence.
    Process again = holder(lakehouse);
    try {
      BeaconException e = assertThrows(BeaconException.class, () -> LakehouseLock.acquire(lakehouse, "run", Duration.ofMillis(600)));
      assertTrue(e.getMessage().contains("(beacon ingest, process " + again.pid()), e.getMessage());
    } finally {
      again.getOutputStream().close();
      again.waitFor();
    }
  }

  @Test
  void everyTableKeepsItsVersionsForTheRetentionAndVacuumDeletesOnlyOlderFiles() throws IOException {
    // The default retention (reference.conf), as the vacuum command below reads it: 90 days of log, 30 of removed files.
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    TableName table = IndicatorTables.GOLD_WEIGHTING_EFFICIENCY;
    StructType schema = StructType.fromDDL("source STRING, ocu_code STRING, financial_year STRING, n BIGINT, efficiency DOUBLE");
    Dataset<Row> first = spark.createDataFrame(List.of(RowFactory.create("ftd", "o1", "2007/08", 400L, 0.87)), schema);
    Dataset<Row> second = spark.createDataFrame(List.of(RowFactory.create("ftd", "o1", "2007/08", 410L, 0.86),
        RowFactory.create("ftd", "o2", "2007/08", 300L, 0.9)), schema);
    Tables.replace(spark, settings, table, Lineage.of(settings).file("in", "1"), () -> first);
    long firstVersion = Tables.version(spark, settings, table);
    Tables.replace(spark, settings, table, Lineage.of(settings).file("in", "2"), () -> second);
    var properties = Tables.metadata(spark, settings, table).configuration();
    assertEquals("interval 2160 hours", properties.get("delta.logRetentionDuration").get());
    assertEquals("interval 720 hours", properties.get("delta.deletedFileRetentionDuration").get());

    // Files no version references: one a killed job left long ago, one a job may be writing right now.
    Path dir = Tables.location(settings, table);
    Path stale = Files.writeString(dir.resolve("part-09999-stale.snappy.parquet"), "left by a killed job");
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(40))));
    Path fresh = Files.writeString(dir.resolve("part-09998-fresh.snappy.parquet"), "being written");
    long version = Tables.version(spark, settings, table);

    Captured vacuum = Captured.run("vacuum", "--lakehouse", settings.lakehouse().toString(), "--format", "csv");
    assertEquals(0, vacuum.code(), vacuum.err());
    assertTrue(vacuum.out().contains("gold.weighting_efficiency," + version + ",1"), vacuum.out());
    assertFalse(Files.exists(stale), "the file older than the retention is deleted");
    assertTrue(Files.exists(fresh), "a newer file is kept");
    assertEquals(version, Tables.version(spark, settings, table), "vacuum adds no version for lineage to mistake for new data");
    assertEquals(1, spark.read().format("delta").option("versionAsOf", firstVersion).load(dir.toString()).count(),
        "the replaced version stays readable");
    assertEquals(2, Tables.read(spark, settings, table).count());
  }
}
