package org.beacon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One lakehouse of the default generated data (the data that reproduces the seed report) per test JVM,
 * built by `beacon run` on first use and shared by the end-to-end and report tests, which read it and
 * extend it without undoing each other's work.
 */
final class DefaultLakehouse {
  private static Path path;
  private static int firstRunExitCode;

  private DefaultLakehouse() {}

  static synchronized Path path() {
    if (path == null) {
      try {
        path = Files.createTempDirectory("beacon-default");
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
