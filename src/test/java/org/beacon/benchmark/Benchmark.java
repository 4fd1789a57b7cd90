package org.beacon.benchmark;

import org.beacon.survey.SurveyTables;

import org.beacon.crime.CrimeTables;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.EndpointLoad;
import org.beacon.cli.Pipeline;
import org.beacon.sql.SqlServer;
import org.beacon.generate.Generator;
import org.beacon.indicators.Indicator;
import org.beacon.ops.JobRuns;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/**
 * `jobs/beacon benchmark`: generates a world at a chosen scale, runs the pipeline step by step and prints,
 * per step, rows in and out, wall seconds, rows per second, peak heap and peak RSS. Two aggregations are
 * then run by Spark and by DuckDB over the same Parquet files of the same Delta tables, with the ratio
 * of their times and a checksum of each output: a grouped Wilson aggregation of FTD answers by level x
 * financial year x indicator, and monthly crime counts by OCU and crime type. DuckDB is a test-scope
 * dependency: it is on the benchmark's classpath only, never on Beacon's.
 *
 * <p>Presets: force-year (1 force, 1 year), force-20y (1 force, 20 years), national-1y, national-5y and national
 * (43 forces for 1, 5 and 20 years, FTD and crime for every force, the data.police.uk files gzip-compressed as bulk
 * downloads arrive). --forces, --years and --scale set the world directly. The disk each layer takes is printed
 * after the stages. --skip-endpoint leaves out the last stage, the endpoint under load (whose build beside it takes as
 * long as a whole build again at national scale).
 */
public final class Benchmark {
  private static final Map<String, Map<String, Object>> PRESETS = Map.of(
      "force-year", Map.of("beacon.generate.forces", 1, "beacon.generate.years", 1),
      "force-20y", Map.of("beacon.generate.forces", 1, "beacon.generate.years", 20),
      "national-1y", national(1),
      "national-5y", national(5),
      "national", national(20));
  private static Map<String, Object> national(int years) {
    return Map.of("beacon.generate.forces", 43, "beacon.generate.years", years, "beacon.generate.local-sources-forces", "all",
        "beacon.generate.police-uk.compress", true);
  }

  private static final String HEADER = String.format("%-24s %12s %12s %9s %12s %10s %10s %9s %8s  %s",
      "stage", "rows in", "rows out", "seconds", "rows/s", "heap MiB", "RSS MiB", "DuckDB s", "ratio", "outputs");

  private Benchmark() {}

  /** One printed line. */
  record Line(String stage, long rowsIn, long rowsOut, double seconds, long heapMiB, long rssMiB, Double duckdbSeconds,
      String agreement) {
    @Override
    public String toString() {
      double basis = Math.max(rowsIn, rowsOut);
      return String.format("%-24s %12d %12d %9.1f %12.0f %10d %10d %9s %8s  %s", stage, rowsIn, rowsOut, seconds,
          seconds > 0 ? basis / seconds : 0, heapMiB, rssMiB, duckdbSeconds == null ? "" : String.format("%.1f", duckdbSeconds),
          duckdbSeconds == null ? "" : String.format("%.2f", seconds / duckdbSeconds), agreement == null ? "" : agreement);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, Object> overrides = new LinkedHashMap<>(PRESETS.get("force-year"));
    String preset = "force-year";
    Path lakehouse = null;
    boolean endpoint = true;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--preset" -> {
          if (!PRESETS.containsKey(value)) {
            usage("--preset must be one of " + new TreeSet<>(PRESETS.keySet()) + ".");
          }
          preset = value;
          overrides = new LinkedHashMap<>(PRESETS.get(value));
        }
        case "--forces", "--years" -> overrides.put("beacon.generate." + args[i].substring(2), Integer.parseInt(value));
        case "--scale" -> overrides.put("beacon.generate.scale", Double.parseDouble(value));
        case "--lakehouse" -> lakehouse = Path.of(value);
        case "--skip-endpoint" -> {
          endpoint = false;
          i--;
        }
        default -> usage("unknown option " + args[i] + ".");
      }
      i++;
    }
    if (lakehouse == null) {
      lakehouse = Files.createTempDirectory("beacon-benchmark");
    }
    overrides.put("beacon.lakehouse", lakehouse.toString());
    Settings settings = Settings.load(overrides);
    List<Line> lines = new ArrayList<>();
    System.err.println("benchmark: " + preset + " " + overrides);

    long[] generated = {0};
    lines.add(measure("generate", settings, null, () -> {
      generated[0] = Generator.run(settings).values().stream().mapToLong(Long::longValue).sum();
      return new long[] {0, generated[0]};
    }));
    Deliveries held = Deliveries.holdOut(settings.landing());
    SparkSession spark = SparkSessions.open(settings);
    List<Pipeline.Step> steps = new ArrayList<>(Pipeline.ingest(null));
    steps.addAll(Pipeline.build(null));
    for (Pipeline.Step step : steps) {
      lines.add(measure(step.name(), settings, spark, () -> {
        step.work().run(spark, settings);
        return new long[] {0, 0};
      }));
    }
    System.out.println(HEADER);
    lines.forEach(System.out::println);
    List<Line> compared = new ArrayList<>();
    compare(spark, settings, compared);
    compared.forEach(System.out::println);
    lines.addAll(compared);
    double built = lines.stream().filter(l -> l.duckdbSeconds() == null).mapToDouble(Line::seconds).sum();
    double total = lines.stream().mapToDouble(Line::seconds).sum();
    // Each stage's peak is the high-water mark since the reset before it, so the largest is the run's.
    long peak = lines.stream().mapToLong(Line::rssMiB).max().orElse(0);
    System.out.printf("total %.1f s; peak RSS of the process %d MiB (%d MiB at the end); lakehouse %s%n", total, peak,
        rssMiB(false), lakehouse);
    System.out.println(footprint(settings));
    spark.stop();
    double wave = held.publish(lakehouse, held.wave(), "--quarter", held.quarter());
    double month = held.publish(lakehouse, held.month(), "--month", held.monthLabel());
    EndpointLoad.Result load = endpoint ? endpointUnderLoad(settings, lakehouse) : null;
    System.out.printf("summary: preset=%s total_s=%.1f wave_s=%.1f month_s=%.1f wilson_ratio=%s crime_ratio=%s peak_rss_mib=%d "
            + "endpoint_p50_ms=%s endpoint_p95_ms=%s%n", preset, built, wave, month, ratio(compared, 0), ratio(compared, 1), peak,
        load == null ? "NA" : load.percentile(0.5), load == null ? "NA" : load.percentile(0.95));
  }

  /**
   * Query latency at the SQL endpoint under load: 8 JDBC clients for at least a minute, and for as long as a
   * `beacon build` in another process rebuilds the marts (a changed interval method makes it commit new versions
   * of the estimates and what is computed from them). Last, so that the build changes nothing measured before it.
   */
  private static EndpointLoad.Result endpointUnderLoad(Settings settings, Path lakehouse) throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Settings served = settings.with(Map.of("beacon.serve.port", port));
    SparkSession spark = SparkSessions.open(served);
    try (SqlServer server = SqlServer.start(spark, served)) {
      Path launcher = Path.of(System.getenv().getOrDefault("BEACON_HOME", "."), "jobs", "beacon");
      ProcessBuilder build = new ProcessBuilder(launcher.toString(), "build", "--lakehouse", lakehouse.toString())
          .redirectErrorStream(true).redirectOutput(lakehouse.resolve("build-under-load.log").toFile());
      build.environment().put("JAVA_OPTS", (System.getenv().getOrDefault("JAVA_OPTS", "") + " -Dbeacon.estimates.interval=clopper-pearson").strip());
      Process builder = build.start();
      EndpointLoad.Result load = EndpointLoad.run(server.url(), 8, 60_000, 1_800_000, builder::isAlive);
      if (builder.waitFor() != 0) {
        throw new IllegalStateException("The build under load failed: see " + lakehouse.resolve("build-under-load.log"));
      }
      System.out.println("endpoint under load (a build committing beside it): " + load.summary());
      if (!load.errors().isEmpty()) {
        throw new IllegalStateException("Queries failed under load: " + load.errors());
      }
      return load;
    } finally {
      spark.stop();
    }
  }

  /** The disk the landing files and each layer take, in MiB (every file under their folders, Delta logs included). */
  private static String footprint(Settings settings) throws IOException {
    StringBuilder out = new StringBuilder("disk MiB:");
    Map<String, Path> folders = new LinkedHashMap<>();
    folders.put("landing", settings.landing());
    for (String layer : List.of("bronze", "silver", "gold")) {
      folders.put(layer, settings.lakehouse().resolve(layer));
    }
    for (Map.Entry<String, Path> f : folders.entrySet()) {
      long bytes = 0;
      if (Files.isDirectory(f.getValue())) {
        try (var walk = Files.walk(f.getValue())) {
          bytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
      }
      out.append(String.format(" %s %,d", f.getKey(), bytes >> 20));
    }
    return out.toString();
  }

  private static String ratio(List<Line> compared, int i) {
    return i < compared.size() ? String.format(java.util.Locale.ROOT, "%.2f", compared.get(i).seconds() / compared.get(i).duckdbSeconds())
        : "NA";
  }

  /**
   * The deliveries held back from the first build and then published on schedule by fresh `jobs/beacon` processes,
   * as a scheduler runs them: the last FTD wave of the first force with the month of data.police.uk before the
   * wave's last month (a quarterly run), then that last month alone (a monthly run).
   */
  record Deliveries(Path landing, Path away, List<Path> wave, List<Path> month, String quarter, String monthLabel) {
    static Deliveries holdOut(Path landing) throws IOException {
      Path force;
      try (var forces = Files.list(landing.resolve("ftd"))) {
        force = forces.sorted().findFirst().orElseThrow();
      }
      Path ftd;
      try (var waves = Files.list(force)) {
        ftd = waves.sorted().reduce((a, b) -> b).orElseThrow();
      }
      // ftd_2004-05_q4.csv: the 2004/05 financial year's fourth quarter, January to March 2005.
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("ftd_(\\d{4})-(\\d{2})_q(\\d)\\.csv").matcher(ftd.getFileName().toString());
      if (!m.matches()) {
        throw new IllegalStateException("Unexpected FTD file name " + ftd);
      }
      int endYear = Integer.parseInt(m.group(1)) + 1;
      int lastMonth = 3 * Integer.parseInt(m.group(3)) + 3;
      java.time.YearMonth last = lastMonth > 12 ? java.time.YearMonth.of(endYear, lastMonth - 12)
          : java.time.YearMonth.of(endYear - 1, lastMonth);
      String slug = force.getFileName().toString();
      Path away = Files.createDirectories(landing.resolveSibling("held-back"));
      List<Path> wave = List.of(ftd, crimeFile(landing, last.minusMonths(1), slug));
      List<Path> month = List.of(crimeFile(landing, last, slug));
      Deliveries d = new Deliveries(landing, away, wave, month, m.group(1) + "/" + m.group(2) + " Q" + m.group(3), last.toString());
      for (Path f : d.all()) {
        Files.createDirectories(away.resolve(landing.relativize(f)).getParent());
        Files.move(f, away.resolve(landing.relativize(f)));
      }
      return d;
    }

    /** The month's street file of the force, as generated: plain or gzip-compressed. */
    private static Path crimeFile(Path landing, java.time.YearMonth month, String force) {
      Path plain = landing.resolve("police_uk").resolve(month.toString()).resolve(month + "-" + force + "-street.csv");
      Path compressed = plain.resolveSibling(plain.getFileName() + ".gz");
      return Files.exists(compressed) ? compressed : plain;
    }

    List<Path> all() {
      List<Path> out = new ArrayList<>(wave);
      out.addAll(month);
      return out;
    }

    /** Puts the files back and runs `beacon ingest` and `beacon build` for the period; the wall seconds of both. */
    double publish(Path lakehouse, List<Path> files, String periodOption, String period) throws IOException, InterruptedException {
      for (Path f : files) {
        Files.move(away.resolve(landing.relativize(f)), f);
      }
      Path launcher = Path.of(System.getenv().getOrDefault("BEACON_HOME", "."), "jobs", "beacon");
      long start = System.nanoTime();
      for (String job : List.of("ingest", "build")) {
        Process p = new ProcessBuilder(launcher.toString(), job, periodOption, period, "--lakehouse", lakehouse.toString())
            .redirectErrorStream(true).redirectOutput(lakehouse.resolve(job + "-" + period.replace('/', '-').replace(' ', '-') + ".log").toFile())
            .start();
        if (p.waitFor() != 0) {
          throw new IllegalStateException("beacon " + job + " " + periodOption + " " + period + " failed: see the log in " + lakehouse);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("scheduled %s %s (%s): %.1f s%n", periodOption, period, files.stream().map(f -> f.getFileName().toString())
          .collect(java.util.stream.Collectors.joining(", ")), seconds);
      return seconds;
    }
  }

  private static void usage(String problem) {
    System.err.println("benchmark: " + problem + "\nusage: jobs/beacon benchmark [--preset force-year|force-20y|national-1y|national-5y|national] "
        + "[--forces N] [--years N] [--scale X] [--lakehouse DIR] [--skip-endpoint]");
    System.exit(2);
  }

  /**
   * Runs one stage and measures it. Rows out are the rows its Delta commits wrote; rows in are the rows
   * bronze gained (for an ingest step) or the rows of the tables its outputs' lineage names as inputs.
   */
  private static Line measure(String stage, Settings settings, SparkSession spark, Supplier<long[]> work) {
    Map<String, Long> before = JobRuns.versions(settings);
    resetPeaks();
    long start = System.nanoTime();
    long[] counted = work.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    long heap = heapMiB();
    long rss = rssMiB(true);
    Map<String, Long> after = JobRuns.versions(settings);
    if (spark == null) {
      return new Line(stage, counted[0], counted[1], seconds, heap, rss, null, null);
    }
    Map<String, Long> bronzeBefore = layer(before, "bronze");
    Map<String, Long> bronzeAfter = layer(after, "bronze");
    long landed = JobRuns.rowsWritten(settings, bronzeBefore, bronzeAfter);
    Map<String, Long> outBefore = new LinkedHashMap<>(before);
    Map<String, Long> outAfter = new LinkedHashMap<>(after);
    outBefore.keySet().removeAll(bronzeBefore.keySet());
    outAfter.keySet().removeAll(bronzeAfter.keySet());
    long out = JobRuns.rowsWritten(settings, outBefore, outAfter);
    long in = landed > 0 ? landed : inputRows(spark, settings, before, after);
    return new Line(stage, in, out, seconds, heap, rss, null, null);
  }

  private static Map<String, Long> layer(Map<String, Long> versions, String layer) {
    Map<String, Long> out = new LinkedHashMap<>();
    versions.forEach((k, v) -> {
      if (k.startsWith(layer + ".")) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** The rows of every input table (at the version read) named by the lineage of the tables the step wrote. */
  private static long inputRows(SparkSession spark, Settings settings, Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> inputs = new LinkedHashMap<>();
    after.forEach((table, version) -> {
      if (version > before.getOrDefault(table, -1L)) {
        String[] name = table.split("\\.");
        String lineage = Tables.lineage(spark, settings, new TableName(name[0], name[1]));
        for (String part : lineage == null ? new String[0] : lineage.split(";")) {
          int at = part.lastIndexOf('@');
          String key = part.substring(0, at);
          if (TableName.LAYERS.stream().anyMatch(l -> key.startsWith(l + ".")) && part.substring(at + 1).matches("\\d+")) {
            inputs.put(key, Long.parseLong(part.substring(at + 1)));
          }
        }
      }
    });
    long rows = 0;
    for (Map.Entry<String, Long> e : inputs.entrySet()) {
      String[] name = e.getKey().split("\\.");
      rows += Tables.read(spark, settings, new TableName(name[0], name[1]), e.getValue()).count();
    }
    return rows;
  }

  private static void resetPeaks() {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    try {
      // Linux: writing 5 resets the process's peak resident set size (VmHWM).
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // Not Linux, or not permitted: the RSS column is then the process's peak so far.
    }
  }

  private static long heapMiB() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }

  /** Peak (VmHWM) or current (VmRSS) resident set size of this process, from /proc; 0 where there is none. */
  private static long rssMiB(boolean peak) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(peak ? "VmHWM:" : "VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /**
   * The two aggregations, by Spark and by DuckDB over the same Parquet files (the Delta tables' current
   * files), from one SQL text each with the table left as a placeholder.
   */
  private static void compare(SparkSession spark, Settings settings, List<Line> lines) throws SQLException {
    Map<String, TableName> tables = new LinkedHashMap<>();
    Map<String, String> queries = new LinkedHashMap<>();
    TableName ftd = SurveyTables.silver("ftd");
    if (Tables.exists(settings, ftd) && wilsonQuery(settings) != null) {
      tables.put("Wilson by level x year", ftd);
      queries.put("Wilson by level x year", wilsonQuery(settings));
    }
    if (Tables.exists(settings, CrimeTables.SILVER_POLICE_UK_CRIMES)) {
      tables.put("crime by month x type", CrimeTables.SILVER_POLICE_UK_CRIMES);
      queries.put("crime by month x type", "SELECT force_code, ocu_code, month, crime_type, count(*) AS records "
          + "FROM {table} GROUP BY force_code, ocu_code, month, crime_type "
          + "ORDER BY force_code NULLS FIRST, ocu_code NULLS FIRST, month NULLS FIRST, crime_type NULLS FIRST");
    }
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
      s.execute("SET threads TO " + Runtime.getRuntime().availableProcessors());
      for (Map.Entry<String, String> q : queries.entrySet()) {
        TableName table = tables.get(q.getKey());
        String location = Tables.location(settings, table).toString();
        long rows = Tables.read(spark, settings, table).count();
        resetPeaks();
        long start = System.nanoTime();
        List<Row> sparkRows = spark.sql(q.getValue().replace("{table}", "delta.`" + location + "`")).collectAsList();
        double sparkSeconds = (System.nanoTime() - start) / 1e9;
        long heap = heapMiB();
        long rss = rssMiB(true);
        String[] files = Tables.read(spark, settings, table).inputFiles();
        String parquet = "read_parquet([" + String.join(", ", java.util.Arrays.stream(files)
            .map(f -> "'" + Path.of(java.net.URI.create(f)) + "'").toList()) + "])";
        start = System.nanoTime();
        List<List<Object>> duckRows = new ArrayList<>();
        try (ResultSet r = s.executeQuery(q.getValue().replace("{table}", parquet))) {
          int columns = r.getMetaData().getColumnCount();
          while (r.next()) {
            List<Object> row = new ArrayList<>(columns);
            for (int c = 1; c <= columns; c++) {
              row.add(r.getObject(c));
            }
            duckRows.add(row);
          }
        }
        double duckSeconds = (System.nanoTime() - start) / 1e9;
        String sparkSum = checksum(sparkRows.stream().map(r -> {
          List<Object> values = new ArrayList<>();
          for (int c = 0; c < r.length(); c++) {
            values.add(r.get(c));
          }
          return values;
        }).toList());
        String duckSum = checksum(duckRows);
        lines.add(new Line(q.getKey() + " (Spark)", rows, sparkRows.size(), sparkSeconds, heap, rss, duckSeconds,
            (sparkSum.equals(duckSum) ? "agree " : "DIFFER ") + sparkSum.substring(0, 12)
                + (sparkSum.equals(duckSum) ? "" : " vs " + duckSum.substring(0, 12))));
      }
    }
  }

  /**
   * Share of valid answers that are positive, with Wilson's 95% score interval (Wilson 1927), per FTD
   * proportion indicator, level and financial year: written once, in SQL both engines run. Each answer is
   * read once and paired with every (indicator, level) by a join to a small table of them, rather than a
   * UNION ALL with a scan per pair, which cost Spark a set of tasks per scan. Null when the catalogue has
   * no plain FTD proportion.
   */
  private static String wilsonQuery(Settings settings) {
    List<String> pairs = new ArrayList<>();
    StringBuilder y = new StringBuilder("CASE k.indicator_id");
    StringBuilder valid = new StringBuilder("CASE k.indicator_id");
    for (Indicator i : Indicator.all(settings)) {
      if (!i.source().equals("ftd") || i.estimand() != Indicator.Estimand.PROPORTION || i.scale() != null
          || (i.filter() != null && !i.filter().isBlank()) || i.question() == null || i.question().isBlank()) {
        continue;
      }
      String id = "'" + i.id() + "'";
      y.append(" WHEN ").append(id).append(" THEN CASE WHEN ").append(i.question()).append(" IN (").append(quoted(i.positive()))
          .append(") THEN 1 ELSE 0 END");
      valid.append(" WHEN ").append(id).append(" THEN ").append(i.question()).append(" IS NOT NULL")
          .append(i.excluded().isEmpty() ? "" : " AND " + i.question() + " NOT IN (" + quoted(i.excluded()) + ")");
      for (String level : List.of("force", "ocu", "sector", "neighbourhood")) {
        pairs.add("(" + id + ", '" + level + "')");
      }
    }
    if (pairs.isEmpty()) {
      return null;
    }
    double z = 1.959963984540054;
    String p = "(CAST(x AS DOUBLE) / n)";
    String centre = "(" + p + " + " + (z * z) + " / (2 * n))";
    String half = "(" + z + " * sqrt(" + p + " * (1 - " + p + ") / n + " + (z * z) + " / (4.0 * n * n)))";
    String scale = "(1 + " + (z * z) + " / n)";
    return "SELECT indicator_id, level, area_code, financial_year, n, x, " + p + " AS proportion, "
        + "(" + centre + " - " + half + ") / " + scale + " AS lower_95, "
        + "(" + centre + " + " + half + ") / " + scale + " AS upper_95 FROM ("
        + "SELECT indicator_id, level, area_code, financial_year, count(*) AS n, CAST(sum(y) AS BIGINT) AS x FROM ("
        + "SELECT k.indicator_id, k.level, CASE k.level WHEN 'force' THEN force_code WHEN 'ocu' THEN ocu_code "
        + "WHEN 'sector' THEN sector_code ELSE neighbourhood_code END AS area_code, financial_year, "
        + y + " END AS y, " + valid + " END AS is_valid "
        + "FROM {table} CROSS JOIN (VALUES " + String.join(", ", pairs) + ") AS k(indicator_id, level)) "
        + "WHERE is_valid GROUP BY indicator_id, level, area_code, financial_year) "
        + "ORDER BY indicator_id, level, area_code NULLS FIRST, financial_year";
  }

  private static String quoted(List<String> codes) {
    return String.join(", ", codes.stream().map(c -> "'" + c.replace("'", "''") + "'").toList());
  }

  /**
   * SHA-256 of the rows as text, whole numbers as digits and the rest to nine decimals, so two engines'
   * outputs can be compared (they may differ in the last bits of a double).
   */
  private static String checksum(List<List<Object>> rows) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (List<Object> row : rows) {
        StringBuilder line = new StringBuilder();
        for (Object v : row) {
          line.append(v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal
              ? String.format("%.9f", ((Number) v).doubleValue()) : String.valueOf(v)).append('|');
        }
        sha.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
