package org.beacon.extracts;

import org.beacon.grading.GradingTables;

import org.beacon.indicators.IndicatorTables;

import org.beacon.crime.CrimeTables;

import org.beacon.survey.SurveyTables;

import org.beacon.survey.SurveySources;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.grading.GradingSettings;
import org.beacon.indicators.Indicator;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;

/**
 * Gathers one inspection extract from a {@link Snapshot}: the survey cells as {@link Published} allows,
 * comparisons and gaps blanked where a cell they rest on is withheld, grades, judgements, scorecard and
 * crime for the force (or one of its OCUs) and financial year, the Delta versions on every row, and the
 * report's figures ({@link FigureReader}). What it returns is plain data for the writers.
 */
final class PackReader {
  private final Snapshot snapshot;
  private final Settings settings;
  private final ExtractFields fields;
  private final String force;
  private final String forceName;
  private final String year;
  private final String ocu;
  private final Published published;
  private final Areas areas;

  private PackReader(Snapshot snapshot, Settings settings, String force, String year, String ocu) {
    this.snapshot = snapshot;
    this.settings = settings;
    this.fields = new ExtractFields(settings);
    this.force = force;
    this.year = year;
    this.ocu = ocu;
    this.areas = Areas.of(snapshot.read(SurveyTables.SILVER_GEOGRAPHY));
    Areas.Area forceArea = areas.get("force", force);
    if (forceArea == null) {
      throw new BeaconException("There is no force '" + force + "' in silver.reference__geography.");
    }
    this.forceName = forceArea.name();
    Areas.Area ocuArea = ocu == null ? null : areas.get("ocu", ocu);
    if (ocu != null && (ocuArea == null || !ocuArea.forceCode().equals(force))) {
      throw new BeaconException("The OCU '" + ocu + "' is not an OCU of " + force + " in silver.reference__geography.");
    }
    this.published = Published.of(snapshot.read(IndicatorTables.GOLD_SURVEY_ESTIMATES), areas, force, settings.minCellSize(),
        ExtractSettings.of(settings).subgroupCells(), nestings(snapshot, settings));
  }

  static Pack read(Snapshot snapshot, Settings settings, String force, String year, String ocu) {
    return new PackReader(snapshot, settings, force, year, ocu).read();
  }

  private Pack read() {
    ExtractTable indicators = indicatorTable();
    if (indicators.rows().isEmpty()) {
      throw new BeaconException("gold.survey_estimates has no estimates for " + force + " in " + year + ".");
    }
    GradingSettings grading = GradingSettings.of(settings);
    Map<String, String> names = new LinkedHashMap<>();
    Indicator.all(settings).forEach(i -> names.put(i.id(), i.name()));
    grading.gaps().forEach(g -> names.put(g.id(), g.name()));
    Map<String, String> inspectionAreas = new LinkedHashMap<>();
    grading.areas().forEach(a -> inspectionAreas.put(a.id(), a.name()));
    Pack pack = new Pack(force, forceName, year, ocu, ocu == null ? null : areas.get("ocu", ocu).name(),
        grading.rulesVersion(), settings.minCellSize(), snapshot.versions(), names, inspectionAreas, indicators,
        gradeTable(), judgementTable(), scorecardTable(names), gapTable(), crimeTable(), null);
    return pack.withFigures(FigureReader.read(snapshot, settings, pack, published, areas));
  }

  /**
   * How the sources' subgroup types nest (ethnic_group within ethnic_minority, victim_group within user_type), from
   * the distinct combinations of their values in each source's silver rows; a nesting found in one source and
   * contradicted in another is dropped.
   */
  private static List<Disclosure.Nesting> nestings(Snapshot snapshot, Settings settings) {
    Map<String, Disclosure.Nesting> found = new java.util.LinkedHashMap<>();
    java.util.Set<String> contradicted = new java.util.HashSet<>();
    for (org.beacon.survey.SurveySource source : SurveySources.all(settings)) {
      TableName silver = SurveyTables.silver(source.id());
      if (!snapshot.has(silver) || source.subgroups().size() < 2) {
        continue;
      }
      List<String> types = source.subgroups();
      List<List<String>> combinations = snapshot.read(silver)
          .select(types.stream().map(t -> source.subgroupColumn(t).cast("string").as(t)).toArray(org.apache.spark.sql.Column[]::new))
          .distinct().collectAsList().stream()
          .map(r -> java.util.stream.IntStream.range(0, types.size()).mapToObj(i -> r.isNullAt(i) ? null : r.getString(i)).toList())
          .toList();
      for (Disclosure.Nesting n : Disclosure.nestings(types, combinations)) {
        String pair = n.fineType() + ">" + n.coarseType();
        Disclosure.Nesting before = found.get(pair);
        if (before == null) {
          found.put(pair, n);
        } else {
          Map<String, String> merged = new java.util.HashMap<>(before.coarseOf());
          n.coarseOf().forEach((fine, coarse) -> {
            if (merged.containsKey(fine) && !merged.get(fine).equals(coarse)) {
              contradicted.add(pair);
            }
            merged.put(fine, coarse);
          });
          found.put(pair, new Disclosure.Nesting(n.fineType(), n.coarseType(), Map.copyOf(merged)));
        }
      }
    }
    contradicted.forEach(found::remove);
    return List.copyOf(found.values());
  }

  private String level() {
    return ocu == null ? "force" : "ocu";
  }

  private String areaCode() {
    return ocu == null ? force : ocu;
  }

  private boolean inScope(String level, String code) {
    Areas.Area a = areas.get(level, code);
    return a != null && areas.isWithin(a, level(), areaCode());
  }

  private String areaName(String level, String code) {
    Areas.Area a = areas.get(level, code);
    return a == null ? code : a.name();
  }

  // ---- indicators --------------------------------------------------------------------------------

  private ExtractTable indicatorTable() {
    Map<String, Indicator> catalogue = new HashMap<>();
    Indicator.all(settings).forEach(i -> catalogue.put(i.id(), i));
    Map<String, String> inspectionArea = inspectionAreas(settings);
    Map<String, Row> comparisons = new HashMap<>();
    for (Row r : snapshot.read(GradingTables.GOLD_INDICATOR_COMPARISONS)
        .filter(col("force_code").equalTo(force).and(col("period").equalTo(year))
            .and(col("comparison").isin(ExtractFields.COMPARISONS.keySet().toArray())))
        .collectAsList()) {
      comparisons.put(r.getAs("indicator_id") + "|" + r.getAs("level") + "|" + r.getAs("area_code") + "|" + r.getAs("comparison"), r);
    }
    Map<String, Row> grades = new HashMap<>();
    if (snapshot.has(GradingTables.GOLD_INDICATOR_GRADES)) {
      snapshot.read(GradingTables.GOLD_INDICATOR_GRADES).filter(col("force_code").equalTo(force).and(col("period").equalTo(year))
          .and(col("kind").equalTo("indicator"))).collectAsList().forEach(r -> grades.put(r.getAs("indicator_id"), r));
    }
    List<ExtractTable.Field> fields = this.fields.indicators();
    String lineage = snapshot.describe(List.of(IndicatorTables.GOLD_SURVEY_ESTIMATES, GradingTables.GOLD_INDICATOR_COMPARISONS,
        GradingTables.GOLD_INDICATOR_GRADES, SurveyTables.SILVER_GEOGRAPHY));
    List<Object[]> rows = new ArrayList<>();
    for (Row cell : published.cells()) {
      String level = cell.getAs("level");
      String area = cell.getAs("area_code");
      if (!year.equals(cell.getAs("financial_year")) || !inScope(level, area)) {
        continue;
      }
      String id = cell.getAs("indicator_id");
      Indicator indicator = catalogue.get(id);
      if (indicator == null) {
        continue;
      }
      boolean percent = indicator.estimand() == Indicator.Estimand.PROPORTION;
      double scale = percent ? 100.0 : 1.0;
      String periodType = cell.getAs("period_type");
      String period = cell.getAs("period");
      String subgroupType = cell.getAs("subgroup_type");
      String reason = published.reason(id, level, area, periodType, period, subgroupType, cell.getAs("subgroup"));
      boolean shown = reason == null;
      Areas.Area a = areas.get(level, area);
      List<Object> row = new ArrayList<>(List.of(force, forceName, inspectionArea.getOrDefault(id, "Other indicators"), id,
          indicator.name(), indicator.polarity() == Indicator.Polarity.HIGHER_IS_BETTER ? "higher-is-better" : "lower-is-better",
          percent ? "percent" : "mean", level, area, a.name(), a.parentCode() == null ? "" : a.parentCode(), periodType, period,
          subgroupType, cell.getAs("subgroup")));
      row.add(shown ? cell.getAs("n") : null);
      row.add(shown ? cell.getAs("n_eff") : null);
      for (String v : List.of("estimate", "lower_95", "upper_95", "lower_998", "upper_998")) {
        Double d = cell.getAs(v);
        row.add(shown && d != null ? d * scale : null);
      }
      row.add(shown ? cell.getAs("method") : null);
      row.add(!shown);
      row.add(reason);
      boolean compared = shown && periodType.equals("financial_year") && subgroupType.equals("all");
      for (String c : ExtractFields.COMPARISONS.keySet()) {
        Row r = compared ? comparisons.get(id + "|" + level + "|" + area + "|" + c) : null;
        boolean comparatorShown = r != null && (c.equals("msf_average") || published.isPublished(id,
            c.equals("force") ? "force" : level, c.equals("force") ? force : area, "financial_year", r.getAs("comparator_period")));
        if (comparatorShown) {
          row.addAll(List.of(r.getAs("comparator"), r.getAs("comparator_value"), r.getAs("difference"),
              r.getAs("difference_lower_95"), r.getAs("difference_upper_95"), r.getAs("p_value"), r.getAs("is_significant_95"),
              r.getAs("statement")));
        } else {
          row.addAll(java.util.Collections.nCopies(8, null));
        }
      }
      Row g = compared && level.equals("force") ? grades.get(id) : null;
      row.addAll(g == null ? java.util.Collections.nCopies(4, null)
          : List.of(g.getAs("grade"), g.getAs("rule_number"), g.getAs("reason"), g.getAs("rule_version")));
      row.add(lineage);
      rows.add(row.toArray());
    }
    return new ExtractTable("indicators", "Indicators", fields, rows);
  }

  /** Indicator (or gap) id -> inspection area name: the area that grades it, else the area of its source. */
  private static Map<String, String> inspectionAreas(Settings settings) {
    Map<String, String> out = new HashMap<>();
    for (GradingSettings.Area area : GradingSettings.of(settings).areas()) {
      List<String> sources = ExtractSettings.of(settings).areaSources().get(area.id());
      Indicator.all(settings).stream().filter(i -> sources.contains(i.source())).forEach(i -> out.put(i.id(), area.name()));
    }
    for (GradingSettings.Area area : GradingSettings.of(settings).areas()) {
      area.indicators().forEach(i -> out.put(i, area.name()));
    }
    return out;
  }

  // ---- grades, scorecard, gaps, crime ------------------------------------------------------------

  private ExtractTable gradeTable() {
    List<ExtractTable.Field> fields = this.fields.grades();
    if (!snapshot.has(GradingTables.GOLD_INDICATOR_GRADES)) {
      return new ExtractTable("grades", "Grades", fields, List.of());
    }
    Dataset<Row> g = snapshot.read(GradingTables.GOLD_INDICATOR_GRADES).filter(col("force_code").equalTo(force).and(col("period").equalTo(year)))
        .orderBy(col("grade_level").desc(), col("inspection_area"), col("indicator_id"))
        .withColumn("delta_versions", lit(snapshot.describe(List.of(GradingTables.GOLD_INDICATOR_GRADES))));
    return table("grades", "Grades", fields, g);
  }

  /** Each inspection area's outcome assessment from SPI evidence beside the moderated judgement the team recorded. */
  private ExtractTable judgementTable() {
    List<ExtractTable.Field> fields = this.fields.judgements();
    if (!snapshot.has(GradingTables.GOLD_AREA_JUDGEMENTS)) {
      return new ExtractTable("judgements", "Judgements", fields, List.of());
    }
    Dataset<Row> j = snapshot.read(GradingTables.GOLD_AREA_JUDGEMENTS).filter(col("force_code").equalTo(force).and(col("period").equalTo(year)))
        .withColumn("judgement_recorded_on", col("judgement_recorded_on").cast("string"))
        .orderBy("inspection_area")
        .withColumn("delta_versions", lit(snapshot.describe(List.of(GradingTables.GOLD_AREA_JUDGEMENTS))));
    return table("judgements", "Judgements", fields, j);
  }

  private ExtractTable scorecardTable(Map<String, String> names) {
    List<ExtractTable.Field> fields = this.fields.scorecard();
    if (!snapshot.has(GradingTables.GOLD_SCORECARD)) {
      return new ExtractTable("scorecard", "Scorecard", fields, List.of());
    }
    String lineage = snapshot.describe(List.of(GradingTables.GOLD_SCORECARD, IndicatorTables.GOLD_SURVEY_ESTIMATES));
    List<Object[]> rows = new ArrayList<>();
    for (Row r : snapshot.read(GradingTables.GOLD_SCORECARD).filter(col("financial_year").equalTo(year).and(areas.rowsWithin(level(), areaCode())))
        .orderBy("indicator_id", "level", "area_code", "quarter").collectAsList()) {
      String id = r.getAs("indicator_id");
      String level = r.getAs("level");
      String area = r.getAs("area_code");
      String reason = published.reason(id, level, area, "quarter", r.getAs("quarter"), "all", "all");
      boolean shown = reason == null;
      rows.add(new Object[] {id, names.get(id), level, area, areaName(level, area), r.getAs("quarter"),
          shown ? r.getAs("n") : null, shown ? r.getAs("value_pct") : null, shown ? r.getAs("lower_95") : null,
          shown ? r.getAs("upper_95") : null, r.getAs("target_pct"), shown ? r.getAs("difference_from_target_pp") : null,
          shown ? r.getAs("status") : "suppressed", reason, lineage});
    }
    return new ExtractTable("scorecard", "Scorecard", fields, rows);
  }

  private ExtractTable gapTable() {
    List<ExtractTable.Field> fields = this.fields.gaps();
    if (!snapshot.has(GradingTables.GOLD_INDICATOR_GAPS)) {
      return new ExtractTable("gaps", "Gaps", fields, List.of());
    }
    String lineage = snapshot.describe(List.of(GradingTables.GOLD_INDICATOR_GAPS, IndicatorTables.GOLD_SURVEY_ESTIMATES));
    List<Object[]> rows = new ArrayList<>();
    for (Row r : snapshot.read(GradingTables.GOLD_INDICATOR_GAPS).filter(col("financial_year").equalTo(year).and(areas.rowsWithin(level(), areaCode())))
        .orderBy("gap_id", "level", "area_code", "period_type", "period").collectAsList()) {
      String level = r.getAs("level");
      String area = r.getAs("area_code");
      String reason = gapReason(r, level, area, r.getAs("period_type"), r.getAs("period"));
      String earlier = r.getAs("earlier_period");
      boolean earlierShown = reason == null && earlier != null
          && gapReason(r, level, area, r.getAs("period_type"), earlier) == null;
      List<Object> row = new ArrayList<>(List.of(r.getAs("gap_id"), r.getAs("gap_name"), level, area, areaName(level, area),
          r.getAs("period_type"), r.getAs("period"), r.getAs("group_name"), r.getAs("versus_name")));
      for (String v : List.of("group_value", "versus_value", "gap", "gap_lower_95", "gap_upper_95", "is_significant_95",
          "statement")) {
        row.add(reason == null ? r.getAs(v) : null);
      }
      for (String v : List.of("earlier_period", "earlier_gap", "change", "change_lower_95", "change_upper_95", "change_direction")) {
        row.add(earlierShown ? r.getAs(v) : null);
      }
      row.add(reason != null);
      row.add(reason);
      row.add(lineage);
      rows.add(row.toArray());
    }
    return new ExtractTable("gaps", "Gaps", fields, rows);
  }

  /** Null when both cells of the gap may be published, else the reason of the first that may not. */
  private String gapReason(Row gap, String level, String area, String periodType, String period) {
    for (String group : List.of("group_name", "versus_name")) {
      String reason = published.reason(gap.getAs("indicator_id"), level, area, periodType, period, gap.getAs("subgroup_type"),
          gap.getAs(group));
      if (reason != null) {
        return gap.getAs(group) + " " + period + ": " + reason;
      }
    }
    return null;
  }

  private ExtractTable crimeTable() {
    List<ExtractTable.Field> fields = this.fields.crime();
    if (!snapshot.has(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)) {
      return new ExtractTable("crime", "Crime", fields, List.of());
    }
    Dataset<Row> c = snapshot.read(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)
        .filter(col("financial_year").equalTo(year).and(areas.rowsWithin(level(), areaCode())))
        .orderBy(when(col("level").equalTo("force"), 0).otherwise(1), col("area_code"), col("group_id"));
    List<Object[]> rows = new ArrayList<>();
    int name = fields.stream().map(ExtractTable.Field::name).toList().indexOf("area_name");
    for (Object[] r : table("crime", "Crime", fields, c.withColumn("area_name", col("area_code"))
        .withColumn("delta_versions", lit(snapshot.describe(List.of(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS,
            SurveyTables.SILVER_GEOGRAPHY))))).rows()) {
      r[name] = areaName((String) r[0], (String) r[1]);
      rows.add(r);
    }
    return new ExtractTable("crime", "Crime", fields, rows);
  }

  /** The table of a dataset's rows, reading each field from the column of the same name. */
  private static ExtractTable table(String name, String title, List<ExtractTable.Field> fields, Dataset<Row> data) {
    String[] columns = fields.stream().map(ExtractTable.Field::name).toArray(String[]::new);
    List<Object[]> rows = new ArrayList<>();
    for (Row r : data.selectExpr(columns).collectAsList()) {
      Object[] values = new Object[columns.length];
      for (int i = 0; i < columns.length; i++) {
        values[i] = r.get(i);
      }
      rows.add(values);
    }
    return new ExtractTable(name, title, fields, rows);
  }
}
