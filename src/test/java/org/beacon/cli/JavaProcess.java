package org.beacon.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that runs a class in a new JVM as jobs/beacon would: this JVM's Java, Spark's module flags, the class path. */
final class JavaProcess {
  private JavaProcess() {}

  static List<String> command(String heap, Class<?> main, String... args) {
    List<String> out = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty") || a.startsWith("-XX:+Ignore")) {
        out.add(a);
      }
    }
    out.addAll(List.of("-Dlog4j2.configurationFile=classpath:log4j2.properties", "-cp", System.getProperty("java.class.path"),
        main.getName()));
    out.addAll(List.of(args));
    return out;
  }
}
