package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every notebook in notebooks/ runs headless (jupyter nbconvert --execute) against the default
 * lakehouse, querying it only through `beacon sql --batch`; a failing cell fails the test. Without
 * Jupyter the test is skipped, unless BEACON_REQUIRE_NOTEBOOKS=1 (as .ci/run sets it).
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

  /** This JVM's Java, module flags and class path, running the CLI: what jobs/beacon would start. */
  private static String beaconSqlCommand() {
    List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty") || a.startsWith("-XX:+Ignore")) {
        args.add(a);
      }
    }
    args.addAll(List.of("-Dlog4j2.configurationFile=classpath:log4j2.properties", "-cp", System.getProperty("java.class.path"),
        Beacon.class.getName(), "sql"));
    return String.join(" ", args.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
  }

  @ParameterizedTest
  @MethodSource("notebooks")
  void runsHeadlessAgainstTheDefaultLakehouse(Path notebook) throws IOException, InterruptedException {
    boolean required = "1".equals(System.getenv("BEACON_REQUIRE_NOTEBOOKS"));
    assertTrue(hasJupyter() || !required, "BEACON_REQUIRE_NOTEBOOKS=1 but jupyter is not on the PATH");
    assumeTrue(hasJupyter(), "jupyter is not installed (apt-get install jupyter-nbconvert python3-ipykernel ...)");
    Path out = Files.createTempDirectory("beacon-notebook");
    ProcessBuilder pb = new ProcessBuilder("jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.timeout=600", "--output-dir", out.toString(), notebook.toString())
        .redirectErrorStream(true).redirectOutput(out.resolve("nbconvert.log").toFile());
    pb.environment().put("BEACON_LAKEHOUSE", DefaultLakehouse.path().toString());
    pb.environment().put("BEACON_SQL_COMMAND", beaconSqlCommand());
    pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    Process p = pb.start();
    assertTrue(p.waitFor(15, TimeUnit.MINUTES), notebook + " finished");
    String log = Files.readString(out.resolve("nbconvert.log"));
    assertEquals(0, p.exitValue(), notebook + " ran every cell:\n" + log);
    String executed = Files.readString(out.resolve(notebook.getFileName()));
    assertTrue(executed.contains("\"image/png\""), notebook + " draws its charts");
  }
}
