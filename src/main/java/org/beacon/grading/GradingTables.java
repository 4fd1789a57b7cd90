package org.beacon.grading;

import java.util.List;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.TableSpec;
import org.beacon.runtime.TableSpec.Check;
import org.beacon.runtime.TableSpec.Rule;
import org.beacon.runtime.TableSpec.Suite;

/** The comparison, grade, gap, scorecard and funnel marts: their quality suites and CHECK constraints. */
public final class GradingTables implements TableSpec.Declarations {
  public static final TableName GOLD_INDICATOR_COMPARISONS = new TableName("gold", "indicator_comparisons");
  public static final TableName GOLD_INDICATOR_GAPS = new TableName("gold", "indicator_gaps");
  public static final TableName GOLD_INDICATOR_GRADES = new TableName("gold", "indicator_grades");
  public static final TableName GOLD_SCORECARD = new TableName("gold", "scorecard");
  public static final TableName GOLD_FUNNEL_POINTS = new TableName("gold", "funnel_points");
  public static final TableName GOLD_FUNNEL_LIMITS = new TableName("gold", "funnel_limits");
  public static final TableName SILVER_MODERATED_JUDGEMENTS = new TableName("silver", "reference__moderated_judgements");
  public static final TableName GOLD_AREA_JUDGEMENTS = new TableName("gold", "area_judgements");

  static final TableSpec COMPARISONS = TableSpec.of(GradingTables.GOLD_INDICATOR_COMPARISONS)
      .gated(new Suite(List.of("indicator_id", "source", "level", "area_code", "period", "comparison", "comparator", "comparator_period"),
          List.of("statement", "method"), List.of()))
      .constrained(new Check("p_value_is_probability", "p_value IS NULL OR (p_value >= 0 AND p_value <= 1)"),
          new Check("difference_interval_ordered", "difference_lower_95 IS NULL OR (difference_lower_95 <= difference_upper_95 "
              + "AND difference_lower_998 <= difference_lower_95 AND difference_upper_95 <= difference_upper_998)"));

  // A grade is of an indicator (inspection_area may be null) or of an inspection area (indicator_id null).
  static final TableSpec GRADES = TableSpec.of(GradingTables.GOLD_INDICATOR_GRADES)
      .gated(new Suite(List.of("force_code", "kind", "grade_level", "indicator_id", "inspection_area", "period"),
          List.of("indicator_id", "inspection_area"), List.of("grade", "reason", "rule_version"),
          List.of(new Rule("indicator_or_area", "indicator_id IS NOT NULL OR inspection_area IS NOT NULL"))))
      .constrained(new Check("grade_is_known", "grade IN ('exceeding', 'meeting', 'failing')"));

  static final TableSpec GAPS = TableSpec.of(GradingTables.GOLD_INDICATOR_GAPS)
      .gated(new Suite(List.of("gap_id", "indicator_id", "level", "area_code", "period_type", "period", "subgroup_type", "group_name",
          "versus_name"), List.of(), List.of()));

  static final TableSpec SCORECARD = TableSpec.of(GradingTables.GOLD_SCORECARD)
      .gated(new Suite(List.of("indicator_id", "level", "area_code", "quarter", "financial_year"), List.of("status"), List.of()))
      .constrained(new Check("value_is_percent", "value_pct IS NULL OR (value_pct >= 0 AND value_pct <= 100)"));

  static final TableSpec FUNNEL_POINTS = TableSpec.of(GradingTables.GOLD_FUNNEL_POINTS)
      .gated(new Suite(List.of("indicator_id", "period", "level", "funnel_group", "area_code"), List.of("denominator"),
          List.of(new Rule("events_within_denominator", "events >= 0 AND events <= denominator + 1e-9"))));

  static final TableSpec MODERATED_JUDGEMENTS = TableSpec.of(SILVER_MODERATED_JUDGEMENTS)
      .constrained(new Check("judgement_is_a_grade", "judgement IN ('exceeding', 'meeting', 'failing')"));

  static final TableSpec AREA_JUDGEMENTS = TableSpec.of(GOLD_AREA_JUDGEMENTS)
      .gated(new Suite(List.of("force_code", "inspection_area", "period"), List.of("comparison"), List.of()))
      .constrained(new Check("grades_are_known", "(outcome_assessment IS NULL OR outcome_assessment IN ('exceeding', 'meeting', "
          + "'failing')) AND (moderated_judgement IS NULL OR moderated_judgement IN ('exceeding', 'meeting', 'failing'))"));

  @Override
  public List<TableSpec> tables(Settings settings) {
    return List.of(COMPARISONS, GRADES, GAPS, SCORECARD, FUNNEL_POINTS, MODERATED_JUDGEMENTS, AREA_JUDGEMENTS);
  }
}
