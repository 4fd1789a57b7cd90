package org.beacon.cli;

import org.beacon.survey.SurveyTables;

import org.beacon.grading.GradingTables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.beacon.runtime.DataDictionary;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.beacon.sql.EndpointGuard;
import org.beacon.sql.SqlServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The SQL endpoint on the default lakehouse, over JDBC as any client would use it: tables and views by
 * name, a time-travel read of an earlier version, writes refused while the data stays as it was, and
 * everything beyond the catalog (files, the JVM, the environment, settings) refused.
 */
@Order(4)
class ServeTest {
  private static final TableName TRAVEL = new TableName("ops", "serve_time_travel");
  private static SparkSession spark;
  private static Settings settings;
  private static SqlServer server;

  @BeforeAll
  static void serve() throws IOException {
    spark = SharedSpark.session();
    Path lakehouse = DefaultLakehouse.path();
    settings = Settings.load(Map.of("beacon.lakehouse", lakehouse.toString(), "beacon.serve.port", freePort()));
    // A small table with two versions: three rows, then five.
    String location = Tables.location(settings, TRAVEL).toString();
    spark.range(3).toDF("id").write().format("delta").mode("overwrite").save(location);
    spark.range(3, 5).toDF("id").write().format("delta").mode("append").save(location);
    spark.sql("CREATE TABLE IF NOT EXISTS " + TRAVEL.qualified() + " USING delta LOCATION '" + location + "'");
    server = SqlServer.start(spark, settings);
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    spark.sql("DROP TABLE IF EXISTS " + TRAVEL.qualified());
    try (var files = java.nio.file.Files.walk(Tables.location(settings, TRAVEL))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertFalse(spark.sparkContext().isStopped(), "stopping the endpoint leaves the session up");
    assertFalse(EndpointGuard.isOn());
  }

  /** A port nothing listens on now (the endpoint's, or one to find closed). */
  static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.url(), "analyst", "");
  }

  private static long count(Statement s, String query) throws SQLException {
    try (ResultSet r = s.executeQuery(query)) {
      assertTrue(r.next());
      return r.getLong(1);
    }
  }

  @Test
  void analystsQueryMartsAndViewsByName() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      long grades = Tables.read(spark, settings, GradingTables.GOLD_INDICATOR_GRADES).count();
      assertEquals(grades, count(s, "SELECT count(*) FROM gold.indicator_grades"));
      try (ResultSet r = s.executeQuery("SELECT grade, reason FROM gold.latest_grades WHERE force_code = 'west-midlands' "
          + "AND grade_level = 'outcome_assessment' AND inspection_area = 'citizen_focus'")) {
        assertTrue(r.next());
        assertEquals("exceeding", r.getString("grade"), "Citizen Focus in the latest graded year");
      }
      assertEquals(54, count(s, "SELECT count(*) FROM gold.sector_confidence_latest"), "the home force's 54 sectors");
      assertEquals(2, count(s, "SELECT count(*) FROM gold.latest_area_judgements WHERE force_code = 'west-midlands'"),
          "both areas' outcome assessments, judged or not");
      assertTrue(count(s, "SELECT count(*) FROM gold.latest_spc_signals") > 0);
      List<String> tables = new ArrayList<>();
      try (ResultSet r = c.getMetaData().getTables(null, "gold", "%", null)) {
        while (r.next()) {
          tables.add(r.getString("TABLE_NAME"));
        }
      }
      assertTrue(tables.containsAll(List.of("survey_estimates", "indicator_grades", "latest_grades", "sector_confidence_latest",
          "latest_spc_signals", "latest_area_judgements", "area_judgements")), tables.toString());
    }
  }

  /** `beacon sql --connect`: the statements run in the endpoint, with the same output and exit codes as locally. */
  @Test
  void beaconSqlSendsItsStatementsToTheEndpoint() throws IOException {
    long grades = Tables.read(spark, settings, GradingTables.GOLD_INDICATOR_GRADES).count();
    Captured ok = Captured.run("sql", "--connect", server.url(), "--format", "csv", "-e",
        "SELECT count(*) AS grades FROM gold.indicator_grades; SELECT id FROM " + TRAVEL.qualified() + " VERSION AS OF 0 ORDER BY id");
    assertEquals(0, ok.code(), ok.err());
    assertEquals(List.of("grades", String.valueOf(grades), "id", "0", "1", "2"), ok.out().lines().toList());

    Captured refused = Captured.run("sql", "--connect", server.url(), "-e", "DROP TABLE " + TRAVEL.qualified());
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("beacon sql failed: The query failed: ") && refused.err().contains("read-only"), refused.err());

    String nowhere = "jdbc:hive2://127.0.0.1:" + freePort() + "/default";
    Captured down = Captured.run("sql", "--connect", nowhere, "-e", "SELECT 1");
    assertEquals(1, down.code());
    assertTrue(down.err().contains("Cannot connect to the SQL endpoint " + nowhere + " (is `beacon serve` running there?)"), down.err());
  }

  /**
   * `beacon sql` without --connect, in a JVM of its own as an analyst runs it: it finds the lakehouse's running
   * endpoint by the file the endpoint writes, and its query is answered there, with no Spark of its own.
   */
  @Test
  void beaconSqlFindsTheRunningEndpointByItself() throws Exception {
    Path lakehouse = DefaultLakehouse.path();
    assertEquals(server.url(), java.nio.file.Files.readString(lakehouse.resolve("_catalog").resolve(SqlServer.URL_FILE)).strip(),
        "the endpoint publishes its URL in the catalog folder");
    long grades = Tables.read(spark, settings, GradingTables.GOLD_INDICATOR_GRADES).count();
    java.io.File err = java.io.File.createTempFile("beacon-sql", ".err");
    err.deleteOnExit();
    Process p = new ProcessBuilder(JavaProcess.command("512m", Beacon.class, "sql", "--lakehouse", lakehouse.toString(), "--format", "csv",
        "-e", "SELECT count(*) AS grades FROM gold.indicator_grades")).redirectError(err)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "beacon sql finished within two minutes");
    String log = java.nio.file.Files.readString(err.toPath());
    assertEquals(0, p.exitValue(), log);
    assertEquals(List.of("grades", String.valueOf(grades)), out.lines().toList());
    assertTrue(log.contains("Answered by the SQL endpoint at " + server.url()), log);
    assertFalse(log.contains("SparkSessions"), "no Spark session was started: " + log);
  }

  /**
   * From the first statement the endpoint refuses (here a bronze table), `beacon sql` runs the rest in its own
   * session; and what it prints is the same whichever answered, nested values included.
   */
  @Test
  void whatTheEndpointRefusesRunsHereAndPrintsTheSame() {
    String lakehouse = DefaultLakehouse.path().toString();
    long responses = Tables.read(spark, settings, SurveyTables.bronze("ftd")).count();
    String values = "SELECT array(1, 2) AS a, map('k', 1) AS m, named_struct('x', 1, 'y', array('z')) AS s, DATE'2009-03-01' AS d, "
        + "0.1D AS x, CAST(NULL AS ARRAY<INT>) AS n";
    String script = values + "; SELECT count(*) AS responses FROM bronze.ftd__responses";
    Captured routed = Captured.run("sql", "--lakehouse", lakehouse, "--format", "csv", "-e", script);
    Captured local = Captured.run("sql", "--lakehouse", lakehouse, "--local", "--format", "csv", "-e", script);
    assertEquals(0, routed.code(), routed.err());
    assertEquals(0, local.code(), local.err());
    assertEquals(List.of("a,m,s,d,x,n", "\"[1,2]\",\"{\"\"k\"\":1}\",\"{\"\"x\"\":1,\"\"y\"\":[\"\"z\"\"]}\",2009-03-01,0.1,",
        "responses", String.valueOf(responses)), routed.out().lines().toList());
    assertEquals(local.out(), routed.out(), "the endpoint and a session of its own print the same");
    assertEquals(2, Captured.run("sql", "--local", "--connect", server.url(), "-e", "SELECT 1").code(), "--local contradicts --connect");
  }

  /** Hive's own client, beeline, in a JVM of its own, as an analyst runs it from the README. */
  @Test
  void beelineQueriesTheEndpoint() throws Exception {
    long grades = Tables.read(spark, settings, GradingTables.GOLD_INDICATOR_GRADES).count();
    Beeline ok = beeline("SELECT count(*) AS grades FROM gold.indicator_grades");
    assertEquals(0, ok.code(), ok.out());
    // Beeline writes its prompt before the result even when it reads no terminal.
    assertEquals(List.of("grades", String.valueOf(grades)), ok.out().lines().map(l -> l.replaceFirst("^\\d+: jdbc:hive2://\\S+> ", ""))
        .filter(l -> !l.isBlank()).toList(), ok.out());
    Beeline refused = beeline("SELECT * FROM bronze.ftd__responses");
    assertTrue(refused.code() != 0, "beeline reports a refused query as a failure: " + refused.out());
    assertTrue(refused.out().contains(LAYERS), refused.out());
  }

  private record Beeline(int code, String out) {}

  private static Beeline beeline(String query) throws Exception {
    List<String> command = JavaProcess.command("512m", org.apache.hive.beeline.BeeLine.class, "-u", server.url(), "-n", "analyst",
        "-p", "none", "--silent=true", "--showHeader=true", "--outputformat=csv2", "-e", query);
    // Standard input closed: beeline asks nothing (the endpoint here needs no password).
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "beeline finished within two minutes");
    return new Beeline(p.exitValue(), out);
  }

  @Test
  void timeTravelReadsAnEarlierVersion() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      assertEquals(5, count(s, "SELECT count(*) FROM " + TRAVEL.qualified()));
      assertEquals(3, count(s, "SELECT count(*) FROM " + TRAVEL.qualified() + " VERSION AS OF 0"));
      int versions = 0;
      try (ResultSet r = s.executeQuery("DESCRIBE HISTORY " + TRAVEL.qualified())) {
        while (r.next()) {
          versions++;
        }
      }
      assertEquals(2, versions, "DESCRIBE HISTORY lists the versions to travel to");
    }
  }

  @Test
  void writesAreRefusedAndChangeNothing() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String write : List.of("DROP TABLE " + TRAVEL.qualified(), "INSERT INTO " + TRAVEL.qualified() + " VALUES (9)",
          "DELETE FROM " + TRAVEL.qualified() + " WHERE id = 0", "CREATE TABLE default.scratch AS SELECT 1 AS a",
          "CREATE OR REPLACE VIEW gold.latest_grades AS SELECT 1 AS a")) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(write), write);
        assertTrue(e.getMessage().contains("read-only"), write + ": " + e.getMessage());
      }
      assertEquals(5, count(s, "SELECT count(*) FROM " + TRAVEL.qualified()));
      assertTrue(count(s, "SELECT count(*) FROM gold.latest_grades") > 1, "the view is unchanged");
    }
  }

  @Test
  void respondentLevelLayersAreNotServed() throws SQLException {
    String bronze = Tables.location(settings, SurveyTables.bronze("ftd")).toUri().getPath();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String read : List.of("SELECT count(*) FROM bronze.ftd__responses", "SELECT comment FROM bronze.ftd__responses LIMIT 1",
          "SELECT count(*) FROM quarantine.ftd__responses",
          "SELECT count(*) FROM silver.ftd__responses s JOIN bronze.ftd__responses b ON s._source_file = b._source_file")) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(read).close(), read);
        assertTrue(e.getMessage().contains(LAYERS), read + ": " + e.getMessage());
      }
      for (String read : List.of("SELECT count(*) FROM delta.`" + bronze + "`", "SELECT count(*) FROM parquet.`" + bronze + "`")) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(read).close(), read);
        assertTrue(e.getMessage().contains(PATH), read + ": " + e.getMessage());
      }
      assertTrue(count(s, "SELECT count(*) FROM silver.ftd__responses") > 0, "silver is served");
    }
  }

  private static final String PATH = "reads only the tables and views of its catalog, not files by path";
  private static final String SERVER = "does not let a client reach the server's JVM, files or network";
  private static final String LAYERS = "does not serve the bronze and quarantine layers";

  /**
   * Least privilege: the attacks that worked before the guard (files by path, the JVM through reflection, the
   * environment through variable substitution, a shell through TRANSFORM, any SET) and ways around a guard that
   * matched text (case, quoting, aliases, views, CTEs, subqueries, unions, joins, lambdas, windows), each
   * refused with its sentence; what the refused statement would have read is nowhere in the answers.
   */
  @Test
  void clientsReachTheCatalogAndNothingElse() throws SQLException {
    String bronze = Tables.location(settings, SurveyTables.bronze("ftd")).toUri().getPath();
    String silver = Tables.location(settings, SurveyTables.silver("ftd")).toUri().getPath();
    Map<String, String> attacks = new java.util.LinkedHashMap<>();
    attacks.put("SELECT * FROM text.`/etc/passwd`", PATH);
    attacks.put("SELECT count(*) FROM binaryFile.`/etc/shadow`", PATH);
    attacks.put("SELECT * FROM `TEXT`.`/etc/passwd`", PATH);
    attacks.put("SELECT * FROM csv.`file:///etc/passwd`", PATH);
    attacks.put("SELECT * FROM json.`/etc/hostname`", PATH);
    attacks.put("SELECT count(*) FROM parquet.`" + silver + "`", PATH);
    attacks.put("SELECT count(*) FROM delta.`" + silver + "`", PATH);
    attacks.put("SELECT count(*) FROM orc.`" + silver + "`", PATH);
    attacks.put("WITH t AS (SELECT * FROM text.`/etc/passwd`) SELECT * FROM t", PATH);
    attacks.put("SELECT n FROM gold.indicator_grades, (SELECT count(*) AS n FROM text.`/etc/passwd`) f", PATH);
    attacks.put("DESCRIBE DETAIL '" + silver + "'", PATH);
    attacks.put("DESCRIBE HISTORY '" + bronze + "'", PATH);
    attacks.put("CACHE TABLE c AS SELECT * FROM text.`/etc/passwd`", PATH);
    attacks.put("SELECT reflect('java.lang.System', 'getenv', 'HOME')", SERVER);
    attacks.put("SELECT java_method('java.lang.System', 'getProperty', 'user.home')", SERVER);
    attacks.put("SELECT ReFlEcT('java.lang.System', 'getenv', 'HOME')", SERVER);
    attacks.put("SELECT `java_method`('java.lang.System', 'exit', 1)", SERVER);
    attacks.put("SELECT grade FROM gold.indicator_grades UNION ALL SELECT reflect('java.lang.System', 'getenv', 'HOME')", SERVER);
    attacks.put("SELECT g.grade, x.v FROM gold.indicator_grades g CROSS JOIN (SELECT java_method('java.lang.System', "
        + "'getProperty', 'user.home') AS v) x", SERVER);
    attacks.put("SELECT * FROM gold.latest_grades WHERE grade IN (SELECT reflect('java.lang.System', 'getenv', 'HOME'))", SERVER);
    attacks.put("WITH e AS (SELECT reflect('java.lang.System', 'getenv', 'HOME') AS v) SELECT * FROM e", SERVER);
    attacks.put("SELECT transform(array(1), x -> reflect('java.lang.System', 'getenv', 'HOME'))", SERVER);
    attacks.put("SELECT max(reflect('java.lang.System', 'getenv', 'HOME')) OVER ()", SERVER);
    attacks.put("SELECT input_file_name() FROM gold.indicator_grades", SERVER);
    attacks.put("SELECT TRANSFORM(1) USING 'cat /etc/hostname' AS (x)", SERVER);
    attacks.put("ADD JAR /tmp/beacon-attack.jar", SERVER);
    attacks.put("ADD FILE /etc/passwd", SERVER);
    attacks.put("ADD ARCHIVE /tmp/beacon-attack.zip", SERVER);
    attacks.put("LIST FILES", SERVER);
    attacks.put("CREATE TEMPORARY FUNCTION f AS 'java.lang.String'", SERVER);
    attacks.put("CREATE TEMPORARY VIEW v USING text OPTIONS (path '/etc/passwd')", SERVER);
    attacks.put("SELECT (SELECT count(*) FROM bronze.ftd__responses) AS n", LAYERS);
    attacks.put("SELECT 1 WHERE EXISTS (SELECT 1 FROM quarantine.ftd__responses)", LAYERS);
    attacks.put("WITH b AS (SELECT * FROM `bronze`.`ftd__responses`) SELECT count(*) FROM b", LAYERS);
    attacks.put("DESCRIBE HISTORY bronze.ftd__responses", LAYERS);
    attacks.put("SET spark.sql.variable.substitute=true", "lets a client set only");
    attacks.put("SET spark.sql.runSQLOnFiles=true", "lets a client set only");
    attacks.put("SET spark.sql.optimizer.excludedRules=x", "lets a client set only");
    try (Connection c = connect(); Statement s = c.createStatement()) {
      List<String> failures = new ArrayList<>();
      attacks.forEach((attack, refusal) -> {
        try {
          s.execute(attack);
          failures.add(attack + " ran");
        } catch (SQLException e) {
          if (!e.getMessage().contains(refusal)) {
            failures.add(attack + " failed otherwise: " + e.getMessage());
          }
        }
      });
      assertEquals(List.of(), failures, "statements the endpoint should refuse with their sentence");
      // Substitution is off: the server's environment and properties stay text.
      for (String variable : List.of("${env:HOME}", "${system:user.home}", "${env:BEACON_PSEUDONYM_KEY}")) {
        try (ResultSet r = s.executeQuery("SELECT '" + variable + "'")) {
          assertTrue(r.next());
          assertEquals(variable, r.getString(1), "a client's variable reference is not substituted");
        }
      }
      // XML entities are not expanded either (Spark's xpath refuses DTDs).
      try (ResultSet r = s.executeQuery("SELECT xpath_string('<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
          + "<a>&x;</a>', 'a')")) {
        assertTrue(r.next());
        assertFalse(String.valueOf(r.getString(1)).contains("root:"), "the file's content came back through an XML entity");
      }
    }
  }

  /** What analysts do still works: allowed settings, joins, CTEs, unions and subqueries over the marts, views, range(), Beacon's functions. */
  @Test
  void analystQueriesStillAnswer() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SET spark.sql.session.timeZone=Europe/London");
      s.execute("USE gold");
      assertTrue(count(s, "WITH latest AS (SELECT * FROM latest_grades) SELECT count(*) FROM latest l "
          + "JOIN gold.indicator_grades g USING (force_code, indicator_id, period) WHERE g.grade IN "
          + "(SELECT grade FROM gold.indicator_grades UNION SELECT 'meeting')") > 0);
      assertTrue(count(s, "SELECT count(*) FROM silver.ftd__responses") > 0, "silver is served");
      assertEquals(3, count(s, "SELECT count(*) FROM range(3)"));
      try (ResultSet r = s.executeQuery("SELECT wilson_lower(81, 263, 0.95), kish_neff(w) FROM VALUES (1.0), (3.0) t(w)")) {
        assertTrue(r.next());
        assertEquals(org.beacon.stats.Wilson.lower(81, 263, 0.95), r.getDouble(1), 1e-15, "Beacon's SQL functions answer");
        assertEquals(16.0 / 10, r.getDouble(2), 1e-12, "Kish: (Σw)² / Σw²");
      }
      assertEquals(2, count(s, "SELECT count(*) FROM (VALUES (1), (2)) t(a)"));
      try (ResultSet r = s.executeQuery("DESCRIBE DETAIL gold.indicator_grades")) {
        assertTrue(r.next(), "DESCRIBE DETAIL of a mart by name answers");
      }
    }
  }

  /** Settings changed in the JDBC URL (hiveconf, hivevar) are held to the same allow-list as SET. */
  @Test
  void settingsFromTheConnectionUrlAreRefused() throws SQLException {
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(server.url() + "?spark.sql.optimizer.excludedRules=x", "analyst", "").close());
    assertTrue(e.getMessage().contains("spark.sql.optimizer.excludedRules") && e.getMessage().contains("may change only"),
        e.getMessage());
    try (Connection c = DriverManager.getConnection(server.url() + "?spark.sql.runSQLOnFiles=true", "analyst", "");
        Statement s = c.createStatement()) {
      SQLException refused = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM text.`/etc/passwd`").close());
      assertTrue(refused.getMessage().contains(PATH), refused.getMessage());
    }
    try (Connection c = DriverManager.getConnection(server.url() + "?spark.sql.session.timeZone=Europe/London", "analyst", "");
        Statement s = c.createStatement()) {
      assertEquals(1, count(s, "SELECT 1"), "an allowed setting in the URL is accepted");
    }
  }

  /**
   * What an analyst browsing the catalog sees: every gold and ops table and view, and every column of them,
   * has a comment, read through the JDBC driver's metadata; and no dictionary entry describes a column
   * that no table has (a stale entry would mislead as much as a missing one).
   */
  @Test
  void everyMartAndColumnIsDescribedAndNoEntryIsStale() throws SQLException {
    List<String> undescribed = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    try (Connection c = connect()) {
      for (String schema : List.of("gold", "ops")) {
        try (ResultSet r = c.getMetaData().getTables(null, schema, "%", null)) {
          while (r.next()) {
            if (!r.getString("TABLE_NAME").equals(TRAVEL.name()) && (r.getString("REMARKS") == null || r.getString("REMARKS").isBlank())) {
              undescribed.add(schema + "." + r.getString("TABLE_NAME"));
            }
          }
        }
        try (ResultSet r = c.getMetaData().getColumns(null, schema, "%", "%")) {
          while (r.next()) {
            String column = schema + "." + r.getString("TABLE_NAME") + "." + r.getString("COLUMN_NAME");
            seen.add(column);
            if (!r.getString("TABLE_NAME").equals(TRAVEL.name()) && (r.getString("REMARKS") == null || r.getString("REMARKS").isBlank())) {
              undescribed.add(column);
            }
          }
        }
      }
    }
    assertTrue(seen.contains("gold.latest_grades.grade") && seen.contains("gold.survey_estimates.n_eff"), "the JDBC metadata lists columns");
    assertEquals(List.of(), undescribed, "tables and columns without a comment in data-dictionary.conf");

    java.util.Set<String> columns = new java.util.HashSet<>();
    List<String> stale = new ArrayList<>();
    for (String layer : TableName.LAYERS) {
      for (Row t : spark.sql("SHOW TABLES IN " + layer).collectAsList()) {
        TableName table = new TableName(layer, t.getString(1));
        java.util.Set<String> own = java.util.Set.of(spark.table(table.qualified()).columns());
        columns.addAll(own);
        DataDictionary.tableColumns(table).stream().filter(col -> !own.contains(col)).forEach(col -> stale.add(table + "." + col));
      }
    }
    DataDictionary.sharedColumns().stream().filter(col -> !columns.contains(col)).forEach(col -> stale.add("columns." + col));
    assertEquals(List.of(), stale, "data-dictionary.conf entries for columns that no table of the lakehouse has");
  }
}
