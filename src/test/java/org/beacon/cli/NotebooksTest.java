package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.beacon.SharedSpark;
import org.beacon.runtime.Settings;
import org.beacon.sql.SqlServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every notebook in notebooks/ runs headless (jupyter nbconvert --execute) against the default
 * lakehouse, querying it only through `beacon sql --batch`; a failing cell fails the test. As with several
 * notebooks open, the kernels' `beacon sql` processes connect to one SQL endpoint (here this JVM's, over its
 * warm Spark) rather than start a Spark each. Without Jupyter the test is skipped, unless
 * BEACON_REQUIRE_NOTEBOOKS=1 (as .ci/run sets it).
 */
@Order(5)
class NotebooksTest {
  static Stream<Path> notebooks() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("notebooks"))) {
      List<Path> list = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
      assertTrue(list.size() >= 5, "the analysts' notebooks: " + list);
      return list.stream();
    }
  }

  private static boolean hasJupyter() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "jupyter"))) {
        return true;
      }
    }
    return false;
  }

  /** `beacon sql` as jobs/beacon would start it, for the notebooks' helper (a shell-quoted command line). */
  private static String beaconSqlCommand() {
    return String.join(" ", JavaProcess.command("512m", Beacon.class, "sql").stream()
        .map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
  }

  /** What running one notebook left: the exit code, nbconvert's log and the executed notebook. */
  record Run(int exitCode, String log, String executed) {}

  private static ExecutorService pool;
  private static SqlServer server;
  private static final Map<Path, Future<Run>> RUNS = new ConcurrentHashMap<>();

  /**
   * Starts every notebook at once, two at a time: each spends much of its time starting a kernel, which
   * overlaps well with the other's queries on two cores. The tests then wait for their own.
   */
  @BeforeAll
  static void startAll() throws IOException {
    if (!hasJupyter()) {
      return;
    }
    String lakehouse = DefaultLakehouse.path().toString();
    server = SqlServer.start(SharedSpark.session(),
        Settings.load(Map.of("beacon.lakehouse", lakehouse, "beacon.serve.port", ServeTest.freePort())));
    pool = Executors.newFixedThreadPool(2);
    for (Path notebook : notebooks().toList()) {
      RUNS.put(notebook, pool.submit(() -> execute(notebook, lakehouse, server.url())));
    }
  }

  @AfterAll
  static void stopAll() {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
  }

  private static Run execute(Path notebook, String lakehouse, String url) throws IOException, InterruptedException {
    Path out = Files.createTempDirectory("beacon-notebook");
    ProcessBuilder pb = new ProcessBuilder("jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.timeout=600", "--output-dir", out.toString(), notebook.toString())
        .redirectErrorStream(true).redirectOutput(out.resolve("nbconvert.log").toFile());
    pb.environment().put("BEACON_LAKEHOUSE", lakehouse);
    pb.environment().put("BEACON_SQL_COMMAND", beaconSqlCommand());
    pb.environment().put("BEACON_SQL_URL", url);
    pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Run(-1, "timed out after 15 minutes", "");
    }
    Path executed = out.resolve(notebook.getFileName());
    return new Run(p.exitValue(), Files.readString(out.resolve("nbconvert.log")),
        Files.exists(executed) ? Files.readString(executed) : "");
  }

  @ParameterizedTest
  @MethodSource("notebooks")
  void runsHeadlessAgainstTheDefaultLakehouse(Path notebook) throws Exception {
    boolean required = "1".equals(System.getenv("BEACON_REQUIRE_NOTEBOOKS"));
    assertTrue(hasJupyter() || !required, "BEACON_REQUIRE_NOTEBOOKS=1 but jupyter is not on the PATH");
    assumeTrue(hasJupyter(), "jupyter is not installed (apt-get install jupyter-nbconvert python3-ipykernel ...)");
    Run run = RUNS.get(notebook).get();
    assertEquals(0, run.exitCode(), notebook + " ran every cell:\n" + run.log());
    assertTrue(run.executed().contains("\"image/png\""), notebook + " draws its charts");
  }
}
