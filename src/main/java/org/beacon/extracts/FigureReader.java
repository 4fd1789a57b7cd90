package org.beacon.extracts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.apache.spark.sql.Row;
import org.beacon.crime.CrimeTables;
import org.beacon.grading.GradingTables;
import org.beacon.linkage.InvestmentModels;
import org.beacon.linkage.InvestmentObservations;
import org.beacon.linkage.InvestmentOutcomesJob;
import org.beacon.linkage.InvestmentSettings;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Settings;
import org.beacon.spc.SpcTables;
import org.beacon.survey.SurveyTables;
import org.beacon.workforce.WorkforceTables;

/**
 * Gathers the report's charts for a {@link Pack}: reads the funnel, control-chart, monthly-crime and investment
 * marts at the snapshot's versions, withholds what disclosure control withholds, and makes every judgement a
 * chart shows (a sector's interval against its force, the scatter's least-squares line), so the writer only draws.
 */
final class FigureReader {
  private final Snapshot snapshot;
  private final Settings settings;
  private final Pack pack;
  private final Published published;
  private final Areas areas;

  private FigureReader(Snapshot snapshot, Settings settings, Pack pack, Published published, Areas areas) {
    this.snapshot = snapshot;
    this.settings = settings;
    this.pack = pack;
    this.published = published;
    this.areas = areas;
  }

  static Figures read(Snapshot snapshot, Settings settings, Pack pack, Published published, Areas areas) {
    FigureReader r = new FigureReader(snapshot, settings, pack, published, areas);
    List<Figures.Intervals> intervals = new ArrayList<>();
    r.intervals("ocu", "OCUs", intervals);
    r.intervals("sector", "sectors", intervals);
    InvestmentSettings investment = InvestmentSettings.of(settings);
    return new Figures(intervals, r.funnels(), r.controlCharts(), r.monthlyCrime(), investment.changeFrom(),
        investment.changeTo(), r.scatters(investment.changeFrom(), investment.changeTo()));
  }

  /**
   * The level's areas against the extract's own area, one chart per indicator with two areas or more: an OCU is
   * better or worse when the test with its share of the force allowed for says so, a sector when its 95% interval
   * lies wholly on one side of the reference value.
   */
  private void intervals(String level, String plural, List<Figures.Intervals> out) {
    ExtractTable t = pack.indicators();
    Map<String, List<Object[]>> byIndicator = new LinkedHashMap<>();
    Map<String, Object[]> reference = new LinkedHashMap<>();
    for (Object[] r : t.rows()) {
      if (!"financial_year".equals(r[t.index("period_type")]) || !"all".equals(r[t.index("subgroup_type")])
          || Boolean.TRUE.equals(r[t.index("is_suppressed")])) {
        continue;
      }
      String id = (String) r[t.index("indicator_id")];
      if (level.equals(r[t.index("level")])) {
        byIndicator.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
      } else if (pack.level().equals(r[t.index("level")])) {
        reference.put(id, r);
      }
    }
    byIndicator.values().removeIf(list -> list.size() < 2);
    if (byIndicator.isEmpty()) {
      return;
    }
    List<Figures.IntervalChart> charts = new ArrayList<>();
    for (Map.Entry<String, List<Object[]>> e : byIndicator.entrySet()) {
      Object[] ref = reference.get(e.getKey());
      if (ref == null) {
        continue;
      }
      boolean higherBetter = "higher-is-better".equals(ref[t.index("polarity")]);
      double refValue = (Double) ref[t.index("value")];
      List<Charts.Interval> points = new ArrayList<>();
      for (Object[] r : e.getValue()) {
        double v = (Double) r[t.index("value")];
        double lo = (Double) r[t.index("lower_95")];
        double hi = (Double) r[t.index("upper_95")];
        boolean significant = level.equals("ocu") ? Boolean.TRUE.equals(r[t.index("vs_force_is_significant_95")])
            : lo > refValue || hi < refValue;
        String position = !significant ? "same" : (v > refValue) == higherBetter ? "better" : "worse";
        points.add(new Charts.Interval(r[t.index("area_code")] + " " + r[t.index("area_name")], v, lo, hi, position));
      }
      charts.add(new Figures.IntervalChart((String) ref[t.index("indicator_name")], t.isPercent(ref), points, refValue));
    }
    out.add(new Figures.Intervals(level, plural, charts));
  }

  /** Null when the force has no funnel points for the year; else a funnel per indicator with two published OCUs. */
  private List<Figures.Funnel> funnels() {
    if (!snapshot.has(GradingTables.GOLD_FUNNEL_POINTS) || !snapshot.has(GradingTables.GOLD_FUNNEL_LIMITS)) {
      return null;
    }
    List<Row> points = snapshot.read(GradingTables.GOLD_FUNNEL_POINTS).filter(col("level").equalTo("ocu")
        .and(col("funnel_group").equalTo(pack.force())).and(col("period").equalTo(pack.year())))
        .orderBy("indicator_id", "area_code").collectAsList();
    if (points.isEmpty()) {
      return null;
    }
    Map<String, List<Charts.FunnelPoint>> byIndicator = new TreeMap<>();
    Map<String, Double> targets = new LinkedHashMap<>();
    for (Row r : points) {
      String id = r.getAs("indicator_id");
      if (!published.isPublished(id, "ocu", r.getAs("area_code"), "financial_year", pack.year())) {
        continue;
      }
      byIndicator.computeIfAbsent(id, k -> new ArrayList<>()).add(new Charts.FunnelPoint(r.getAs("area_code"),
          r.<Double>getAs("denominator"), r.<Double>getAs("value_pct"), String.valueOf(r.<String>getAs("significance"))));
      targets.put(id, r.getAs("target_pct"));
    }
    Map<String, List<double[]>> limits = new LinkedHashMap<>();
    for (Row r : snapshot.read(GradingTables.GOLD_FUNNEL_LIMITS).filter(col("level").equalTo("ocu")
        .and(col("funnel_group").equalTo(pack.force())).and(col("period").equalTo(pack.year())))
        .orderBy("indicator_id", "denominator").collectAsList()) {
      limits.computeIfAbsent(r.getAs("indicator_id"), k -> new ArrayList<>()).add(new double[] {r.<Double>getAs("denominator"),
          r.<Double>getAs("lower_95"), r.<Double>getAs("upper_95"), r.<Double>getAs("lower_998"), r.<Double>getAs("upper_998")});
    }
    List<Figures.Funnel> funnels = new ArrayList<>();
    for (Map.Entry<String, List<Charts.FunnelPoint>> e : byIndicator.entrySet()) {
      List<double[]> l = limits.get(e.getKey());
      if (l != null && e.getValue().size() >= 2) {
        funnels.add(new Figures.Funnel(pack.nameOf(e.getKey()), e.getValue(), targets.get(e.getKey()),
            l.toArray(new double[0][])));
      }
    }
    return funnels;
  }

  /** The area's control charts to the year's last month (or quarter); survey points only where published. */
  private List<Figures.ControlChart> controlCharts() {
    if (!snapshot.has(SpcTables.GOLD_SPC_POINTS)) {
      return List.of();
    }
    int start = FinancialYear.startYear(pack.year());
    String lastMonth = (start + 1) + "-03";
    String lastQuarter = pack.year() + " Q4";
    List<Row> rows = snapshot.read(SpcTables.GOLD_SPC_POINTS).filter(col("level").equalTo(pack.level())
        .and(col("area_code").equalTo(pack.areaCode())))
        .orderBy("series", "chart", "point_index").collectAsList();
    Map<String, List<Charts.SpcPoint>> charts = new LinkedHashMap<>();
    Map<String, Row> first = new LinkedHashMap<>();
    for (Row r : rows) {
      String period = r.getAs("period");
      String series = r.getAs("series");
      boolean quarter = period.contains("Q");
      if ((quarter ? period.compareTo(lastQuarter) : period.compareTo(lastMonth)) > 0) {
        continue;
      }
      if (series.startsWith("survey:") && !published.isPublished(series.substring(7), pack.level(), pack.areaCode(),
          "quarter", period)) {
        continue;
      }
      String key = series + "|" + r.getAs("chart");
      first.putIfAbsent(key, r);
      charts.computeIfAbsent(key, k -> new ArrayList<>()).add(new Charts.SpcPoint(period, r.<Double>getAs("value"),
          nan(r.getAs("centre_line")), nan(r.getAs("lower_limit")), nan(r.getAs("upper_limit")), r.<Boolean>getAs("is_signal")));
    }
    List<Figures.ControlChart> out = new ArrayList<>();
    charts.forEach((key, points) -> {
      Row r = first.get(key);
      String series = r.getAs("series");
      String label = series.startsWith("survey:") ? pack.nameOf(series.substring(7))
          : series.startsWith("crime:") ? "Recorded crime (" + series.substring(6).replace('_', ' ') + ")" : "Anti-social behaviour";
      out.add(new Figures.ControlChart(label, r.getAs("chart"), r.getAs("rule_set"), points));
    });
    return out;
  }

  /** Recorded crime and ASB by month to the year's end, or null without the monthly mart or crime rows. */
  private Map<String, Map<YearMonth, Double>> monthlyCrime() {
    if (pack.crime().rows().isEmpty() || !snapshot.has(CrimeTables.GOLD_CRIME_MONTHLY)) {
      return null;
    }
    int start = FinancialYear.startYear(pack.year());
    Map<String, Map<YearMonth, Double>> series = new LinkedHashMap<>();
    series.put("Recorded crime (excluding ASB)", new TreeMap<>());
    series.put("Anti-social behaviour", new TreeMap<>());
    for (Row r : snapshot.read(CrimeTables.GOLD_CRIME_MONTHLY).filter(col("level").equalTo(pack.level())
        .and(col("area_code").equalTo(pack.areaCode())).and(col("month").leq((start + 1) + "-03")))
        .groupBy("month", "is_asb").agg(sum("records").as("records")).collectAsList()) {
      series.get(r.<Boolean>getAs("is_asb") ? "Anti-social behaviour" : "Recorded crime (excluding ASB)")
          .put(YearMonth.parse(r.getAs("month")), ((Number) r.getAs("records")).doubleValue());
    }
    return series;
  }

  /** Each scatter outcome's OCU changes between the two years, where both years' cells are published. */
  private List<Figures.Scatter> scatters(String from, String to) {
    List<Figures.Scatter> out = new ArrayList<>();
    if (!snapshot.has(InvestmentOutcomesJob.GOLD_INVESTMENT_OUTCOMES) || !snapshot.has(WorkforceTables.SILVER_WORKFORCE)
        || !snapshot.has(SurveyTables.SILVER_POPULATION)) {
      return out;
    }
    for (String outcome : ExtractSettings.of(settings).scatterOutcomes()) {
      List<InvestmentModels.Observation> obs = InvestmentObservations.read(snapshot::has, snapshot::read, settings, outcome);
      if (obs == null) {
        continue;
      }
      List<double[]> own = new ArrayList<>();
      List<double[]> others = new ArrayList<>();
      SimpleRegression line = new SimpleRegression();
      for (InvestmentModels.Change c : InvestmentModels.changes(obs, from, to)) {
        if (!outcome.startsWith("crime:") && !(published.isPublished(outcome, "ocu", c.ocu(), "financial_year", from)
            && published.isPublished(outcome, "ocu", c.ocu(), "financial_year", to))) {
          continue;
        }
        Areas.Area a = areas.get("ocu", c.ocu());
        (a != null && a.forceCode().equals(pack.force()) ? own : others).add(new double[] {c.shareChange(), c.outcomeChange()});
        line.addData(c.shareChange(), c.outcomeChange());
      }
      if (line.getN() < 3) {
        continue;
      }
      String name = outcome.startsWith("crime:") ? "Recorded crime per 1,000 (" + outcome.substring(6).replace('_', ' ') + ")"
          : pack.nameOf(outcome);
      out.add(new Figures.Scatter(name, others.toArray(new double[0][]), own.toArray(new double[0][]), line.getN(),
          line.getIntercept(), line.getSlope(), models(outcome)));
    }
    return out;
  }

  private List<Figures.Model> models(String outcome) {
    List<Figures.Model> out = new ArrayList<>();
    for (Row r : snapshot.read(InvestmentOutcomesJob.GOLD_INVESTMENT_OUTCOMES).filter(col("outcome").equalTo(outcome)
        .and(col("specification").isin("pearson", "ols_first_difference", "panel_fixed_effects"))
        .and(col("term").isin("share_change_pp", "share_pp"))).orderBy("specification").collectAsList()) {
      out.add(new Figures.Model(r.getAs("specification"), r.getAs("estimate"), r.getAs("lower_95"), r.getAs("upper_95")));
    }
    return out;
  }

  private static double nan(Double v) {
    return v == null ? Double.NaN : v;
  }
}
