package org.beacon.cli;

import org.beacon.linkage.InvestmentOutcomesJob;

import org.beacon.indicators.IndicatorTables;

import org.beacon.workforce.WorkforceTables;

import org.beacon.spc.SpcTables;

import org.beacon.grading.GradingTables;

import org.beacon.crime.CrimeTables;

import org.beacon.survey.SurveyTables;

import org.beacon.survey.SurveySources;

import org.beacon.indicators.Indicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.apache.spark.sql.functions;
import org.beacon.indicators.SurveyEstimatesJob;
import org.beacon.runtime.Columns;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * `beacon run` on the default generated data in a temporary folder, then the same lakehouse from new JVMs. It runs
 * after VerifyReportTest (class order in junit-platform.properties), whose checks read the lakehouse before the
 * damaged redelivery here gives its silver tables a new version.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(2)
class BeaconEndToEndTest {
  private static final List<TableName> TABLES = List.of(SurveyTables.bronze("ftd"), SurveyTables.silver("ftd"), SurveyTables.quarantine("ftd"),
      SurveyTables.SILVER_GEOGRAPHY, SurveyTables.SILVER_POPULATION, TableName.OPS_LOAD_RECONCILIATION,
      IndicatorTables.GOLD_SURVEY_ESTIMATES, IndicatorTables.GOLD_WEIGHTING_EFFICIENCY, IndicatorTables.GOLD_SMALL_AREA_ESTIMATES,
      IndicatorTables.GOLD_PANEL_CHANGES, IndicatorTables.GOLD_PANEL_VS_SAMPLE, SurveyTables.SILVER_MSF_GROUPS,
      GradingTables.GOLD_INDICATOR_COMPARISONS, GradingTables.GOLD_INDICATOR_GAPS, GradingTables.GOLD_INDICATOR_GRADES, GradingTables.GOLD_SCORECARD,
      GradingTables.GOLD_FUNNEL_POINTS, GradingTables.GOLD_FUNNEL_LIMITS, CrimeTables.SILVER_POLICE_UK_CRIMES, CrimeTables.GOLD_CRIME_MONTHLY,
      CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, SpcTables.GOLD_SPC_POINTS, InvestmentOutcomesJob.GOLD_INVESTMENT_OUTCOMES,
      WorkforceTables.GOLD_WORKFORCE_INDICATORS);
  private static Path lakehouse;
  private static Settings settings;
  private static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.session();
    lakehouse = DefaultLakehouse.path();
    settings = Settings.load(Map.of("beacon.lakehouse", lakehouse.toString()));
  }

  private static String[] run() {
    return new String[] {"run", "--lakehouse", lakehouse.toString()};
  }

  private static Map<TableName, Long> versions() {
    Map<TableName, Long> v = new LinkedHashMap<>();
    TABLES.forEach(t -> v.put(t, Tables.version(spark, settings, t)));
    return v;
  }

  @Test
  @Order(1)
  void runBuildsEveryLayerAndReconciles() {
    assertEquals(0, DefaultLakehouse.firstRunExitCode());
    for (TableName t : TABLES) {
      assertTrue(Tables.exists(settings, t), t + " was not written");
    }
    long bronze = Tables.read(spark, settings, SurveyTables.bronze("ftd")).count();
    long silver = Tables.read(spark, settings, SurveyTables.silver("ftd")).count();
    long quarantined = Tables.read(spark, settings, SurveyTables.quarantine("ftd")).count();
    assertEquals(21 * 1000 * 5, bronze, "21 OCUs x 1,000 interviews x 5 years");
    assertEquals(bronze, silver + quarantined);
    Row totals = Tables.read(spark, settings, TableName.OPS_LOAD_RECONCILIATION).filter("source = 'ftd'")
        .selectExpr("sum(rows_read)", "sum(rows_accepted)", "sum(rows_quarantined)").first();
    for (String source : List.of("user_satisfaction", "force_survey", "tracker_panel")) {
      assertTrue(Tables.read(spark, settings, SurveyTables.silver(source)).count() > 0, source + " has no silver rows");
    }
    assertEquals(0, Tables.read(spark, settings, TableName.OPS_LOAD_RECONCILIATION)
        .filter("rows_read <> rows_accepted + rows_quarantined").count());
    assertEquals(bronze, totals.getLong(0));
    assertEquals(silver, totals.getLong(1));
    Dataset<Row> gold = Tables.read(spark, settings, IndicatorTables.GOLD_SURVEY_ESTIMATES);
    assertEquals(0, gold.filter("NOT is_suppressed AND NOT (lower_998 <= lower_95 AND lower_95 <= estimate "
        + "AND estimate <= upper_95 AND upper_95 <= upper_998)").count(), "every published interval must nest around its estimate");
    assertEquals(5, gold.filter("level = 'force' AND period_type = 'financial_year' AND indicator_id = 'ftd_confidence' "
        + "AND subgroup_type = 'all'").count());
    for (String source : List.of("ftd", "user_satisfaction", "force_survey", "tracker_panel")) {
      assertTrue(gold.filter(gold.col("source").equalTo(source)).count() > 0, "no estimates for " + source);
      assertTrue(gold.filter(gold.col("source").equalTo(source).and(gold.col("subgroup_type").notEqual("all"))
          .and(gold.col("is_suppressed").equalTo(false))).count() > 0, "no published subgroup estimates for " + source);
      // Every subgroup the source's configuration lists reaches the estimates (the force survey's disability and
      // religion among them).
      java.util.Set<String> expected = new java.util.TreeSet<>(SurveySources.of(settings, source).subgroups());
      expected.add("all");
      assertEquals(expected, new java.util.TreeSet<>(gold.filter(gold.col("source").equalTo(source)).select("subgroup_type")
          .distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList()), "subgroup types of " + source);
      // Every indicator at every level the source reaches, in every period type (neighbourhoods: financial years),
      // for the whole sample; for every subgroup at the levels and period types of the source's subgroup-cells, no more.
      java.util.Set<String> cells = new java.util.TreeSet<>();
      var kept = SurveySources.of(settings, source).subgroupCells();
      for (var indicator : Indicator.all(settings).stream().filter(i -> i.source().equals(source)).toList()) {
        for (String level : org.beacon.indicators.SurveyEstimates.levels(SurveySources.of(settings, source))) {
          for (String type : org.beacon.survey.SurveySource.periodTypes(level)) {
            expected.stream().filter(g -> g.equals("all") || kept.getOrDefault(level, List.of()).contains(type))
                .forEach(g -> cells.add(String.join(" ", indicator.id(), level, type, g)));
          }
        }
      }
      assertEquals(cells, new java.util.TreeSet<>(gold.filter(gold.col("source").equalTo(source))
          .selectExpr("concat_ws(' ', indicator_id, level, period_type, subgroup_type)").distinct()
          .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()), "indicators, levels, period types and subgroups of " + source);
    }
  }

  /**
   * Force and OCU yearly estimates of the default lakehouse against a reviewed golden file, within 1e-6.
   * After an intended change, regenerate it with -Dorg.beacon.golden.update=true and review the diff.
   */
  @Test
  @Order(2)
  void goldMatchesTheGoldenFile() throws IOException {
    Path golden = Path.of("src/test/resources/golden/survey_estimates_force_ocu_year.csv");
    Dataset<Row> actual = Tables.read(spark, settings, IndicatorTables.GOLD_SURVEY_ESTIMATES)
        .filter("level IN ('force', 'ocu') AND period_type = 'financial_year' AND subgroup_type = 'all' AND NOT is_suppressed")
        .select("indicator_id", "level", "area_code", "period", "n", "weighted_n", "estimate", "se", "lower_95", "upper_95",
            "lower_998", "upper_998")
        .orderBy("indicator_id", "level", "area_code", "period");
    if (Boolean.getBoolean("org.beacon.golden.update")) {
      Files.createDirectories(golden.getParent());
      List<String> lines = new ArrayList<>(List.of(String.join(",", actual.columns())));
      actual.collectAsList().forEach(r -> lines.add(r.mkString(",")));
      Files.write(golden, lines);
    }
    Dataset<Row> expected = spark.read().option("header", "true").option("nullValue", "null")
        .schema(actual.schema().asNullable()).csv(golden.toString())
        .orderBy("indicator_id", "level", "area_code", "period");
    SharedSpark.assertions().assertDataFrameApproximateEquals(expected, actual.to(actual.schema().asNullable()), 1e-6);
  }

  @Test
  @Order(2)
  void cellsGivesTheCellsTheBuildKeepsAndThoseItDoesNot() {
    String[] key = {"indicator_id", "level", "area_code", "period_type", "period", "subgroup_type", "subgroup"};
    Dataset<Row> gold = Tables.read(spark, settings, IndicatorTables.GOLD_SURVEY_ESTIMATES);
    // Kept: sector years by sex, the same cells and figures as the build's (sums in another order: to 1e-12).
    Dataset<Row> kept = gold.filter("source = 'ftd' AND level = 'sector' AND period_type = 'financial_year' AND subgroup_type = 'sex'");
    Dataset<Row> asked = SurveyEstimatesJob.cells(spark, settings, "ftd", "sector", "financial_year", "sex");
    assertEquals(kept.count(), asked.count(), "cells gave another number of sector years by sex than the build keeps");
    List<Row> pairs = kept.alias("g").join(asked.alias("c"), Columns.seq(key)).selectExpr("g.n = c.n AND g.is_suppressed <=> c.is_suppressed",
        "greatest(abs(g.estimate - c.estimate), abs(g.se - c.se), abs(g.lower_95 - c.lower_95), abs(g.upper_998 - c.upper_998))")
        .collectAsList();
    assertEquals(kept.count(), pairs.size(), "cells gave sector years by sex the build does not have");
    for (Row r : pairs) {
      assertTrue(r.getBoolean(0), "cells gave another n or suppression than the build for a sector year by sex");
      assertTrue(r.isNullAt(1) || r.getDouble(1) < 1e-12, "cells differs from the build by " + r.get(1) + " in a sector year by sex");
    }
    // Not kept: sector quarters by sex. Every respondent has a sex (or Not stated), so a quarter's subgroups add up to its n.
    assertEquals(0, gold.filter("source = 'ftd' AND level = 'sector' AND period_type = 'quarter' AND subgroup_type = 'sex'").count(),
        "the build keeps sector quarters by sex, which the default policy leaves to beacon cells");
    Dataset<Row> quarters = SurveyEstimatesJob.cells(spark, settings, "ftd", "sector", "quarter", "sex");
    Dataset<Row> whole = gold.filter("source = 'ftd' AND level = 'sector' AND period_type = 'quarter' AND subgroup_type = 'all'");
    Dataset<Row> added = quarters.groupBy("indicator_id", "area_code", "period").agg(functions.sum("n").as("subgroups_n"));
    assertEquals(whole.count(), added.count(), "cells gave sector quarters by sex for other areas or quarters than the build's");
    assertEquals(0, whole.join(added, Columns.seq("indicator_id", "area_code", "period")).filter("n <> subgroups_n").count(),
        "the subgroups' n of a sector quarter from cells do not add up to the quarter's n");
    assertTrue(quarters.filter("NOT is_suppressed").count() > 0, "no sector quarter by sex was published");
    // The command prints them in gold's columns; a level the source has not is a plain error.
    Captured printed = Captured.run("cells", "--lakehouse", lakehouse.toString(), "--source", "ftd", "--level", "sector",
        "--period-type", "quarter", "--subgroup-type", "sex", "--area", "E1S1", "--indicator", "ftd_confidence", "--format", "csv");
    assertEquals(0, printed.code(), printed.err());
    assertEquals(String.join(",", gold.columns()), printed.out().lines().findFirst().orElse(""));
    long shown = quarters.filter("area_code = 'E1S1' AND indicator_id = 'ftd_confidence'").count();
    assertTrue(shown > 0, "sector E1S1 has no quarters by sex");
    assertEquals(shown + 1, printed.out().lines().count(), "cells printed another number of rows than it estimated");
    Captured wrong = Captured.run("cells", "--lakehouse", lakehouse.toString(), "--source", "user_satisfaction", "--level", "sector",
        "--period-type", "quarter");
    assertEquals(1, wrong.code());
    assertTrue(wrong.err().contains("user_satisfaction is estimated at the levels [ocu, force], not 'sector'"), wrong.err());
  }

  @Test
  @Order(3)
  void aSecondRunChangesNoTable() {
    Map<TableName, Long> before = versions();
    assertEquals(0, Beacon.execute(run()));
    assertEquals(before, versions(), "a re-run on the same inputs must not write a new version of any table");
  }

  @Test
  @Order(4)
  void aDamagedDeliveryIsQuarantinedWithItsReason() throws IOException {
    Path file;
    try (var files = Files.walk(lakehouse.resolve("landing/ftd"))) {
      file = files.filter(p -> p.toString().endsWith("_q2.csv")).sorted().findFirst().orElseThrow();
    }
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(3, lines.get(3).replaceFirst(",[A-Z0-9]+S\\dN\\d,", ",NOWHERE,"));
    Path copy = file.resolveSibling("redelivered_" + file.getFileName());
    Files.write(copy, lines);
    // Delivered as a scheduled wave: only the new file (and the earlier rows of its respondent ids) is conformed.
    long silverVersion = Tables.version(spark, settings, SurveyTables.silver("ftd"));
    assertEquals(0, Beacon.execute(new String[] {"ingest", "--lakehouse", lakehouse.toString(), "--quarter", "2004/05 Q2"}));
    assertEquals(silverVersion + 1, Tables.version(spark, settings, SurveyTables.silver("ftd")),
        "silver gained one commit (no rows: every row of the redelivery is held back), recording what it was built from");
    Dataset<Row> q = Tables.read(spark, settings, SurveyTables.quarantine("ftd"));
    String relative = lakehouse.resolve("landing").relativize(copy).toString();
    List<Row> fromCopy = q.filter(q.col("_source_file").equalTo(relative)).collectAsList();
    assertEquals(lines.size() - 1, fromCopy.size(), "every row of the redelivery is a duplicate or damaged");
    assertTrue(fromCopy.stream().anyMatch(r -> r.<String>getAs("reason").equals("neighbourhood_code: unknown code 'NOWHERE'")
        && r.<Long>getAs("_source_record") == 3L));
    assertTrue(fromCopy.stream().filter(r -> r.<Long>getAs("_source_record") != 3L)
        .allMatch(r -> r.<String>getAs("reason").startsWith("respondent_id: duplicate of ftd/")));
    Files.delete(copy);
  }

  @Test
  @Order(5)
  void twoNewProcessesAtOnceQueryGoldByName() throws Exception {
    // Embedded Derby admits one process: the second must still answer, from the same lakehouse folders.
    Process first = sqlInNewJvm("SELECT count(*) AS n FROM gold.survey_estimates WHERE level = 'force'; "
        + "SELECT round(wilson_lower(81, 263, 0.95), 6) AS lower");
    Process second = sqlInNewJvm("SELECT count(DISTINCT indicator_id) AS indicators FROM gold.survey_estimates");
    Dataset<Row> gold = Tables.read(spark, settings, IndicatorTables.GOLD_SURVEY_ESTIMATES);
    assertEquals("n\n" + gold.filter("level = 'force'").count() + "\nlower\n0.255289\n", output(first));
    assertEquals("indicators\n" + gold.select("indicator_id").distinct().count() + "\n", output(second));
  }

  @Test
  @Order(6)
  void wrongCommandLinesExitWithTwo() {
    Captured explode = Captured.run("explode");
    Captured seed = Captured.run("run", "--seed");
    assertEquals(2, explode.code());
    assertEquals(2, seed.code());
    assertEquals(2, Captured.run("sql", "--format", "xml").code());
    assertEquals(2, Captured.run("funnel").code());
    assertTrue(explode.err().contains("unknown command 'explode'"), explode.err());
    assertTrue(seed.err().contains("--seed needs a value"), seed.err());
  }

  /** Starts `beacon sql --format csv` in a separate JVM with the launcher's flags. */
  private static Process sqlInNewJvm(String sql) throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    String flags = pom.substring(pom.indexOf("<spark.jvm.flags>") + 17, pom.indexOf("</spark.jvm.flags>"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    command.addAll(List.of(flags.trim().split("\\s+")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Beacon.class.getName(), "sql",
        "--lakehouse", lakehouse.toString(), "--format", "csv", "-e", sql));
    return new ProcessBuilder(command).redirectError(Files.createTempFile("beacon-sql", ".log").toFile()).start();
  }

  /** Waits for the process and returns its stdout; a non-zero exit fails the test. */
  private static String output(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the sql process did not finish");
    assertEquals(0, p.exitValue(), "beacon sql failed; its stdout: " + out);
    return out;
  }
}
