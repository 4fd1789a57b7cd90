package org.beacon.extracts;

import static org.beacon.extracts.ExtractTable.Kind.BOOLEAN;
import static org.beacon.extracts.ExtractTable.Kind.INTEGER;
import static org.beacon.extracts.ExtractTable.Kind.MEASURE;
import static org.beacon.extracts.ExtractTable.Kind.NUMBER;
import static org.beacon.extracts.ExtractTable.Kind.PERCENT;
import static org.beacon.extracts.ExtractTable.Kind.TEXT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.crime.CrimeTables;
import org.beacon.extracts.ExtractTable.Field;
import org.beacon.extracts.ExtractTable.Kind;
import org.beacon.grading.GradingTables;
import org.beacon.indicators.IndicatorTables;
import org.beacon.runtime.DataDictionary;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;

/**
 * The fields of each extract table in their published order, with the kind that fixes how a writer formats
 * them. What a field holds is said once, in the data dictionary ({@link DataDictionary#extractField}).
 */
final class ExtractFields {
  /** The comparisons published beside each estimate, in column order, with what each compares against. */
  static final Map<String, String> COMPARISONS = new LinkedHashMap<>();

  static {
    COMPARISONS.put("msf_average", "the average of the most similar forces in the same year");
    COMPARISONS.put("one_year_earlier", "the same area one year earlier");
    COMPARISONS.put("two_years_earlier", "the same area two years earlier (the grading comparison)");
    COMPARISONS.put("force", "the OCU's own force in the same year (OCU rows)");
  }

  private final Settings settings;

  ExtractFields(Settings settings) {
    this.settings = settings;
  }

  List<Field> indicators() {
    List<Field> f = fields("indicators", IndicatorTables.GOLD_SURVEY_ESTIMATES, TEXT, "force_code", "force_name",
        "inspection_area", "indicator_id", "indicator_name", "polarity", "unit", "level", "area_code", "area_name",
        "parent_area_code", "period_type", "period", "subgroup_type", "subgroup");
    f.addAll(fields("indicators", IndicatorTables.GOLD_SURVEY_ESTIMATES, INTEGER, "n"));
    f.addAll(fields("indicators", IndicatorTables.GOLD_SURVEY_ESTIMATES, NUMBER, "n_eff"));
    f.addAll(fields("indicators", IndicatorTables.GOLD_SURVEY_ESTIMATES, MEASURE, "value", "lower_95", "upper_95",
        "lower_998", "upper_998"));
    f.addAll(fields("indicators", IndicatorTables.GOLD_SURVEY_ESTIMATES, TEXT, "method"));
    f.addAll(fields("indicators", IndicatorTables.GOLD_SURVEY_ESTIMATES, BOOLEAN, "is_suppressed"));
    f.addAll(fields("indicators", IndicatorTables.GOLD_SURVEY_ESTIMATES, TEXT, "suppression_reason"));
    Kind[] kinds = {TEXT, MEASURE, MEASURE, MEASURE, MEASURE, NUMBER, BOOLEAN, TEXT};
    String[] suffixes = {"comparator", "value", "difference", "difference_lower_95", "difference_upper_95", "p_value",
        "is_significant_95", "statement"};
    COMPARISONS.forEach((comparison, what) -> {
      for (int i = 0; i < suffixes.length; i++) {
        String template = DataDictionary.extractField(settings, "indicators", GradingTables.GOLD_INDICATOR_COMPARISONS,
            "vs_*_" + suffixes[i]);
        f.add(new Field("vs_" + comparison + "_" + suffixes[i], kinds[i], template.replace("{comparator}", what)));
      }
    });
    f.addAll(fields("indicators", GradingTables.GOLD_INDICATOR_GRADES, TEXT, "grade"));
    f.addAll(fields("indicators", GradingTables.GOLD_INDICATOR_GRADES, INTEGER, "grade_rule"));
    f.addAll(fields("indicators", GradingTables.GOLD_INDICATOR_GRADES, TEXT, "grade_reason", "rule_version",
        "delta_versions"));
    return f;
  }

  List<Field> grades() {
    List<Field> f = fields("grades", GradingTables.GOLD_INDICATOR_GRADES, TEXT, "grade_level", "inspection_area",
        "indicator_id", "kind", "vs_msf", "change", "movement", "grade");
    f.addAll(fields("grades", GradingTables.GOLD_INDICATOR_GRADES, INTEGER, "rule_number"));
    f.addAll(fields("grades", GradingTables.GOLD_INDICATOR_GRADES, TEXT, "reason", "rule_version", "delta_versions"));
    return f;
  }

  List<Field> judgements() {
    return fields("judgements", GradingTables.GOLD_AREA_JUDGEMENTS, TEXT, "inspection_area", "outcome_assessment",
        "moderated_judgement", "comparison", "judgement_rationale", "judgement_recorded_by", "judgement_recorded_on",
        "delta_versions");
  }

  List<Field> scorecard() {
    List<Field> f = fields("scorecard", GradingTables.GOLD_SCORECARD, TEXT, "indicator_id", "indicator_name", "level",
        "area_code", "area_name", "quarter");
    f.addAll(fields("scorecard", GradingTables.GOLD_SCORECARD, INTEGER, "n"));
    f.addAll(fields("scorecard", GradingTables.GOLD_SCORECARD, PERCENT, "value_pct", "lower_95", "upper_95",
        "target_pct", "difference_from_target_pp"));
    f.addAll(fields("scorecard", GradingTables.GOLD_SCORECARD, TEXT, "status", "suppression_reason", "delta_versions"));
    return f;
  }

  List<Field> gaps() {
    List<Field> f = fields("gaps", GradingTables.GOLD_INDICATOR_GAPS, TEXT, "gap_id", "gap_name", "level", "area_code",
        "area_name", "period_type", "period", "group_name", "versus_name");
    f.addAll(fields("gaps", GradingTables.GOLD_INDICATOR_GAPS, PERCENT, "group_value", "versus_value", "gap",
        "gap_lower_95", "gap_upper_95"));
    f.addAll(fields("gaps", GradingTables.GOLD_INDICATOR_GAPS, BOOLEAN, "is_significant_95"));
    f.addAll(fields("gaps", GradingTables.GOLD_INDICATOR_GAPS, TEXT, "statement", "earlier_period"));
    f.addAll(fields("gaps", GradingTables.GOLD_INDICATOR_GAPS, PERCENT, "earlier_gap", "change", "change_lower_95",
        "change_upper_95"));
    f.addAll(fields("gaps", GradingTables.GOLD_INDICATOR_GAPS, TEXT, "change_direction"));
    f.addAll(fields("gaps", GradingTables.GOLD_INDICATOR_GAPS, BOOLEAN, "is_suppressed"));
    f.addAll(fields("gaps", GradingTables.GOLD_INDICATOR_GAPS, TEXT, "suppression_reason", "delta_versions"));
    return f;
  }

  List<Field> crime() {
    List<Field> f = fields("crime", CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, TEXT, "level", "area_code", "area_name",
        "group_id", "group_name");
    f.addAll(fields("crime", CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, INTEGER, "months", "records", "previous_records"));
    f.addAll(fields("crime", CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, NUMBER, "change_pct"));
    f.addAll(fields("crime", CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, INTEGER, "sanction_detections"));
    f.addAll(fields("crime", CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, NUMBER, "sanction_detection_rate_pct"));
    f.addAll(fields("crime", CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, INTEGER, "population_all_ages"));
    f.addAll(fields("crime", CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, NUMBER, "rate_per_1000"));
    f.addAll(fields("crime", CrimeTables.GOLD_CRIME_FINANCIAL_YEARS, TEXT, "delta_versions"));
    return f;
  }

  private List<Field> fields(String extract, TableName source, Kind kind, String... names) {
    List<Field> out = new ArrayList<>();
    for (String name : names) {
      out.add(new Field(name, kind, DataDictionary.extractField(settings, extract, source, name)));
    }
    return out;
  }
}
