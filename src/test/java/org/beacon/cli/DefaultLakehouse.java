package org.beacon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One lakehouse of the default generated data (the data that reproduces the seed report) per test JVM,
 * built by `beacon run` on first use and shared by the end-to-end and report tests, which read it and
 * extend it without undoing each other's work. -Dorg.beacon.testLakehouse=DIR reuses a lakehouse built earlier
 * (the run is then a quick no-op re-run), for working on one test at a time.
 */
final class DefaultLakehouse {
  private static Path path;
  private static int firstRunExitCode;

  private DefaultLakehouse() {}

  static synchronized Path path() {
    if (path == null) {
      try {
        String reuse = System.getProperty("org.beacon.testLakehouse", "");
        path = reuse.isEmpty() ? Files.createTempDirectory("beacon-default") : Path.of(reuse);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      firstRunExitCode = Beacon.execute(new String[] {"run", "--lakehouse", path.toString()});
    }
    return path;
  }

  static synchronized int firstRunExitCode() {
    path();
    return firstRunExitCode;
  }
}
