package org.beacon.extracts;

import org.beacon.grading.GradingTables;

import org.beacon.indicators.IndicatorTables;

import org.beacon.crime.CrimeTables;

import org.beacon.survey.SurveyTables;

import org.beacon.survey.SurveySources;

import static org.apache.spark.sql.functions.*;

import static org.beacon.extracts.ExtractTable.field;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.extracts.ExtractTable.Kind;
import org.beacon.grading.GradingSettings;
import org.beacon.indicators.Indicator;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;

/**
 * The tables of one inspection extract, for a force (or one of its OCUs) and a financial year, read
 * from a {@link Snapshot} and passed through disclosure control: survey cells as {@link Published}
 * allows, comparisons and gaps blanked where a cell they rest on is withheld, and the Delta versions
 * on every row.
 */
final class Pack {
  /** The comparisons published beside each estimate, in column order, with their headings. */
  static final Map<String, String> COMPARISONS = new LinkedHashMap<>();

  static {
    COMPARISONS.put("msf_average", "the average of the most similar forces in the same year");
    COMPARISONS.put("one_year_earlier", "the same area one year earlier");
    COMPARISONS.put("two_years_earlier", "the same area two years earlier (the grading comparison)");
    COMPARISONS.put("force", "the OCU's own force in the same year (OCU rows)");
  }

  private static final ExtractTable.Field AREA_CODE = field(Kind.TEXT, "area_code", "The area's code.");
  private static final ExtractTable.Field AREA_NAME = field(Kind.TEXT, "area_name", "The area's name.");
  private static final ExtractTable.Field DELTA_VERSIONS = field(Kind.TEXT, "delta_versions",
      "The Delta tables and versions the row was built from (rebuild with VERSION AS OF).");

  final String force;
  final String forceName;
  final String year;
  final String ocu;
  final String versions;
  final String ruleVersion;
  final int threshold;
  final ExtractTable indicators;
  final ExtractTable grades;
  final ExtractTable judgements;
  final ExtractTable scorecard;
  final ExtractTable gaps;
  final ExtractTable crime;
  final Published published;
  final Areas areas;

  private Pack(Snapshot snapshot, Settings settings, String force, String year, String ocu) {
    this.force = force;
    this.year = year;
    this.ocu = ocu;
    this.versions = snapshot.describe();
    this.ruleVersion = GradingSettings.of(settings).rulesVersion();
    this.threshold = settings.minCellSize();
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
    this.published = Published.of(snapshot.read(IndicatorTables.GOLD_SURVEY_ESTIMATES), areas, force, threshold,
        ExtractSettings.of(settings).subgroupCells(), nestings(snapshot, settings));
    this.indicators = indicatorTable(snapshot, settings);
    if (indicators.rows().isEmpty()) {
      throw new BeaconException("gold.survey_estimates has no estimates for " + force + " in " + year + ".");
    }
    this.grades = gradeTable(snapshot);
    this.judgements = judgementTable(snapshot);
    this.scorecard = scorecardTable(snapshot, settings);
    this.gaps = gapTable(snapshot, GradingSettings.of(settings));
    this.crime = crimeTable(snapshot);
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

  static Pack build(Snapshot snapshot, Settings settings, String force, String year, String ocu) {
    return new Pack(snapshot, settings, force, year, ocu);
  }

  /** The area whose extract this is: the OCU when one was asked for, else the force. */
  String level() {
    return ocu == null ? "force" : "ocu";
  }

  String areaCode() {
    return ocu == null ? force : ocu;
  }

  boolean inScope(String level, String code) {
    Areas.Area a = areas.get(level, code);
    return a != null && areas.isWithin(a, level(), areaCode());
  }

  private String areaName(String level, String code) {
    Areas.Area a = areas.get(level, code);
    return a == null ? code : a.name();
  }

  // ---- indicators --------------------------------------------------------------------------------

  static List<ExtractTable.Field> indicatorFields() {
    List<ExtractTable.Field> f = new ArrayList<>(List.of(
        field(Kind.TEXT, "force_code", "The force, as in silver.reference__geography."),
        field(Kind.TEXT, "force_name", "The force's name."),
        field(Kind.TEXT, "inspection_area", "The inspection area (HMIC 2008) the indicator is reported under."),
        field(Kind.TEXT, "indicator_id", "The indicator's id in Beacon's catalogue (beacon.indicators)."),
        field(Kind.TEXT, "indicator_name", "What the indicator measures."),
        field(Kind.TEXT, "polarity", "higher-is-better or lower-is-better."),
        field(Kind.TEXT, "unit", "percent (a share of valid answers, in percent) or mean (a mean score)."),
        field(Kind.TEXT, "level", "force, ocu (basic command unit), sector or neighbourhood."),
        AREA_CODE,
        AREA_NAME,
        field(Kind.TEXT, "parent_area_code", "The area this area is part of (blank for the force)."),
        field(Kind.TEXT, "period_type", "financial_year, year_to_date (Q1 to the quarter named) or quarter."),
        field(Kind.TEXT, "period", "The period, e.g. 2007/08, 2007/08 Q1-Q3, 2007/08 Q2."),
        field(Kind.TEXT, "subgroup_type", "all, or the characteristic the respondents are split by (sex, age_band, ethnic_group, ...)."),
        field(Kind.TEXT, "subgroup", "The subgroup, or all."),
        field(Kind.INTEGER, "n", "Valid responses (blank when suppressed)."),
        field(Kind.NUMBER, "n_eff", "Design-effective sample size (Kish 1965): the n a simple random sample would need for the same precision."),
        field(Kind.MEASURE, "value", "The weighted estimate, in the unit given."),
        field(Kind.MEASURE, "lower_95", "Lower bound of the 95% interval (Wilson score on n_eff for percentages, t for means)."),
        field(Kind.MEASURE, "upper_95", "Upper bound of the 95% interval."),
        field(Kind.MEASURE, "lower_998", "Lower bound of the 99.8% interval."),
        field(Kind.MEASURE, "upper_998", "Upper bound of the 99.8% interval."),
        field(Kind.TEXT, "method", "How the estimate and its interval were computed."),
        field(Kind.BOOLEAN, "is_suppressed", "True when the cell is withheld; value, n and comparisons are then blank."),
        field(Kind.TEXT, "suppression_reason", "Why the cell is withheld: fewer respondents than the threshold, or secondary suppression.")));
    COMPARISONS.forEach((c, what) -> {
      String p = "vs_" + c + "_";
      f.add(field(Kind.TEXT, p + "comparator", "The comparator: " + what + "."));
      f.add(field(Kind.MEASURE, p + "value", "The comparator's estimate."));
      f.add(field(Kind.MEASURE, p + "difference", "This value minus the comparator's (percentage points for percentages)."));
      f.add(field(Kind.MEASURE, p + "difference_lower_95", "Lower bound of the difference's 95% interval (MOVER, Newcombe 1998 for two proportions)."));
      f.add(field(Kind.MEASURE, p + "difference_upper_95", "Upper bound of the difference's 95% interval."));
      f.add(field(Kind.NUMBER, p + "p_value", "Two-sided p value of the z test using both standard errors."));
      f.add(field(Kind.BOOLEAN, p + "is_significant_95", "True when the 95% interval of the difference excludes zero."));
      f.add(field(Kind.TEXT, p + "statement", "The comparison in words, given the indicator's polarity."));
    });
    f.add(field(Kind.TEXT, "grade", "The force's grade for the indicator: exceeding, meeting or failing (force rows for the year)."));
    f.add(field(Kind.INTEGER, "grade_rule", "The number of the first rule of the rule table that matched."));
    f.add(field(Kind.TEXT, "grade_reason", "The comparisons the grade rests on, in words."));
    f.add(field(Kind.TEXT, "rule_version", "The version of the grading rule table."));
    f.add(DELTA_VERSIONS);
    return f;
  }

  private ExtractTable indicatorTable(Snapshot snapshot, Settings settings) {
    Map<String, Indicator> catalogue = new HashMap<>();
    Indicator.all(settings).forEach(i -> catalogue.put(i.id(), i));
    Map<String, String> inspectionArea = inspectionAreas(settings);
    Map<String, Row> comparisons = new HashMap<>();
    for (Row r : snapshot.read(GradingTables.GOLD_INDICATOR_COMPARISONS)
        .filter(col("force_code").equalTo(force).and(col("period").equalTo(year))
            .and(col("comparison").isin(COMPARISONS.keySet().toArray())))
        .collectAsList()) {
      comparisons.put(r.getAs("indicator_id") + "|" + r.getAs("level") + "|" + r.getAs("area_code") + "|" + r.getAs("comparison"), r);
    }
    Map<String, Row> grades = new HashMap<>();
    if (snapshot.has(GradingTables.GOLD_INDICATOR_GRADES)) {
      snapshot.read(GradingTables.GOLD_INDICATOR_GRADES).filter(col("force_code").equalTo(force).and(col("period").equalTo(year))
          .and(col("kind").equalTo("indicator"))).collectAsList().forEach(r -> grades.put(r.getAs("indicator_id"), r));
    }
    List<ExtractTable.Field> fields = indicatorFields();
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
      for (String c : COMPARISONS.keySet()) {
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

  private ExtractTable gradeTable(Snapshot snapshot) {
    List<ExtractTable.Field> fields = List.of(
        field(Kind.TEXT, "grade_level", "indicator, or outcome_assessment: the area's outcome assessment from SPI evidence (before HMIC's moderation)."),
        field(Kind.TEXT, "inspection_area", "The inspection area."),
        field(Kind.TEXT, "indicator_id", "The indicator or gap graded (blank for an area's outcome assessment)."),
        field(Kind.TEXT, "kind", "indicator, gap or outcome_assessment."),
        field(Kind.TEXT, "vs_msf", "Against the MSF average: better, same, worse (significant at 95%) or none; for a gap, the gap itself."),
        field(Kind.TEXT, "change", "Against two years earlier: improved, unchanged, deteriorated or none."),
        field(Kind.TEXT, "movement", "The direction of the point estimate's movement: up, level or down."),
        field(Kind.TEXT, "grade", "exceeding, meeting or failing to meet the standard."),
        field(Kind.INTEGER, "rule_number", "The first rule of the rule table that matched."),
        field(Kind.TEXT, "reason", "The comparisons in words; for an area, the outcome summary of its indicators."),
        field(Kind.TEXT, "rule_version", "The version of the grading rule table."),
        DELTA_VERSIONS);
    if (!snapshot.has(GradingTables.GOLD_INDICATOR_GRADES)) {
      return new ExtractTable("grades", "Grades", fields, List.of());
    }
    Dataset<Row> g = snapshot.read(GradingTables.GOLD_INDICATOR_GRADES).filter(col("force_code").equalTo(force).and(col("period").equalTo(year)))
        .orderBy(col("grade_level").desc(), col("inspection_area"), col("indicator_id"))
        .withColumn("delta_versions", lit(snapshot.describe(List.of(GradingTables.GOLD_INDICATOR_GRADES))));
    return ExtractTable.of("grades", "Grades", fields, g);
  }

  /** Each inspection area's outcome assessment from SPI evidence beside the moderated judgement the team recorded. */
  private ExtractTable judgementTable(Snapshot snapshot) {
    List<ExtractTable.Field> fields = List.of(
        field(Kind.TEXT, "inspection_area", "The inspection area."),
        field(Kind.TEXT, "outcome_assessment", "Beacon's outcome assessment from SPI evidence: the starting point of the judgement."),
        field(Kind.TEXT, "moderated_judgement", "The judgement the inspection team recorded after moderating with the inspection's "
            + "evidence (blank when none is recorded)."),
        field(Kind.TEXT, "comparison", "agrees, differs, no judgement recorded, or no outcome assessment."),
        field(Kind.TEXT, "judgement_rationale", "The team's rationale for the moderated judgement."),
        field(Kind.TEXT, "judgement_recorded_by", "Who recorded it."),
        field(Kind.TEXT, "judgement_recorded_on", "When it was recorded."),
        DELTA_VERSIONS);
    if (!snapshot.has(GradingTables.GOLD_AREA_JUDGEMENTS)) {
      return new ExtractTable("judgements", "Judgements", fields, List.of());
    }
    Dataset<Row> j = snapshot.read(GradingTables.GOLD_AREA_JUDGEMENTS).filter(col("force_code").equalTo(force).and(col("period").equalTo(year)))
        .withColumn("judgement_recorded_on", col("judgement_recorded_on").cast("string"))
        .orderBy("inspection_area")
        .withColumn("delta_versions", lit(snapshot.describe(List.of(GradingTables.GOLD_AREA_JUDGEMENTS))));
    return ExtractTable.of("judgements", "Judgements", fields, j);
  }

  private ExtractTable scorecardTable(Snapshot snapshot, Settings settings) {
    List<ExtractTable.Field> fields = List.of(
        field(Kind.TEXT, "indicator_id", "The Feeling the Difference measure."),
        field(Kind.TEXT, "indicator_name", "What it measures."),
        field(Kind.TEXT, "level", "force, ocu or sector."),
        AREA_CODE,
        AREA_NAME,
        field(Kind.TEXT, "quarter", "The quarter."),
        field(Kind.INTEGER, "n", "Valid responses (blank when suppressed)."),
        field(Kind.PERCENT, "value_pct", "The weighted estimate in percent."),
        field(Kind.PERCENT, "lower_95", "Lower bound of the 95% interval."),
        field(Kind.PERCENT, "upper_95", "Upper bound of the 95% interval."),
        field(Kind.PERCENT, "target_pct", "The force's target (beacon.grading.scorecard)."),
        field(Kind.PERCENT, "difference_from_target_pp", "Value minus target, in percentage points."),
        field(Kind.TEXT, "status", "Against the target, given polarity: achieved (interval clear of it), on track (estimate meets it), "
            + "at risk (estimate misses it, interval reaches it), missed (interval clear of it on the wrong side), or suppressed."),
        field(Kind.TEXT, "suppression_reason", "Why the cell is withheld."),
        DELTA_VERSIONS);
    if (!snapshot.has(GradingTables.GOLD_SCORECARD)) {
      return new ExtractTable("scorecard", "Scorecard", fields, List.of());
    }
    Map<String, String> names = new HashMap<>();
    Indicator.all(settings).forEach(i -> names.put(i.id(), i.name()));
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

  private ExtractTable gapTable(Snapshot snapshot, GradingSettings grading) {
    List<ExtractTable.Field> fields = List.of(
        field(Kind.TEXT, "gap_id", "The gap's id (beacon.grading.gaps)."),
        field(Kind.TEXT, "gap_name", "What the gap measures."),
        field(Kind.TEXT, "level", "force or ocu."),
        AREA_CODE,
        AREA_NAME,
        field(Kind.TEXT, "period_type", "financial_year or year_to_date."),
        field(Kind.TEXT, "period", "The period."),
        field(Kind.TEXT, "group_name", "The group."),
        field(Kind.TEXT, "versus_name", "The group it is compared with."),
        field(Kind.PERCENT, "group_value", "The group's estimate in percent."),
        field(Kind.PERCENT, "versus_value", "The other group's estimate in percent."),
        field(Kind.PERCENT, "gap", "Group minus versus, in percentage points."),
        field(Kind.PERCENT, "gap_lower_95", "Lower bound of the gap's 95% interval (Newcombe 1998, method 10)."),
        field(Kind.PERCENT, "gap_upper_95", "Upper bound of the gap's 95% interval."),
        field(Kind.BOOLEAN, "is_significant_95", "True when the interval excludes zero."),
        field(Kind.TEXT, "statement", "The gap in words."),
        field(Kind.TEXT, "earlier_period", "The period two years earlier."),
        field(Kind.PERCENT, "earlier_gap", "The gap two years earlier."),
        field(Kind.PERCENT, "change", "The change in the gap, in percentage points."),
        field(Kind.PERCENT, "change_lower_95", "Lower bound of the change's 95% interval."),
        field(Kind.PERCENT, "change_upper_95", "Upper bound of the change's 95% interval."),
        field(Kind.TEXT, "change_direction", "improved, unchanged or deteriorated (significance at 95%, given the gap's polarity)."),
        field(Kind.BOOLEAN, "is_suppressed", "True when a cell the gap rests on is withheld; the figures are then blank."),
        field(Kind.TEXT, "suppression_reason", "Why."),
        DELTA_VERSIONS);
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

  private ExtractTable crimeTable(Snapshot snapshot) {
    List<ExtractTable.Field> fields = List.of(
        field(Kind.TEXT, "level", "force or ocu."),
        AREA_CODE,
        AREA_NAME,
        field(Kind.TEXT, "group_id", "The crime group (beacon.crime.groups)."),
        field(Kind.TEXT, "group_name", "The crime group's name."),
        field(Kind.INTEGER, "months", "Months of data in the year."),
        field(Kind.INTEGER, "records", "Crimes (or ASB incidents) recorded in the year (police.uk street-level data, public)."),
        field(Kind.INTEGER, "previous_records", "Records in the year before."),
        field(Kind.NUMBER, "change_pct", "Change on the year before, in percent."),
        field(Kind.INTEGER, "sanction_detections", "Crimes whose last outcome is a sanction detection."),
        field(Kind.NUMBER, "sanction_detection_rate_pct", "Sanction detections per 100 crimes."),
        field(Kind.INTEGER, "population_all_ages", "Resident population, all ages."),
        field(Kind.NUMBER, "rate_per_1000", "Records per 1,000 residents."),
        DELTA_VERSIONS);
    if (!snapshot.has(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)) {
      return new ExtractTable("crime", "Crime", fields, List.of());
    }
    Dataset<Row> c = snapshot.read(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)
        .filter(col("financial_year").equalTo(year).and(areas.rowsWithin(level(), areaCode())))
        .orderBy(when(col("level").equalTo("force"), 0).otherwise(1), col("area_code"), col("group_id"));
    List<Object[]> rows = new ArrayList<>();
    int name = fields.stream().map(ExtractTable.Field::name).toList().indexOf("area_name");
    for (Object[] r : ExtractTable.of("crime", "Crime", fields, c.withColumn("area_name", col("area_code"))
        .withColumn("delta_versions", lit(snapshot.describe(List.of(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS,
            SurveyTables.SILVER_GEOGRAPHY))))).rows()) {
      r[name] = areaName((String) r[0], (String) r[1]);
      rows.add(r);
    }
    return new ExtractTable("crime", "Crime", fields, rows);
  }
}
