package org.beacon.sql;

import org.beacon.spc.SpcTables;

import org.beacon.indicators.IndicatorTables;

import org.beacon.grading.GradingTables;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.beacon.runtime.DataDictionary;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/**
 * Views for the questions analysts ask first, created (or replaced) in the gold schema whenever the
 * marts are built or served, over the tables that exist by then.
 */
public final class Views {
  /** A view: its name (its comments are in the data dictionary), the tables it reads and its query. */
  record View(TableName name, List<TableName> reads, String query) {}

  static final List<View> VIEWS = List.of(
      new View(new TableName("gold", "latest_grades"), List.of(GradingTables.GOLD_INDICATOR_GRADES),
          "SELECT g.* FROM gold.indicator_grades g JOIN (SELECT force_code, max(period) AS period "
              + "FROM gold.indicator_grades GROUP BY force_code) latest USING (force_code, period)"),
      new View(new TableName("gold", "latest_area_judgements"), List.of(GradingTables.GOLD_AREA_JUDGEMENTS),
          "SELECT j.* FROM gold.area_judgements j JOIN (SELECT force_code, max(period) AS period "
              + "FROM gold.area_judgements GROUP BY force_code) latest USING (force_code, period)"),
      new View(new TableName("gold", "sector_confidence_latest"), List.of(IndicatorTables.GOLD_SURVEY_ESTIMATES),
          "SELECT area_code AS sector_code, area_name AS sector_name, period AS financial_year, n, "
              + "round(100 * estimate, 1) AS confidence_pct, round(100 * lower_95, 1) AS lower_95_pct, "
              + "round(100 * upper_95, 1) AS upper_95_pct, is_suppressed FROM gold.survey_estimates "
              + "WHERE indicator_id = 'ftd_confidence' AND level = 'sector' AND period_type = 'financial_year' "
              + "AND subgroup_type = 'all' AND period = (SELECT max(period) FROM gold.survey_estimates "
              + "WHERE indicator_id = 'ftd_confidence' AND level = 'sector' AND period_type = 'financial_year')"),
      new View(new TableName("gold", "latest_spc_signals"), List.of(SpcTables.GOLD_SPC_POINTS),
          "SELECT series, level, area_code, chart, period, value, centre_line, lower_limit, upper_limit, rules_broken, "
              + "rule_set FROM (SELECT *, max(point_index) OVER (PARTITION BY series, level, area_code, chart) AS last_index "
              + "FROM gold.spc_points) WHERE point_index = last_index AND is_signal"));

  private Views() {}

  /**
   * Creates or replaces every view whose tables exist, with the comments of the data dictionary; a column
   * the view's entry does not name keeps the comment of the table column it passes through.
   */
  public static void register(SparkSession spark, Settings settings) {
    register(spark, settings, false);
  }

  /**
   * Creates the views the catalog lacks: all of them in a private catalog, none where a build has made them
   * (the build's last step replaces every view, so they follow the marts' columns).
   */
  public static void registerMissing(SparkSession spark, Settings settings) {
    register(spark, settings, true);
  }

  private static void register(SparkSession spark, Settings settings, boolean onlyMissing) {
    for (View v : VIEWS) {
      if (onlyMissing && spark.catalog().tableExists(v.name().qualified())) {
        continue;
      }
      if (v.reads().stream().allMatch(t -> Tables.exists(settings, t))) {
        List<String> columns = new ArrayList<>();
        for (StructField f : spark.sql(v.query()).schema().fields()) {
          String comment = DataDictionary.column(settings, v.name(), f.name(), f.getComment().isDefined() ? f.getComment().get() : null);
          columns.add("`" + f.name() + "`" + (comment == null ? "" : " COMMENT " + Tables.literal(comment)));
        }
        spark.sql("CREATE OR REPLACE VIEW " + v.name() + " (" + String.join(", ", columns) + ") COMMENT "
            + Tables.literal(DataDictionary.table(v.name())) + " AS " + v.query());
      }
    }
  }
}
