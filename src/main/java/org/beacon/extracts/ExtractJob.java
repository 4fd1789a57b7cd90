package org.beacon.extracts;

import org.beacon.linkage.InvestmentOutcomesJob;

import org.beacon.indicators.IndicatorTables;

import org.beacon.workforce.WorkforceTables;

import org.beacon.spc.SpcTables;

import org.beacon.grading.GradingTables;

import org.beacon.crime.CrimeTables;

import org.beacon.survey.SurveyTables;

import org.beacon.survey.SurveySources;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.beacon.grading.GradingSettings;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Checksums;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gold marts -> an inspection pack for one force (or OCU) and financial year: indicators.csv,
 * indicators.xlsx, report.html and manifest.json (what was read, at which Delta versions, and a
 * SHA-256 of every file). Re-running on the same versions rewrites the same figures.
 */
public final class ExtractJob {
  private static final Logger LOG = LoggerFactory.getLogger(ExtractJob.class);
  static final List<TableName> INPUTS = List.of(SurveyTables.SILVER_GEOGRAPHY, IndicatorTables.GOLD_SURVEY_ESTIMATES,
      GradingTables.GOLD_INDICATOR_COMPARISONS, GradingTables.GOLD_INDICATOR_GRADES, GradingTables.GOLD_AREA_JUDGEMENTS,
      GradingTables.GOLD_INDICATOR_GAPS,
      GradingTables.GOLD_SCORECARD, GradingTables.GOLD_FUNNEL_POINTS, GradingTables.GOLD_FUNNEL_LIMITS, SpcTables.GOLD_SPC_POINTS,
      CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, CrimeTables.GOLD_CRIME_MONTHLY, InvestmentOutcomesJob.GOLD_INVESTMENT_OUTCOMES,
      WorkforceTables.SILVER_WORKFORCE, SurveyTables.SILVER_POPULATION);

  /** What to extract: a force, a financial year (2007/08), optionally one OCU, and the folder (null: the default). */
  public record Request(String force, String financialYear, String ocu, Path out) {}

  private ExtractJob() {}

  /** Writes the pack and returns its folder. */
  public static Path run(SparkSession spark, Settings settings, Request request) {
    long start = System.nanoTime();
    if (!request.financialYear().matches("\\d{4}/\\d{2}")) {
      throw new BeaconException("The period must be a financial year such as 2007/08, not '" + request.financialYear() + "'.");
    }
    List<TableName> inputs = new java.util.ArrayList<>(INPUTS);
    // The sources' respondents, for how their subgroup types nest (Disclosure); nothing of them is extracted.
    SurveySources.all(settings).forEach(source -> inputs.add(SurveyTables.silver(source.id())));
    Snapshot snapshot = Snapshot.of(spark, settings, inputs);
    for (TableName required : List.of(SurveyTables.SILVER_GEOGRAPHY, IndicatorTables.GOLD_SURVEY_ESTIMATES,
        GradingTables.GOLD_INDICATOR_COMPARISONS)) {
      snapshot.read(required);
    }
    Pack pack = PackReader.read(snapshot, settings, request.force(), request.financialYear(), request.ocu());
    Path out = request.out() != null ? request.out() : ExtractSettings.of(settings).outDir().resolve(request.force() + "_"
        + request.financialYear().replace('/', '-') + (request.ocu() == null ? "" : "_" + request.ocu()));
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new BeaconException("Could not create the extract folder " + out + ": " + e.getMessage(), e);
    }
    String generatedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    CsvWriter.write(pack.indicators(), out.resolve("indicators.csv"));
    Map<String, String> areaSheets = new LinkedHashMap<>();
    for (GradingSettings.Area area : GradingSettings.of(settings).areas()) {
      areaSheets.put(area.name(), area.name());
    }
    if (pack.indicators().rows().stream().anyMatch(r -> "Other indicators".equals(r[pack.indicators().index("inspection_area")]))) {
      areaSheets.put("Other indicators", "Other indicators");
    }
    WorkbookWriter.write(pack, areaSheets, out.resolve("indicators.xlsx"));
    int charts = ReportWriter.write(pack, generatedAt, out.resolve("report.html"));
    double seconds = (System.nanoTime() - start) / 1e9;
    manifest(out, pack, generatedAt, charts, seconds);
    long suppressed = pack.indicators().rows().stream().filter(r -> Boolean.TRUE.equals(r[pack.indicators().index("is_suppressed")]))
        .count();
    LOG.info("Extract for {} {}{} written to {} in {} s: {} indicator rows ({} suppressed), {} charts", request.force(),
        request.financialYear(), request.ocu() == null ? "" : " OCU " + request.ocu(), out, String.format("%.1f", seconds),
        pack.indicators().rows().size(), suppressed, charts);
    return out;
  }

  private static void manifest(Path out, Pack pack, String generatedAt, int charts,
      double seconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("force_code", pack.force());
    m.put("force_name", pack.forceName());
    m.put("ocu_code", pack.ocu());
    m.put("financial_year", pack.year());
    m.put("generated_at", generatedAt);
    m.put("rule_version", pack.ruleVersion());
    m.put("min_cell_size", pack.threshold());
    m.put("delta_versions", pack.versions());
    Map<String, Object> rows = new LinkedHashMap<>();
    for (ExtractTable t : pack.tables()) {
      rows.put(t.name(), t.rows().size());
    }
    m.put("rows", rows);
    m.put("charts", charts);
    Map<String, Object> files = new LinkedHashMap<>();
    for (String f : List.of("indicators.csv", "indicators.xlsx", "report.html")) {
      Path p = out.resolve(f);
      try {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("bytes", Files.size(p));
        file.put("sha256", Checksums.sha256(p));
        files.put(f, file);
      } catch (IOException e) {
        throw new BeaconException("Could not read back " + p + ": " + e.getMessage(), e);
      }
    }
    m.put("files", files);
    m.put("build_seconds", Math.round(seconds * 10) / 10.0);
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("manifest.json").toFile(), m);
    } catch (IOException e) {
      throw new BeaconException("Could not write " + out.resolve("manifest.json") + ": " + e.getMessage(), e);
    }
  }
}
