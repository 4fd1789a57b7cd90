package org.beacon.cli;

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
import org.beacon.sql.ReadOnly;
import org.beacon.sql.SqlServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The SQL endpoint on the default lakehouse, over JDBC as any client would use it: tables and views by
 * name, a time-travel read of an earlier version, and writes refused while the data stays as it was.
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
    assertFalse(ReadOnly.isOn());
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
      long grades = Tables.read(spark, settings, TableName.GOLD_INDICATOR_GRADES).count();
      assertEquals(grades, count(s, "SELECT count(*) FROM gold.indicator_grades"));
      try (ResultSet r = s.executeQuery("SELECT grade, reason FROM gold.latest_grades WHERE force_code = 'west-midlands' "
          + "AND grade_level = 'inspection_area' AND inspection_area = 'citizen_focus'")) {
        assertTrue(r.next());
        assertEquals("exceeding", r.getString("grade"), "Citizen Focus in the latest graded year");
      }
      assertEquals(54, count(s, "SELECT count(*) FROM gold.sector_confidence_latest"), "the home force's 54 sectors");
      assertTrue(count(s, "SELECT count(*) FROM gold.latest_spc_signals") > 0);
      List<String> tables = new ArrayList<>();
      try (ResultSet r = c.getMetaData().getTables(null, "gold", "%", null)) {
        while (r.next()) {
          tables.add(r.getString("TABLE_NAME"));
        }
      }
      assertTrue(tables.containsAll(List.of("survey_estimates", "indicator_grades", "latest_grades", "sector_confidence_latest",
          "latest_spc_signals")), tables.toString());
    }
  }

  /** `beacon sql --connect`: the statements run in the endpoint, with the same output and exit codes as locally. */
  @Test
  void beaconSqlSendsItsStatementsToTheEndpoint() throws IOException {
    long grades = Tables.read(spark, settings, TableName.GOLD_INDICATOR_GRADES).count();
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
    String bronze = Tables.location(settings, TableName.bronze("ftd")).toUri().getPath();
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String read : List.of("SELECT count(*) FROM bronze.ftd__responses", "SELECT comment FROM bronze.ftd__responses LIMIT 1",
          "SELECT count(*) FROM quarantine.ftd__responses", "SELECT count(*) FROM delta.`" + bronze + "`",
          "SELECT count(*) FROM parquet.`" + bronze + "`",
          "SELECT count(*) FROM silver.ftd__responses s JOIN bronze.ftd__responses b ON s._source_file = b._source_file")) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(read).close(), read);
        assertTrue(e.getMessage().contains("does not serve the bronze and quarantine layers"), read + ": " + e.getMessage());
      }
      assertTrue(count(s, "SELECT count(*) FROM silver.ftd__responses") > 0, "silver is served");
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
