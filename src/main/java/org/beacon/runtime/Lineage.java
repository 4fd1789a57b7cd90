package org.beacon.runtime;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * What a table was built from: the Delta version of each input table, the checksum of each input file
 * and a fingerprint of the settings that shape the output. Stored as the user metadata of the Delta
 * commit that wrote the table, so a published figure can be traced (and rebuilt by time travel), and a
 * re-run whose inputs are unchanged writes nothing.
 */
public final class Lineage {
  private final Map<String, String> inputs = new TreeMap<>();

  private Lineage() {}

  public static Lineage of(Settings settings) {
    Lineage l = new Lineage();
    l.inputs.put("settings", settings.fingerprint());
    l.inputs.put("code", CodeVersion.FINGERPRINT);
    return l;
  }

  /** A fingerprint of Beacon's own compiled code, so a new build rebuilds what it computes differently. */
  private static final class CodeVersion {
    static final String FINGERPRINT = compute();

    private static String compute() {
      try {
        return codeFingerprint(java.nio.file.Path.of(Lineage.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (java.io.IOException | java.net.URISyntaxException | RuntimeException e) {
        // Unknown code: never match an earlier build, so tables are rebuilt rather than trusted.
        return "unknown-" + System.nanoTime();
      }
    }
  }

  /**
   * The hash of every Beacon class file's name and content, the same whether the classes are a folder (tests, the
   * benchmark) or the packaged jar (jobs/beacon), and however often the jar is rebuilt from the same classes.
   */
  static String codeFingerprint(java.nio.file.Path where) throws java.io.IOException {
    java.util.SortedMap<String, String> classes = new java.util.TreeMap<>();
    if (java.nio.file.Files.isRegularFile(where)) {
      try (java.util.jar.JarFile jar = new java.util.jar.JarFile(where.toFile())) {
        for (java.util.jar.JarEntry e : java.util.Collections.list(jar.entries())) {
          if (e.getName().startsWith("org/beacon/") && e.getName().endsWith(".class")) {
            try (java.io.InputStream in = jar.getInputStream(e)) {
              classes.put(e.getName(), Checksums.sha256(in));
            }
          }
        }
      }
    } else {
      try (var files = java.nio.file.Files.walk(where.resolve("org/beacon"))) {
        for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          classes.put(where.relativize(f).toString().replace(java.io.File.separatorChar, '/'), Checksums.sha256(f));
        }
      }
    }
    StringBuilder all = new StringBuilder();
    classes.forEach((name, hash) -> all.append(name).append(':').append(hash).append('\n'));
    return Checksums.sha256(all.toString()).substring(0, 16);
  }

  public Lineage table(SparkSession spark, Settings settings, TableName table) {
    inputs.put(table.qualified(), String.valueOf(Tables.version(spark, settings, table)));
    return this;
  }

  public Lineage file(String name, String checksum) {
    inputs.put(name, checksum);
    return this;
  }

  /** The input tables and their Delta versions, "layer.table@version" joined by ", ", for a mart's own column. */
  public String tableVersions() {
    StringBuilder sb = new StringBuilder();
    inputs.forEach((k, v) -> {
      if (isTable(k)) {
        sb.append(sb.length() == 0 ? "" : ", ").append(k).append('@').append(v);
      }
    });
    return sb.toString();
  }

  /** True when a table's recorded lineage is this one: the same settings, code and input versions. */
  public boolean is(String recorded) {
    return toString().equals(recorded);
  }

  /**
   * True when a table's recorded lineage differs from this one in the versions of the given tables alone:
   * the same settings, code and other inputs, so only those tables' new rows need processing. A table
   * that is an input now but was not then (a new source) counts as changed.
   */
  public boolean differsOnlyIn(String recorded, java.util.Collection<TableName> tables) {
    if (recorded == null) {
      return false;
    }
    Map<String, String> before = parse(recorded);
    Map<String, String> now = new TreeMap<>(inputs);
    for (TableName t : tables) {
      if (before.containsKey(t.qualified()) != now.containsKey(t.qualified())) {
        return false;
      }
      before.remove(t.qualified());
      now.remove(t.qualified());
    }
    return before.equals(now);
  }

  /** True when a table's recorded lineage has the same settings, code and files as this one: only table versions may differ. */
  public boolean differsOnlyInTables(String recorded) {
    if (recorded == null) {
      return false;
    }
    Map<String, String> before = parse(recorded);
    Map<String, String> now = new TreeMap<>(inputs);
    before.keySet().removeIf(Lineage::isTable);
    now.keySet().removeIf(Lineage::isTable);
    return before.equals(now);
  }

  /** The version of the table in a recorded lineage, or -1 when it was not an input. */
  public static long recordedVersion(String recorded, TableName table) {
    String v = recorded == null ? null : parse(recorded).get(table.qualified());
    return v == null ? -1 : Long.parseLong(v);
  }

  private static boolean isTable(String input) {
    return TableName.LAYERS.stream().anyMatch(layer -> input.startsWith(layer + "."));
  }

  private static Map<String, String> parse(String recorded) {
    Map<String, String> out = new TreeMap<>();
    for (String part : recorded.split(";")) {
      int at = part.lastIndexOf('@');
      out.put(part.substring(0, at), part.substring(at + 1));
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    inputs.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append('@').append(v));
    return sb.toString();
  }
}
