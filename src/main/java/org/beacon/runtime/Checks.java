package org.beacon.runtime;

import java.util.List;
import java.util.Map;

/**
 * The CHECK constraints of the marts, as Delta enforces them: a write whose rows break one fails as a
 * whole and the table keeps its previous version, so a wrong interval or grade is never published.
 * Each expression is true for every valid row (suppressed cells carry no figures).
 */
public final class Checks {
  /** A named constraint and the SQL expression every row must satisfy. */
  public record Check(String name, String expression) {}

  static final Map<TableName, List<Check>> TABLES = Map.of(
      TableName.GOLD_SURVEY_ESTIMATES, List.of(
          new Check("n_not_negative", "n >= 0"),
          new Check("published_has_figures", "is_suppressed OR (estimate IS NOT NULL AND lower_95 IS NOT NULL AND upper_95 IS NOT NULL)"),
          new Check("suppressed_has_none", "NOT is_suppressed OR estimate IS NULL"),
          new Check("estimate_not_negative", "estimate IS NULL OR estimate >= 0"),
          new Check("n_eff_at_most_n", "n_eff IS NULL OR n_eff <= n + 1e-9"),
          new Check("intervals_nest", "estimate IS NULL OR (lower_998 <= lower_95 AND lower_95 <= estimate + 1e-9 "
              + "AND estimate <= upper_95 + 1e-9 AND upper_95 <= upper_998)")),
      TableName.GOLD_INDICATOR_COMPARISONS, List.of(
          new Check("p_value_is_probability", "p_value IS NULL OR (p_value >= 0 AND p_value <= 1)"),
          new Check("difference_interval_ordered", "difference_lower_95 IS NULL OR (difference_lower_95 <= difference_upper_95 "
              + "AND difference_lower_998 <= difference_lower_95 AND difference_upper_95 <= difference_upper_998)")),
      TableName.GOLD_INDICATOR_GRADES, List.of(
          new Check("grade_is_known", "grade IN ('exceeding', 'meeting', 'failing')")),
      TableName.GOLD_SCORECARD, List.of(
          new Check("value_is_percent", "value_pct IS NULL OR (value_pct >= 0 AND value_pct <= 100)")));

  private Checks() {}

  public static List<Check> of(TableName table) {
    return TABLES.getOrDefault(table, List.of());
  }
}
