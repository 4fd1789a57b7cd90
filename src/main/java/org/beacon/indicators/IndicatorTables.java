package org.beacon.indicators;

import java.util.List;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.TableSpec;
import org.beacon.runtime.TableSpec.Check;
import org.beacon.runtime.TableSpec.Rule;
import org.beacon.runtime.TableSpec.Suite;

/** The survey indicator marts: their partitioning, quality suites and CHECK constraints. */
public final class IndicatorTables implements TableSpec.Declarations {
  public static final TableName GOLD_WEIGHTING_EFFICIENCY = new TableName("gold", "weighting_efficiency");
  public static final TableName GOLD_SMALL_AREA_ESTIMATES = new TableName("gold", "small_area_estimates");
  public static final TableName GOLD_PANEL_CHANGES = new TableName("gold", "panel_changes");
  public static final TableName GOLD_PANEL_VS_SAMPLE = new TableName("gold", "panel_vs_sample");
  public static final TableName GOLD_SURVEY_ESTIMATES = new TableName("gold", "survey_estimates");

  // A scheduled run replaces a financial year at a time: split by year, it drops that year's files instead of rewriting
  // every file holding one of its rows. Suppressed cells carry no figures.
  static final TableSpec SURVEY_ESTIMATES = TableSpec.of(IndicatorTables.GOLD_SURVEY_ESTIMATES).partitionedBy("financial_year")
      .gated(new Suite(List.of("indicator_id", "source", "level", "area_code", "period_type", "period", "subgroup_type", "subgroup"),
          List.of("n", "method", "is_suppressed"),
          List.of(new Rule("deff_positive", "deff IS NULL OR deff > 0"),
              new Rule("published_weighted_n_positive", "is_suppressed OR weighted_n > 0"))))
      .constrained(new Check("n_not_negative", "n >= 0"),
          new Check("published_has_figures", "is_suppressed OR (estimate IS NOT NULL AND lower_95 IS NOT NULL AND upper_95 IS NOT NULL)"),
          new Check("suppressed_has_none", "NOT is_suppressed OR estimate IS NULL"),
          new Check("estimate_not_negative", "estimate IS NULL OR estimate >= 0"),
          new Check("n_eff_at_most_n", "n_eff IS NULL OR n_eff <= n + 1e-9"),
          new Check("intervals_nest", "estimate IS NULL OR (lower_998 <= lower_95 AND lower_95 <= estimate + 1e-9 "
              + "AND estimate <= upper_95 + 1e-9 AND upper_95 <= upper_998)"));

  static final TableSpec SMALL_AREA_ESTIMATES = TableSpec.of(IndicatorTables.GOLD_SMALL_AREA_ESTIMATES)
      .gated(new Suite(List.of("indicator_id", "level", "area_code", "period"), List.of("ocu_code", "method"),
          List.of(new Rule("shrinkage_weight_in_0_1", "shrinkage_weight IS NULL OR (shrinkage_weight >= 0 AND shrinkage_weight <= 1)"),
              new Rule("eblup_se_not_negative", "eblup_se IS NULL OR eblup_se >= 0"))));

  static final TableSpec WEIGHTING_EFFICIENCY = TableSpec.of(IndicatorTables.GOLD_WEIGHTING_EFFICIENCY)
      .gated(new Suite(List.of("source", "ocu_code", "financial_year"), List.of("n"),
          List.of(new Rule("efficiency_in_0_1", "efficiency > 0 AND efficiency <= 1 + 1e-9"))));

  @Override
  public List<TableSpec> tables(Settings settings) {
    return List.of(SURVEY_ESTIMATES, SMALL_AREA_ESTIMATES, WEIGHTING_EFFICIENCY);
  }
}
