package org.beacon.cli;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `beacon run` in a real subprocess, killed with SIGKILL at random points mid-write: every table is left at
 * a committed version and readable, and running the job again gives exactly what an uninterrupted run gives.
 * Tagged "trials": .ci/run runs it as a step of its own (mvn -B test -Dgroups=trials -Dtest.excludedGroups=none).
 */
@Tag("trials")
class CrashRecoveryTest {
  private static final String[] WORLD = {"--forces", "2", "--years", "1", "--scale", "0.05"};
  /** Columns that name a delivery's batch or time: the only ones two runs on the same files may differ in. */
  private static final List<String> RUN_SPECIFIC = List.of("_batch_id", "_ingested_at", "_deliveries");

  private static String[] run(Path lakehouse) {
    List<String> args = new ArrayList<>(List.of("run", "--lakehouse", lakehouse.toString()));
    args.addAll(List.of(WORLD));
    return args.toArray(String[]::new);
  }

  /** Per silver, quarantine and gold table: rows and an order-free hash of their content (doubles to 10 digits). */
  private static Map<String, String> contents(SparkSession spark, Path lakehouse) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String layer : List.of("silver", "quarantine", "gold")) {
      List<Path> tables;
      try (Stream<Path> dirs = Files.list(lakehouse.resolve(layer))) {
        tables = dirs.filter(Tables::isTable).sorted().toList();
      }
      for (Path t : tables) {
        Dataset<Row> d = spark.read().format("delta").load(t.toString());
        Row r = d.select(xxhash64(org.beacon.Comparable.columns(d, RUN_SPECIFIC)).cast("decimal(38,0)").as("h"))
            .agg(count(lit(1)), sum("h")).head();
        out.put(layer + "." + t.getFileName(), r.get(0) + " rows, hash " + r.get(1));
      }
    }
    return out;
  }

  /** Starts `beacon run` in a new JVM and kills it (SIGKILL) a random moment after its n-th table write. */
  private static int killAfterWrite(Path lakehouse, int n, long delayMillis) throws Exception {
    Process p = new ProcessBuilder(JavaProcess.command("2g", Beacon.class, run(lakehouse))).redirectErrorStream(true).start();
    int writes = 0;
    try (BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; writes < n && (line = log.readLine()) != null; ) {
        if (line.contains(" written (")) {
          writes++;
        }
      }
      Thread.sleep(delayMillis);
      p.destroyForcibly();
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return writes;
  }

  @Test
  void aRunKilledAtRandomPointsIsCompletedByTheNextRunWithTheSameResult() throws Exception {
    SparkSession spark = SharedSpark.session();
    Path uninterrupted = Files.createTempDirectory("beacon-crash-reference");
    assertEquals(0, Beacon.execute(run(uninterrupted)));
    Map<String, String> expected = contents(spark, uninterrupted);
    assertTrue(expected.size() > 30, "the tables of a whole run: " + expected.keySet());

    Random random = new Random(1605);
    for (int trial = 0; trial < 3; trial++) {
      Path lakehouse = Files.createTempDirectory("beacon-crash");
      // A run writes 40 tables: the trials kill in its first, second and last third (ingest, estimates, marts).
      int n = 1 + trial * 13 + random.nextInt(13);
      long delay = random.nextInt(1500);
      int seen = killAfterWrite(lakehouse, n, delay);
      assertEquals(n, seen, "the run was still writing when it was killed");
      System.out.printf("CrashRecoveryTest trial %d: beacon run killed (SIGKILL) %d ms after its table write %d%n", trial, delay, seen);
      // Whatever the kill interrupted, each table is at a committed version that reads whole.
      for (String layer : List.of("bronze", "silver", "quarantine", "gold", "ops")) {
        Path dir = lakehouse.resolve(layer);
        if (Files.isDirectory(dir)) {
          try (Stream<Path> tables = Files.list(dir)) {
            for (Path t : tables.filter(Tables::isTable).toList()) {
              spark.read().format("delta").load(t.toString()).count();
            }
          }
        }
      }
      assertEquals(0, Beacon.execute(run(lakehouse)), "the run after the kill (trial " + trial + ", after write " + seen + ")");
      assertEquals(expected, contents(spark, lakehouse), "trial " + trial + ": killed " + delay + " ms after write " + seen);
    }
  }
}
