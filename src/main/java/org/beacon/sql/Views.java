package org.beacon.sql;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/**
 * Views for the questions analysts ask first, created (or replaced) in the gold schema whenever the
 * marts are built or served, over the tables that exist by then.
 */
public final class Views {
  /** A view: its name, the tables it reads, its comment and its query. */
  record View(String name, List<TableName> reads, String comment, String query) {}

  static final List<View> VIEWS = List.of(
      new View("gold.latest_grades", List.of(TableName.GOLD_INDICATOR_GRADES),
          "Each force's grades (indicators, gaps and inspection areas) in its latest graded year, with reasons.",
          "SELECT g.* FROM gold.indicator_grades g JOIN (SELECT force_code, max(period) AS period "
              + "FROM gold.indicator_grades GROUP BY force_code) latest USING (force_code, period)"),
      new View("gold.sector_confidence_latest", List.of(TableName.GOLD_SURVEY_ESTIMATES),
          "Feeling the Difference confidence (% who agree the local police do a good job) per sector in the latest "
              + "financial year, in percent with 95% intervals; blank where suppressed.",
          "SELECT area_code AS sector_code, area_name AS sector_name, period AS financial_year, n, "
              + "round(100 * estimate, 1) AS confidence_pct, round(100 * lower_95, 1) AS lower_95_pct, "
              + "round(100 * upper_95, 1) AS upper_95_pct, is_suppressed FROM gold.survey_estimates "
              + "WHERE indicator_id = 'ftd_confidence' AND level = 'sector' AND period_type = 'financial_year' "
              + "AND subgroup_type = 'all' AND period = (SELECT max(period) FROM gold.survey_estimates "
              + "WHERE indicator_id = 'ftd_confidence' AND level = 'sector' AND period_type = 'financial_year')"),
      new View("gold.latest_spc_signals", List.of(TableName.GOLD_SPC_POINTS),
          "Control charts whose latest point signals special-cause variation, with the rules broken.",
          "SELECT series, level, area_code, chart, period, value, centre_line, lower_limit, upper_limit, rules_broken, "
              + "rule_set FROM (SELECT *, max(point_index) OVER (PARTITION BY series, level, area_code, chart) AS last_index "
              + "FROM gold.spc_points) WHERE point_index = last_index AND is_signal"));

  private Views() {}

  /** Creates or replaces every view whose tables exist. */
  public static void register(SparkSession spark, Settings settings) {
    for (View v : VIEWS) {
      if (v.reads().stream().allMatch(t -> Tables.exists(settings, t))) {
        spark.sql("CREATE OR REPLACE VIEW " + v.name() + " COMMENT '" + v.comment().replace("'", "\\'") + "' AS " + v.query());
      }
    }
  }
}
