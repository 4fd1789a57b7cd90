package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.beacon.EndpointLoad;
import org.beacon.SharedSpark;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The platform shared under load: `beacon metastore`, `beacon serve` and a scheduled delivery's `beacon ingest --month`
 * and `beacon build --month` run side by side as separate processes on one lakehouse, all on the catalog service. 8
 * JDBC clients query the endpoint for at least a minute and until the delivery (a month of data.police.uk files, held
 * back from the first run) has been ingested and built, which commits new versions of the crime marts. Every query must
 * answer, and every answer must be the answer of one committed table version (checked afterwards with VERSION AS OF),
 * never a mix. Tagged "load" (about nine minutes on two cores), left out of the suite and of .ci/run's trials:
 * mvn -B test -Dtest=EndpointLoadTest -Dgroups=load -Dtest.excludedGroups=none.
 */
@Tag("load")
class EndpointLoadTest {
  @Test
  void eightClientsGetConsistentAnswersWhileAScheduledBuildCommits() throws Exception {
    SparkSession spark = SharedSpark.session();
    Path lakehouse = Files.createTempDirectory("beacon-load");
    String l = lakehouse.toString();
    assertEquals(0, Beacon.execute(new String[] {"generate", "--lakehouse", l, "--forces", "2", "--years", "1", "--scale", "0.05"}));
    Path months = lakehouse.resolve("landing/police_uk");
    String month;
    try (Stream<Path> dirs = Files.list(months)) {
      month = dirs.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElseThrow();
    }
    Path heldBack = Files.createTempDirectory("beacon-load-held").resolve(month);
    Files.move(months.resolve(month), heldBack);
    // The service first: it opens the lakehouse's catalog database, which an embedded catalog opened in this JVM
    // would hold for as long as the JVM runs.
    Path logs = Files.createTempDirectory("beacon-load-logs");
    Process service = new ProcessBuilder(JavaProcess.command("1g", Beacon.class, "metastore", "--lakehouse", l, "--port", "0"))
        .redirectError(logs.resolve("metastore.log").toFile()).start();
    Process serve = null;
    try {
      String uri = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertTrue(uri != null && uri.startsWith("thrift://127.0.0.1:"), "the catalog service started: " + uri + "\n"
          + Files.readString(logs.resolve("metastore.log")));
      assertEquals(0, Beacon.execute(new String[] {"ingest", "--lakehouse", l}));
      assertEquals(0, Beacon.execute(new String[] {"build", "--lakehouse", l}));
      int port = ServeTest.freePort();
      Settings settings = Settings.load(Map.of("beacon.lakehouse", l, "beacon.serve.port", port));
      Map<String, Long> before = new HashMap<>();
      EndpointLoad.VERSIONED.keySet().forEach(t -> before.put(t, version(spark, settings, t)));

      serve = new ProcessBuilder(JavaProcess.command("2g", Beacon.class, "serve", "--lakehouse", l, "--port", String.valueOf(port)))
          .redirectErrorStream(true).redirectOutput(logs.resolve("serve.log").toFile()).start();
      String url = "jdbc:hive2://127.0.0.1:" + port + "/default";
      awaitEndpoint(url, serve, logs.resolve("serve.log"));
      assertTrue(Files.readString(logs.resolve("serve.log")).contains("Catalog: the metastore service at " + uri),
          "serve uses the catalog service");

      Files.move(heldBack, months.resolve(month));
      Path log = logs.resolve("scheduled.log");
      List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread scheduled = new Thread(() -> {
        for (String job : List.of("ingest", "build")) {
          try {
            Process p = new ProcessBuilder(JavaProcess.command("2g", Beacon.class, job, "--month", month, "--lakehouse", l))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (p.waitFor() != 0) {
              failed.add(job + " exited " + p.exitValue());
              return;
            }
          } catch (Exception e) {
            failed.add(job + ": " + e);
            return;
          }
        }
      });
      scheduled.start();
      EndpointLoad.Result load = EndpointLoad.run(url, 8, 60_000, 600_000, scheduled::isAlive);
      scheduled.join(600_000);
      String scheduledLog = Files.readString(log);
      assertEquals(List.of(), failed, scheduledLog);
      assertEquals(2, scheduledLog.split(java.util.regex.Pattern.quote("Catalog: the metastore service at " + uri), -1).length - 1,
          "the scheduled ingest and build used the catalog service beside serve");
      assertEquals(List.of(), load.errors(), "queries that failed under load");
      assertTrue(version(spark, settings, "gold.crime_monthly") > before.get("gold.crime_monthly"),
          "the scheduled build committed a new version of gold.crime_monthly");

      Map<String, Set<String>> committed = new HashMap<>();
      try (Connection c = DriverManager.getConnection(url, "checker", ""); Statement s = c.createStatement()) {
        for (String table : EndpointLoad.VERSIONED.keySet()) {
          Set<String> values = new HashSet<>();
          for (long v = before.get(table); v <= version(spark, settings, table); v++) {
            try (ResultSet r = s.executeQuery(String.format(EndpointLoad.VERSIONED.get(table), table + " VERSION AS OF " + v))) {
              values.add(EndpointLoad.rows(r));
            }
          }
          committed.put(table, values);
        }
      }
      Set<String> seen = new HashSet<>();
      for (EndpointLoad.Answer a : load.answers()) {
        assertTrue(committed.get(a.table()).contains(a.value()), a.table() + " answered " + a.value()
            + ", which no committed version holds: " + committed.get(a.table()));
        seen.add(a.table() + " " + a.value());
      }
      System.out.println("EndpointLoadTest: " + load.summary() + "; distinct versioned answers: " + seen);
      assertTrue(seen.stream().filter(a -> a.startsWith("gold.crime_monthly ")).count() > 1,
          "the clients saw gold.crime_monthly before and after the scheduled build's commit: " + seen);
    } finally {
      if (serve != null) {
        serve.destroy();
        serve.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
      }
      service.destroy();
      service.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Waits until the endpoint answers a query, failing with its log when it exits or takes over three minutes. */
  private static void awaitEndpoint(String url, Process serve, Path log) throws Exception {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (true) {
      try (Connection c = DriverManager.getConnection(url, "checker", ""); Statement s = c.createStatement()) {
        s.executeQuery("SELECT 1").close();
        return;
      } catch (java.sql.SQLException e) {
        if (!serve.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("beacon serve did not answer at " + url + ": " + Files.readString(log), e);
        }
        Thread.sleep(1000);
      }
    }
  }

  private static long version(SparkSession spark, Settings settings, String table) {
    String[] parts = table.split("\\.");
    return Tables.version(spark, settings, new TableName(parts[0], parts[1]));
  }
}
