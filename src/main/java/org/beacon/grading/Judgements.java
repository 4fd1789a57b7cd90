package org.beacon.grading;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.univocity.parsers.common.record.Record;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Checksums;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.LandingFiles;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.Tables;
import org.beacon.survey.SurveyTables;

/**
 * The inspection team's moderated judgements. HMIC's Appendix 3 makes the SPI evidence the starting point of an
 * area's judgement and then moderates it with the inspection's own evidence; Beacon computes the first (the outcome
 * assessment, {@link Grades#OUTCOME_ASSESSMENT}), and the team records the second in {@value #FILE} under the landing
 * folder: one row per force, inspection area and financial year, with its rationale, who recorded it and when. The
 * file is optional; every row is checked, and a wrong one stops the ingest naming the file, row and field.
 */
public final class Judgements {
  public static final String FILE = "reference/moderated_judgements.csv";
  static final List<String> COLUMNS = List.of("force_code", "inspection_area", "period", "judgement", "rationale", "recorded_by",
      "recorded_on");
  static final StructType SCHEMA = StructType.fromDDL("force_code STRING, inspection_area STRING, period STRING, "
      + "judgement STRING, rationale STRING, recorded_by STRING, recorded_on DATE");
  /** The three grades, and the words HMIC publishes them in. */
  private static final Map<String, String> GRADES = Map.of("exceeding", "exceeding", "meeting", "meeting", "failing", "failing",
      "exceeding the standard", "exceeding", "meeting the standard", "meeting", "failing to meet the standard", "failing");

  private Judgements() {}

  /** The inspection areas as the seed report names them, and Beacon's ids of them (beacon.grading.areas). */
  public static final Map<String, String> PUBLISHED_AREAS = Map.of("Neighbourhood Policing", "neighbourhood_policing",
      "Developing Citizen Focus Policing", "citizen_focus");

  /** The seed report's published summary judgements (reference/published-judgements.csv). */
  public static List<Record> published() {
    return ReportVerification.readResource("reference/published-judgements.csv");
  }

  /** silver.reference__moderated_judgements from the landing file, when there is one. */
  public static void ingest(SparkSession spark, Settings settings) {
    Path file = settings.landing().resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return;
    }
    Set<String> forces = Tables.exists(settings, SurveyTables.SILVER_GEOGRAPHY)
        ? Set.copyOf(Tables.read(spark, settings, SurveyTables.SILVER_GEOGRAPHY).select("force_code").distinct()
            .as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        : null;
    List<Row> rows = read(file, forces, GradingSettings.of(settings).areas().stream().map(GradingSettings.Area::id).toList());
    Lineage lineage = Lineage.of(settings).file(FILE, Checksums.sha256(file));
    if (forces != null) {
      lineage.table(spark, settings, SurveyTables.SILVER_GEOGRAPHY);
    }
    Tables.replace(spark, settings, GradingTables.SILVER_MODERATED_JUDGEMENTS, lineage,
        () -> spark.createDataFrame(rows, SCHEMA).orderBy("force_code", "inspection_area", "period"));
  }

  /** The file's rows, each checked; forces null when the geography is not known yet. */
  static List<Row> read(Path file, Set<String> forces, List<String> areas) {
    LandingFiles.checkHeader(file, COLUMNS);
    CsvParserSettings parser = new CsvParserSettings();
    parser.setHeaderExtractionEnabled(true);
    List<Record> records;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      records = new CsvParser(parser).parseAllRecords(in);
    } catch (IOException | RuntimeException e) {
      throw new BeaconException("Cannot read the moderated judgements file " + file + ": " + e.getMessage() + ".", e);
    }
    List<Row> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      Record r = records.get(i);
      int row = i + 1;
      String force = required(file, row, r, "force_code");
      if (forces != null && !forces.contains(force)) {
        throw invalid(file, row, "force_code", force, "a force the geography lists");
      }
      String area = required(file, row, r, "inspection_area");
      if (!areas.contains(area)) {
        throw invalid(file, row, "inspection_area", area, "one of " + String.join(", ", areas));
      }
      String period = required(file, row, r, "period");
      if (!isFinancialYear(period)) {
        throw invalid(file, row, "period", period, "a financial year such as 2007/08");
      }
      String given = required(file, row, r, "judgement");
      String judgement = GRADES.get(given.toLowerCase(Locale.ROOT));
      if (judgement == null) {
        throw invalid(file, row, "judgement", given, "exceeding, meeting or failing (or HMIC's words: Meeting the standard, ...)");
      }
      String rationale = required(file, row, r, "rationale");
      String by = required(file, row, r, "recorded_by");
      String on = required(file, row, r, "recorded_on");
      LocalDate date;
      try {
        date = LocalDate.parse(on);
      } catch (DateTimeParseException e) {
        throw invalid(file, row, "recorded_on", on, "a date as YYYY-MM-DD");
      }
      Integer earlier = seen.put(force + "|" + area + "|" + period, row);
      if (earlier != null) {
        throw new BeaconException("The moderated judgements file " + file + " records " + force + " " + area + " " + period
            + " twice, in rows " + earlier + " and " + row + ": keep one judgement per force, area and year.");
      }
      out.add(RowFactory.create(force, area, period, judgement, rationale, by, java.sql.Date.valueOf(date)));
    }
    return out;
  }

  private static boolean isFinancialYear(String period) {
    try {
      return FinancialYear.label(FinancialYear.startYear(period)).equals(period);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String required(Path file, int row, Record r, String field) {
    String value = r.getString(field);
    if (value == null || value.isBlank()) {
      throw new BeaconException("The moderated judgements file " + file + " row " + row + " has no " + field + ".");
    }
    return value.strip();
  }

  private static BeaconException invalid(Path file, int row, String field, String value, String wanted) {
    return new BeaconException("The moderated judgements file " + file + " row " + row + " has " + field + " '" + value
        + "', which is not " + wanted + ".");
  }

  /**
   * Each area's outcome assessment from SPI evidence beside the judgement recorded for it, for every force, area and
   * year that has either, and whether the two agree.
   */
  public static Dataset<Row> sideBySide(Dataset<Row> grades, Dataset<Row> judgements) {
    Dataset<Row> assessed = grades.filter(col("grade_level").equalTo(Grades.OUTCOME_ASSESSMENT))
        .select(col("force_code"), col("inspection_area"), col("period"), col("grade").as("outcome_assessment"),
            col("reason").as("outcome_assessment_reason"), col("rule_version"));
    Dataset<Row> recorded = judgements.select(col("force_code"), col("inspection_area"), col("period"),
        col("judgement").as("moderated_judgement"), col("rationale").as("judgement_rationale"),
        col("recorded_by").as("judgement_recorded_by"), col("recorded_on").as("judgement_recorded_on"));
    Column comparison = when(col("outcome_assessment").isNull(), lit("no outcome assessment"))
        .when(col("moderated_judgement").isNull(), lit("no judgement recorded"))
        .when(col("outcome_assessment").equalTo(col("moderated_judgement")), lit("agrees"))
        .otherwise(lit("differs"));
    return assessed.join(recorded, org.beacon.runtime.Columns.seq("force_code", "inspection_area", "period"), "full_outer")
        .withColumn("comparison", comparison)
        .select("force_code", "inspection_area", "period", "outcome_assessment", "outcome_assessment_reason", "rule_version",
            "moderated_judgement", "judgement_recorded_by", "judgement_recorded_on", "judgement_rationale", "comparison");
  }
}
