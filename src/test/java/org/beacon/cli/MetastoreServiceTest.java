package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.beacon.runtime.MetastoreService;
import org.beacon.sql.SqlServer;
import org.junit.jupiter.api.Test;

/**
 * `beacon metastore` as the catalog every process on a lakehouse shares: a view one `beacon sql` process creates is
 * read by the next, each in a JVM of its own; on SIGTERM the service stops and the processes return to the
 * embedded catalog, which holds the same view (the service serves the embedded catalog's own database).
 */
class MetastoreServiceTest {
  private record Run(int code, String out, String err) {}

  private static Run beacon(String... args) throws Exception {
    Path err = Files.createTempFile("beacon-sql", ".err");
    Process p = new ProcessBuilder(JavaProcess.command("1g", Beacon.class, args)).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "beacon " + String.join(" ", args) + " finished");
    return new Run(p.exitValue(), out, Files.readString(err));
  }

  @Test
  void processesShareTheServicesCatalogAndReturnToTheEmbeddedOneWhenItStops() throws Exception {
    Path lakehouse = Files.createTempDirectory("beacon-metastore");
    Path log = Files.createTempFile("beacon-metastore", ".log");
    Process service = new ProcessBuilder(JavaProcess.command("1g", Beacon.class, "metastore", "--lakehouse", lakehouse.toString(),
        "--port", "0")).redirectError(log.toFile()).start();
    String uri;
    try {
      uri = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertTrue(uri != null && uri.matches("thrift://127\\.0\\.0\\.1:\\d+"), "the service listens on loopback: " + uri
          + "\n" + Files.readString(log));
      assertEquals(uri, Files.readString(lakehouse.resolve("_catalog/metastore.uri")).strip(), "the file says where it is");
      assertEquals(uri, MetastoreService.running(lakehouse));

      Run create = beacon("sql", "--lakehouse", lakehouse.toString(), "-e", "CREATE VIEW gold.shared_check AS SELECT 42 AS answer");
      assertEquals(0, create.code(), create.err());
      assertTrue(create.err().contains("Catalog: the metastore service at " + uri), "found without configuration: " + create.err());
      Run read = beacon("sql", "--lakehouse", lakehouse.toString(), "--format", "csv", "-e", "SELECT answer FROM gold.shared_check");
      assertEquals(0, read.code(), read.err());
      assertEquals(List.of("answer", "42"), read.out().lines().toList(), "another process reads the view: " + read.err());
    } finally {
      service.destroy();
    }
    assertTrue(service.waitFor(60, TimeUnit.SECONDS), "SIGTERM stops the service");
    assertFalse(Files.exists(lakehouse.resolve("_catalog/metastore.uri")), "a stopped service leaves no pointer to itself");
    Run embedded = beacon("sql", "--lakehouse", lakehouse.toString(), "--format", "csv", "-e", "SELECT answer FROM gold.shared_check");
    assertEquals(0, embedded.code(), embedded.err());
    assertFalse(embedded.err().contains("metastore service"), embedded.err());
    assertEquals(List.of("answer", "42"), embedded.out().lines().toList(), "the embedded catalog is the database the service served");
  }

  @Test
  void aPointerLeftByAKilledServiceIsIgnored() throws Exception {
    Path lakehouse = Files.createTempDirectory("beacon-metastore-stale");
    Files.createDirectories(lakehouse.resolve("_catalog"));
    Files.writeString(lakehouse.resolve("_catalog/metastore.uri"), "thrift://127.0.0.1:" + ServeTest.freePort() + "\n");
    assertNull(MetastoreService.running(lakehouse), "nothing answers there: the embedded catalog serves");
  }

  /** So does an SQL endpoint's: `beacon sql` answers in a session of its own. */
  @Test
  void anEndpointLeftByAKilledServeIsIgnored() throws Exception {
    Path lakehouse = Files.createTempDirectory("beacon-endpoint-stale");
    Files.createDirectories(lakehouse.resolve("_catalog"));
    Files.writeString(lakehouse.resolve("_catalog").resolve(SqlServer.URL_FILE), "jdbc:hive2://127.0.0.1:" + ServeTest.freePort() + "/default\n");
    Run answered = beacon("sql", "--lakehouse", lakehouse.toString(), "--format", "csv", "-e", "SELECT 42 AS answer");
    assertEquals(0, answered.code(), answered.err());
    assertEquals(List.of("answer", "42"), answered.out().lines().toList());
    assertFalse(answered.err().contains("Answered by the SQL endpoint"), answered.err());
  }
}
