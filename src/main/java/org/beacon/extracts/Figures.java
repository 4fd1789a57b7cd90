package org.beacon.extracts;

import java.time.YearMonth;
import java.util.List;
import java.util.Map;

/**
 * The report's charts as {@link FigureReader} gathered and judged them, ready to draw. A list that is null
 * means its section has nothing to show; an empty one, a section whose charts were all withheld.
 *
 * @param intervals OCU and sector interval charts, by level
 * @param funnels funnel plots of the force's OCUs (null: no funnel points for the force and year)
 * @param controlCharts control charts of the extract's area up to the year's end
 * @param monthlyCrime recorded crime and ASB by month (null: no monthly crime mart)
 * @param scatters staffing share change against outcome change, one per outcome with three OCUs or more
 */
record Figures(List<Intervals> intervals, List<Funnel> funnels, List<ControlChart> controlCharts,
    Map<String, Map<YearMonth, Double>> monthlyCrime, String changeFrom, String changeTo, List<Scatter> scatters) {

  /** One level's interval charts ("ocu", "OCUs"); each point's position is judged against the reference value. */
  record Intervals(String level, String plural, List<IntervalChart> charts) {}

  record IntervalChart(String indicatorName, boolean isPercent, List<Charts.Interval> points, double reference) {}

  record Funnel(String indicatorName, List<Charts.FunnelPoint> points, double target, double[][] limits) {}

  record ControlChart(String label, String chart, String ruleSet, List<Charts.SpcPoint> points) {}

  /** OCU points as (share change, outcome change); the force's own OCUs apart; the least-squares line through all. */
  record Scatter(String outcomeName, double[][] others, double[][] own, long n, double intercept, double slope,
      List<Model> models) {}

  /** A model's staffing term from gold.investment_outcomes: pearson, ols_first_difference or panel_fixed_effects. */
  record Model(String specification, Double estimate, Double lower95, Double upper95) {}
}
