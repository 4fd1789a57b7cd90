package org.beacon.cli;

import org.beacon.survey.SurveyTables;

import org.beacon.spc.SpcTables;

import org.beacon.crime.CrimeTables;

import org.beacon.indicators.IndicatorTables;

import org.beacon.grading.GradingTables;

import org.beacon.grading.GradingSettings;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.beacon.runtime.Checksums;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * `beacon extract` for West Midlands 2007/08 on the default generated data: the CSV and the workbook
 * against the gold tables, the report self-contained with every chart, the versions in the manifest,
 * and no respondent id, free text or unprotected small cell in any file.
 */
@Order(3)
class ExtractTest {
  private static final String FORCE = "west-midlands";
  private static final String YEAR = "2007/08";
  private static final double EXACT = 1e-9;
  private static Path out;
  private static Captured extract;
  private static Settings settings;
  private static SparkSession spark;
  private static List<String> header;
  private static List<String[]> rows;

  @BeforeAll
  static void extractTheHomeForce() throws IOException {
    spark = SharedSpark.session();
    Path lakehouse = DefaultLakehouse.path();
    settings = Settings.load(Map.of("beacon.lakehouse", lakehouse.toString()));
    out = Files.createTempDirectory("beacon-extract").resolve("pack");
    extract = Captured.run("extract", "--lakehouse", lakehouse.toString(), "--force", FORCE, "--period", YEAR, "--out",
        out.toString());
    CsvParserSettings s = new CsvParserSettings();
    s.setMaxCharsPerColumn(-1);
    List<String[]> all = new CsvParser(s).parseAll(out.resolve("indicators.csv").toFile(), StandardCharsets.UTF_8);
    header = List.of(all.get(0));
    rows = all.subList(1, all.size());
  }

  private static String field(String[] row, String name) {
    return row[header.indexOf(name)];
  }

  private static String[] indicatorRow(String indicator, String level, String area, String periodType, String period) {
    return rows.stream().filter(r -> field(r, "indicator_id").equals(indicator) && field(r, "level").equals(level)
        && field(r, "area_code").equals(area) && field(r, "period_type").equals(periodType) && field(r, "period").equals(period)
        && field(r, "subgroup_type").equals("all")).findFirst().orElseThrow();
  }

  private static org.apache.spark.sql.Row gold(TableName table, String condition) {
    List<org.apache.spark.sql.Row> r = Tables.read(spark, settings, table).filter(condition).collectAsList();
    assertEquals(1, r.size(), table + " where " + condition);
    return r.get(0);
  }

  @Test
  void thePackHasItsFilesTheirChecksumsAndTheDeltaVersions() throws IOException {
    assertEquals(0, extract.code(), extract.err());
    assertEquals(out.toAbsolutePath().toString(), extract.out().strip().lines().reduce((a, b) -> b).orElseThrow());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(FORCE, manifest.get("force_code").asText());
    assertEquals(YEAR, manifest.get("financial_year").asText());
    assertEquals(GradingSettings.of(settings).rulesVersion(), manifest.get("rule_version").asText());
    for (TableName t : List.of(IndicatorTables.GOLD_SURVEY_ESTIMATES, GradingTables.GOLD_INDICATOR_COMPARISONS,
        GradingTables.GOLD_INDICATOR_GRADES, GradingTables.GOLD_SCORECARD, SpcTables.GOLD_SPC_POINTS)) {
      assertEquals(Tables.version(spark, settings, t), manifest.get("delta_versions").get(t.qualified()).asLong(), t.qualified());
    }
    for (String f : List.of("indicators.csv", "indicators.xlsx", "report.html")) {
      assertEquals(Checksums.sha256(out.resolve(f)), manifest.get("files").get(f).get("sha256").asText(), f);
    }
    assertEquals(rows.size(), manifest.get("rows").get("indicators").asInt());
    String versions = field(rows.get(0), "delta_versions");
    assertTrue(versions.contains("gold.survey_estimates@" + Tables.version(spark, settings, IndicatorTables.GOLD_SURVEY_ESTIMATES)),
        versions);
  }

  @Test
  void theCsvHasTheDocumentedColumnsAndTheGoldFigures() throws IOException {
    assertEquals(Files.readString(Path.of("src/test/resources/golden/extract_indicators_header.csv")).strip(),
        String.join(",", header), "the published column order is stable");
    String[] spi1e = indicatorRow("spi_1e", "force", FORCE, "financial_year", YEAR);
    org.apache.spark.sql.Row estimate = gold(IndicatorTables.GOLD_SURVEY_ESTIMATES, "indicator_id = 'spi_1e' AND level = 'force' AND "
        + "area_code = '" + FORCE + "' AND period = '" + YEAR + "' AND subgroup_type = 'all'");
    assertEquals(100 * estimate.<Double>getAs("estimate"), Double.parseDouble(field(spi1e, "value")), 1e-6);
    assertEquals(100 * estimate.<Double>getAs("lower_95"), Double.parseDouble(field(spi1e, "lower_95")), 1e-6);
    assertEquals(estimate.<Long>getAs("n"), Long.parseLong(field(spi1e, "n")));
    assertEquals("percent", field(spi1e, "unit"));
    assertEquals("Citizen Focus", field(spi1e, "inspection_area"));
    org.apache.spark.sql.Row msf = gold(GradingTables.GOLD_INDICATOR_COMPARISONS, "indicator_id = 'spi_1e' AND area_code = '" + FORCE
        + "' AND period = '" + YEAR + "' AND comparison = 'msf_average'");
    assertEquals(msf.<Double>getAs("difference"), Double.parseDouble(field(spi1e, "vs_msf_average_difference")), 1e-6);
    assertEquals("significantly better than the MSF average", field(spi1e, "vs_msf_average_statement"));
    assertEquals("exceeding", field(spi1e, "grade"), "the published grade for SPI 1e in 2007/08");
    assertEquals("1", field(spi1e, "grade_rule"));
    // An OCU row carries its comparison with its own force.
    String[] ocu = indicatorRow("spi_1e", "ocu", "D1", "financial_year", YEAR);
    org.apache.spark.sql.Row vsForce = gold(GradingTables.GOLD_INDICATOR_COMPARISONS, "indicator_id = 'spi_1e' AND level = 'ocu' AND "
        + "area_code = 'D1' AND period = '" + YEAR + "' AND comparison = 'force'");
    assertEquals(vsForce.<Double>getAs("difference"), Double.parseDouble(field(ocu, "vs_force_difference")), 1e-6);
    assertTrue(rows.stream().noneMatch(r -> field(r, "period_type").equals("rolling_4q")));
    assertTrue(rows.stream().allMatch(r -> field(r, "period").startsWith(YEAR)));
  }

  @Test
  void theWorkbookHasItsSheetsFrozenHeadersAndNumbersAsNumbers() throws IOException {
    try (InputStream in = Files.newInputStream(out.resolve("indicators.xlsx")); XSSFWorkbook book = new XSSFWorkbook(in)) {
      List<String> sheets = new ArrayList<>();
      book.forEach(s -> sheets.add(s.getSheetName()));
      assertEquals(List.of("About", "Neighbourhood Policing", "Citizen Focus", "Grades", "Judgements", "Scorecard", "Gaps",
          "Crime",
          "Data dictionary"), sheets);
      for (String name : sheets.subList(1, sheets.size())) {
        Sheet sheet = book.getSheet(name);
        assertTrue(sheet.getPaneInformation() != null && sheet.getPaneInformation().isFreezePane()
            && sheet.getPaneInformation().getHorizontalSplitPosition() == 1, name + " freezes its header row");
        assertTrue(sheet.getColumnWidth(0) > 256 * 4, name + " sizes its columns");
      }
      Sheet citizen = book.getSheet("Citizen Focus");
      assertEquals(header, cells(citizen.getRow(0)), "the area sheets have the CSV's columns");
      Row spi1e = find(citizen, Map.of("indicator_id", "spi_1e", "level", "force", "period", YEAR, "subgroup_type", "all"));
      Cell value = spi1e.getCell(header.indexOf("value"));
      assertEquals(CellType.NUMERIC, value.getCellType());
      assertEquals("0.0%", value.getCellStyle().getDataFormatString());
      double estimate = gold(IndicatorTables.GOLD_SURVEY_ESTIMATES, "indicator_id = 'spi_1e' AND level = 'force' AND area_code = '"
          + FORCE + "' AND period = '" + YEAR + "' AND subgroup_type = 'all'").getAs("estimate");
      assertEquals(estimate, value.getNumericCellValue(), EXACT);
      int areaRows = 0;
      for (String area : List.of("Neighbourhood Policing", "Citizen Focus")) {
        areaRows += book.getSheet(area).getLastRowNum();
      }
      assertEquals(rows.size(), areaRows, "every CSV row is on one area sheet");

      Sheet scorecard = book.getSheet("Scorecard");
      List<String> sh = cells(scorecard.getRow(0));
      Row q4 = find(scorecard, Map.of("indicator_id", "ftd_confidence", "level", "force", "quarter", YEAR + " Q4"));
      double pct = gold(GradingTables.GOLD_SCORECARD, "indicator_id = 'ftd_confidence' AND level = 'force' AND quarter = '"
          + YEAR + " Q4'").getAs("value_pct");
      assertEquals(pct / 100, q4.getCell(sh.indexOf("value_pct")).getNumericCellValue(), EXACT);

      Sheet crime = book.getSheet("Crime");
      List<String> ch = cells(crime.getRow(0));
      Row all = find(crime, Map.of("level", "force", "group_id", "all_crime"));
      long records = gold(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, "level = 'force' AND area_code = '" + FORCE
          + "' AND group_id = 'all_crime' AND financial_year = '" + YEAR + "'").getAs("records");
      assertEquals(records, (long) all.getCell(ch.indexOf("records")).getNumericCellValue());
      assertEquals(215741, records, "the report's 2007/08 recorded crime");

      Sheet dictionary = book.getSheet("Data dictionary");
      assertEquals(List.of("sheet", "field", "kind", "description"), cells(dictionary.getRow(0)));
      assertTrue(dictionary.getLastRowNum() >= header.size(), "every indicator column is described");
      String about = String.join(" ", cells(book.getSheet("About").getRow(3)));
      assertTrue(about.contains(YEAR), about);
    }
  }

  @Test
  void theReportIsSelfContainedWithEveryChart() throws IOException {
    String html = Files.readString(out.resolve("report.html"));
    for (String outside : List.of("http:", "https:", "<script", "<link", "@import", "url(", "//fonts", "<iframe")) {
      assertFalse(html.toLowerCase().contains(outside), "the page refers to nothing outside itself: " + outside);
    }
    Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
    int images = 0;
    while (src.find()) {
      assertTrue(src.group(1).startsWith("data:image/png;base64,"), src.group(1).substring(0, 40));
      byte[] png = Base64.getDecoder().decode(src.group(1).substring("data:image/png;base64,".length()));
      assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4), "a PNG image");
      assertTrue(png.length > 5_000, "a drawn chart, not an empty image");
      images++;
    }
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertEquals(manifest.get("charts").asInt(), images);
    for (String section : List.of("grades", "indicators", "intervals-ocu", "intervals-sector", "funnels", "spc", "scorecard",
        "gaps", "crime", "investment", "sources")) {
      assertTrue(html.contains("<section id=\"" + section + "\">"), "section " + section);
    }
    // One interval chart per indicator with OCU estimates, funnels for the FTD and user measures, SPC for each series.
    assertTrue(images >= 40, images + " charts");
    assertTrue(html.contains("Citizen Focus: outcome assessment from SPI evidence") && html.contains("exceeding"), "the area grades are shown");
    // Beside it, the judgement the team recorded after moderation (the default world records the report's own).
    assertTrue(html.contains("Outcome assessment and moderated judgement") && html.contains("Summary of judgement after moderation"),
        "the moderated judgements are shown");
    assertEquals(2, manifest.get("rows").get("judgements").asInt());
  }

  @Test
  void noRespondentIdFreeTextOrUnprotectedSmallCellLeaves() throws IOException {
    Set<String> identifiers = new HashSet<>();
    Path landing = settings.landing();
    for (String source : List.of("ftd", "force_survey", "user_satisfaction", "tracker_panel")) {
      Dataset<org.apache.spark.sql.Row> raw = spark.read().option("header", true).csv(landing.resolve(source) + "/*/*.csv");
      String id = source.equals("tracker_panel") ? "panel_member_id" : "respondent_id";
      raw.select(id).distinct().collectAsList().forEach(r -> identifiers.add(r.getString(0)));
    }
    for (TableName t : List.of(SurveyTables.silver("ftd"), SurveyTables.silver("force_survey"), SurveyTables.silver("user_satisfaction"),
        SurveyTables.silver("tracker_panel"))) {
      Dataset<org.apache.spark.sql.Row> silver = Tables.read(spark, settings, t);
      String key = List.of(silver.columns()).contains("respondent_key") ? "respondent_key" : "panel_member_key";
      silver.select(key).distinct().collectAsList().forEach(r -> identifiers.add(r.getString(0)));
    }
    assertTrue(identifiers.size() > 100_000, identifiers.size() + " identifiers");
    List<String> comments = spark.read().option("header", true).csv(landing.resolve("ftd") + "/*/*.csv")
        .filter(col("comment").isNotNull()).select("comment").distinct().collectAsList().stream().map(r -> r.getString(0)).toList();
    assertFalse(comments.isEmpty());

    StringBuilder text = new StringBuilder(Files.readString(out.resolve("indicators.csv")))
        .append(Files.readString(out.resolve("report.html"))).append(Files.readString(out.resolve("manifest.json")));
    try (InputStream in = Files.newInputStream(out.resolve("indicators.xlsx")); XSSFWorkbook book = new XSSFWorkbook(in)) {
      book.forEach(sheet -> sheet.forEach(row -> text.append(String.join(" ", cells(row))).append('\n')));
    }
    Set<String> tokens = new HashSet<>(List.of(text.toString().split("[^A-Za-z0-9]+")));
    tokens.retainAll(identifiers);
    assertEquals(Set.of(), tokens, "respondent identifiers in the extract");
    for (String comment : comments) {
      assertFalse(text.indexOf(comment) >= 0, "free text in the extract: " + comment);
    }

    int threshold = settings.minCellSize();
    Map<String, Boolean> hidden = new HashMap<>();
    for (String[] r : rows) {
      boolean suppressed = Boolean.parseBoolean(field(r, "is_suppressed"));
      if (!suppressed) {
        assertTrue(Long.parseLong(field(r, "n")) >= threshold, String.join(",", r));
      } else {
        assertEquals(null, field(r, "value"));
        assertEquals(null, field(r, "n"));
      }
      hidden.put(String.join("|", field(r, "indicator_id"), field(r, "level") + ":" + field(r, "area_code"), field(r, "period"),
          field(r, "subgroup_type"), field(r, "subgroup")), suppressed);
    }
    assertTrue(hidden.containsValue(true), "the default data has small cells to protect");
    // No subgroup split leaves exactly one cell hidden under a published total.
    Map<String, List<Boolean>> splits = new HashMap<>();
    for (String[] r : rows) {
      if (!field(r, "subgroup_type").equals("all")) {
        String total = String.join("|", field(r, "indicator_id"), field(r, "level") + ":" + field(r, "area_code"),
            field(r, "period"), "all", "all");
        if (Boolean.FALSE.equals(hidden.get(total))) {
          splits.computeIfAbsent(total + "#" + field(r, "subgroup_type"), k -> new ArrayList<>())
              .add(Boolean.parseBoolean(field(r, "is_suppressed")));
        }
      }
    }
    splits.forEach((k, v) -> assertTrue(v.stream().filter(b -> b).count() != 1, "one hidden cell recoverable in " + k));
    assertTrue(rows.stream().anyMatch(r -> field(r, "suppression_reason") != null
        && field(r, "suppression_reason").startsWith("secondary suppression")), "secondary suppression happened");
  }

  @Test
  void wrongRequestsFailWithASentence() {
    String lakehouse = DefaultLakehouse.path().toString();
    Captured noForce = Captured.run("extract", "--lakehouse", lakehouse, "--force", "atlantis", "--period", YEAR, "--out",
        out.resolveSibling("none").toString());
    assertEquals(1, noForce.code());
    assertTrue(noForce.err().contains("There is no force 'atlantis'"), noForce.err());
    Captured foreignOcu = Captured.run("extract", "--lakehouse", lakehouse, "--force", FORCE, "--period", YEAR, "--ocu", "ZZ9",
        "--out", out.resolveSibling("none").toString());
    assertEquals(1, foreignOcu.code());
    assertTrue(foreignOcu.err().contains("is not an OCU of west-midlands"), foreignOcu.err());
    Captured badYear = Captured.run("extract", "--lakehouse", lakehouse, "--force", FORCE, "--period", "2007");
    assertEquals(2, badYear.code(), "a malformed period is a wrong command line");
    assertTrue(badYear.err().contains("financial year such as 2007/08"), badYear.err());
    assertEquals(2, Captured.run("extract", "--lakehouse", lakehouse, "--period", YEAR).code(), "--force is required");
    assertFalse(Files.exists(out.resolveSibling("none")), "a failed extract leaves no folder");
  }

  /**
   * The report in a real browser: every chart decodes, every table has a header row, nothing raises an error, and a
   * screenshot is kept under target/. Skipped without Chromium, unless BEACON_REQUIRE_BROWSER=1 (as .ci/run sets it).
   */
  @Test
  void theReportRendersInAHeadlessBrowser() throws Exception {
    boolean required = "1".equals(System.getenv("BEACON_REQUIRE_BROWSER"));
    assertTrue(Browser.installed() || !required, "BEACON_REQUIRE_BROWSER=1 but chromium is not on the PATH");
    org.junit.jupiter.api.Assumptions.assumeTrue(Browser.installed(), "chromium is not installed (apt-get install chromium)");
    Path page = out.resolve("report.html");
    Browser.Check check = Browser.check(page);
    long charts = Pattern.compile("<img src=\"data:image/png;base64,").matcher(Files.readString(page)).results().count();
    assertEquals(charts, check.images(), "the browser sees every chart of the page");
    assertTrue(check.images() > 10, "the report has its charts: " + check);
    assertEquals(List.of(), check.brokenImages(), "charts the browser could not decode");
    assertTrue(check.tables() > 5, "the report has its tables: " + check);
    assertEquals(0, check.tablesWithoutHeaders(), "every table has a header row: " + check);
    assertEquals(List.of(), check.errors(), "errors the page raised in the browser");
    Path png = Path.of("target", "report-screenshot.png");
    Browser.screenshot(page, png);
    assertTrue(Files.size(png) > 50_000, "the screenshot shows the rendered page (" + Files.size(png) + " bytes)");
  }

  private static List<String> cells(Row row) {
    List<String> out = new ArrayList<>();
    row.forEach(c -> out.add(c.getCellType() == CellType.NUMERIC ? String.valueOf(c.getNumericCellValue())
        : c.getCellType() == CellType.BOOLEAN ? String.valueOf(c.getBooleanCellValue()) : c.getStringCellValue()));
    return out;
  }

  private static Row find(Sheet sheet, Map<String, String> where) {
    List<String> head = cells(sheet.getRow(0));
    for (Row row : sheet) {
      if (row.getRowNum() > 0 && where.entrySet().stream().allMatch(e -> {
        Cell c = row.getCell(head.indexOf(e.getKey()));
        return c != null && c.getCellType() == CellType.STRING && c.getStringCellValue().equals(e.getValue());
      })) {
        return row;
      }
    }
    throw new AssertionError("no row of " + sheet.getSheetName() + " with " + where);
  }
}
