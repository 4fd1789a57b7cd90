package org.beacon.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.beacon.survey.SurveySource;

/**
 * The verification suite of each silver and gold table that has one (silver.police_uk__crimes has none: its
 * conform step makes record_key unique and the load reconciles; a gate would cache and scan its millions of
 * rows twice more): the natural key (every row's key
 * complete and unique), further columns that must be complete, and row rules (SQL conditions every row
 * satisfies) that the CHECK constraints of {@link Checks} do not already enforce. {@link QualityGate} runs
 * them with Deequ, with the row-count change, before a table is written.
 */
public final class QualitySuites {
  /** A named SQL condition that every row must satisfy. */
  public record Rule(String name, String condition) {}

  /** What a table's rows must satisfy; a key column is complete unless it is one of nullableKey. */
  public record Suite(List<String> key, List<String> nullableKey, List<String> complete, List<Rule> rules) {
    Suite(List<String> key, List<String> complete, List<Rule> rules) {
      this(key, List.of(), complete, rules);
    }

    public List<String> completeColumns() {
      return Stream.concat(key.stream().filter(k -> !nullableKey.contains(k)), complete.stream()).distinct().toList();
    }
  }

  private static final Map<TableName, Suite> GOLD = Map.ofEntries(
      Map.entry(TableName.GOLD_SURVEY_ESTIMATES, new Suite(
          List.of("indicator_id", "source", "level", "area_code", "period_type", "period", "subgroup_type", "subgroup"),
          List.of("n", "method", "is_suppressed"),
          List.of(new Rule("deff_positive", "deff IS NULL OR deff > 0"),
              new Rule("published_weighted_n_positive", "is_suppressed OR weighted_n > 0")))),
      Map.entry(TableName.GOLD_SMALL_AREA_ESTIMATES, new Suite(
          List.of("indicator_id", "level", "area_code", "period"), List.of("ocu_code", "method"),
          List.of(new Rule("shrinkage_weight_in_0_1", "shrinkage_weight IS NULL OR (shrinkage_weight >= 0 AND shrinkage_weight <= 1)"),
              new Rule("eblup_se_not_negative", "eblup_se IS NULL OR eblup_se >= 0")))),
      Map.entry(TableName.GOLD_INDICATOR_COMPARISONS, new Suite(
          List.of("indicator_id", "source", "level", "area_code", "period", "comparison", "comparator", "comparator_period"),
          List.of("statement", "method"), List.of())),
      // A grade is of an indicator (inspection_area may be null) or of an inspection area (indicator_id null).
      Map.entry(TableName.GOLD_INDICATOR_GRADES, new Suite(
          List.of("force_code", "kind", "grade_level", "indicator_id", "inspection_area", "period"), List.of("indicator_id", "inspection_area"),
          List.of("grade", "reason", "rule_version"), List.of(new Rule("indicator_or_area", "indicator_id IS NOT NULL OR inspection_area IS NOT NULL")))),
      Map.entry(TableName.GOLD_INDICATOR_GAPS, new Suite(
          List.of("gap_id", "indicator_id", "level", "area_code", "period_type", "period", "subgroup_type", "group_name", "versus_name"),
          List.of(), List.of())),
      Map.entry(TableName.GOLD_SCORECARD, new Suite(
          List.of("indicator_id", "level", "area_code", "quarter", "financial_year"), List.of("status"), List.of())),
      Map.entry(TableName.GOLD_CRIME_MONTHLY, new Suite(
          List.of("level", "area_code", "month", "crime_type"), List.of("force_code", "financial_year", "records"),
          List.of(new Rule("records_positive", "records > 0"),
              new Rule("detections_within_records", "sanction_detections IS NULL OR sanction_detections <= records")))),
      Map.entry(TableName.GOLD_CRIME_FINANCIAL_YEARS, new Suite(
          List.of("level", "area_code", "financial_year", "group_id"), List.of("force_code", "records"),
          List.of(new Rule("records_not_negative", "records >= 0")))),
      Map.entry(TableName.GOLD_SPC_POINTS, new Suite(
          List.of("series", "level", "area_code", "chart", "period"), List.of("value", "centre_line"), List.of())),
      Map.entry(TableName.GOLD_FUNNEL_POINTS, new Suite(
          List.of("indicator_id", "period", "level", "funnel_group", "area_code"), List.of("denominator"),
          List.of(new Rule("events_within_denominator", "events >= 0 AND events <= denominator + 1e-9")))),
      Map.entry(TableName.GOLD_WEIGHTING_EFFICIENCY, new Suite(
          List.of("source", "ocu_code", "financial_year"), List.of("n"),
          List.of(new Rule("efficiency_in_0_1", "efficiency > 0 AND efficiency <= 1 + 1e-9")))));

  private QualitySuites() {}

  /** The table's suite, if it has one. */
  public static Optional<Suite> of(Settings settings, TableName table) {
    if (GOLD.containsKey(table)) {
      return Optional.of(GOLD.get(table));
    }
    for (SurveySource source : settings.sources()) {
      if (table.equals(TableName.silver(source.id()))) {
        return Optional.of(new Suite(source.silverKey(),
            List.of(source.dateColumn(), "financial_year", "quarter", "force_code", "ocu_code"), List.of()));
      }
    }
    return Optional.empty();
  }
}
