package org.beacon.extracts;

import org.beacon.crime.CrimeTables;

import org.beacon.spc.SpcTables;

import org.beacon.workforce.WorkforceTables;

import org.beacon.grading.GradingTables;

import org.beacon.survey.SurveyTables;

import org.beacon.indicators.Indicator;

import org.beacon.linkage.InvestmentSettings;

import org.beacon.grading.GradingSettings;
import org.beacon.grading.Grades;

import static org.apache.spark.sql.functions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.apache.spark.sql.Row;
import org.beacon.linkage.InvestmentModels;
import org.beacon.linkage.InvestmentOutcomesJob;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Settings;

/**
 * The extract as one self-contained HTML page: styles inline, charts as PNG data URIs, no scripts,
 * fonts or links outside the file. Sections: grades, force indicators, OCU and sector intervals,
 * funnel plots, control charts, scorecard, gaps, crime, investment and outcomes, sources.
 */
final class ReportWriter {
  private static final String STYLE = String.join("\n",
      "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;color:#1f1f1f;margin:0;background:#f4f5f7;line-height:1.45}",
      "header{background:#1d3557;color:#fff;padding:24px 40px}header h1{margin:0 0 4px;font-size:26px}",
      "header p{margin:2px 0;opacity:.9}main{max-width:1180px;margin:0 auto;padding:8px 40px 40px}",
      "nav{background:#fff;border:1px solid #dde;padding:10px 16px;margin:16px 0;column-count:3;font-size:14px}",
      "nav a{color:#1d3557;text-decoration:none;display:block}",
      "section{background:#fff;border:1px solid #dde;border-radius:4px;padding:8px 24px 20px;margin:18px 0}",
      "h2{color:#1d3557;border-bottom:2px solid #e63946;padding-bottom:4px}h3{color:#1d3557;margin-top:26px}",
      "table{border-collapse:collapse;font-size:13px;margin:8px 0;width:100%}",
      "th{background:#e9ecf2;text-align:left;padding:5px 7px;border-bottom:2px solid #c9cfdb;vertical-align:bottom}",
      "td{padding:4px 7px;border-bottom:1px solid #eceef2;vertical-align:top}td.num{text-align:right;white-space:nowrap}",
      "tr:nth-child(even) td{background:#fafbfc}.grade{font-weight:bold;padding:2px 8px;border-radius:3px;white-space:nowrap}",
      ".exceeding{background:#d9f0d3;color:#1b5e20}.meeting{background:#fff3c4;color:#6d4c00}.failing{background:#fbd5d5;color:#8b1a1a}",
      ".better{color:#1a7a3c;font-weight:bold}.worse{color:#b42318;font-weight:bold}.muted{color:#777}",
      "tr td.achieved{background:#b7e1b0}tr td.on-track{background:#e3f4df}tr td.at-risk{background:#ffe8b3}",
      "tr td.missed{background:#f7c1c1}.suppressed{color:#999;font-style:italic}",
      "img{max-width:100%;height:auto;display:block;margin:10px 0 4px;border:1px solid #eee}",
      "figure{margin:10px 0 22px}figcaption{font-size:13px;color:#555}p.note{font-size:13px;color:#555}",
      "code{background:#f0f0f0;padding:1px 4px;font-size:12px}");

  private final Pack pack;
  private final Snapshot snapshot;
  private final Settings settings;
  private final StringBuilder html = new StringBuilder();
  private final Map<String, String> sections = new LinkedHashMap<>();
  private int charts;

  private ReportWriter(Pack pack, Snapshot snapshot, Settings settings) {
    this.pack = pack;
    this.snapshot = snapshot;
    this.settings = settings;
  }

  /** Writes the page and returns the number of charts in it. */
  static int write(Pack pack, Snapshot snapshot, Settings settings, String generatedAt, Path file) {
    ReportWriter w = new ReportWriter(pack, snapshot, settings);
    String body = w.body();
    StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(esc(pack.forceName + " " + pack.year + " inspection extract")).append("</title>")
        .append("<style>").append(STYLE).append("</style></head><body><header><h1>").append(esc(pack.forceName))
        .append(pack.ocu == null ? "" : esc(" — OCU " + pack.ocu + " " + pack.areas.get("ocu", pack.ocu).name()))
        .append("</h1><p>Inspection extract, financial year ").append(esc(pack.year)).append(" · grading rules ")
        .append(esc(pack.ruleVersion)).append("</p><p>Built by Beacon on ").append(esc(generatedAt))
        .append(" from the Delta versions listed under Sources.</p></header><main><nav>");
    w.sections.forEach((id, title) -> page.append("<a href=\"#").append(id).append("\">").append(esc(title)).append("</a>"));
    page.append("</nav>").append(body).append("</main></body></html>\n");
    try {
      Files.writeString(file, page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BeaconException("Could not write " + file + ": " + e.getMessage(), e);
    }
    return w.charts;
  }

  private String body() {
    grades();
    forceIndicators();
    intervals("ocu", "OCUs");
    intervals("sector", "sectors");
    funnels();
    controlCharts();
    scorecard();
    gaps();
    crime();
    investment();
    sources();
    return html.toString();
  }

  private void section(String id, String title) {
    if (!sections.isEmpty()) {
      html.append("</section>");
    }
    sections.put(id, title);
    html.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>");
  }

  private void figure(String dataUri, String alt, String caption) {
    charts++;
    html.append("<figure><img src=\"").append(dataUri).append("\" alt=\"").append(esc(alt)).append("\"><figcaption>")
        .append(esc(caption)).append("</figcaption></figure>");
  }

  // ---- sections --------------------------------------------------------------------------------

  private void grades() {
    section("grades", pack.ocu == null ? "Grades" : "Grades of " + pack.forceName);
    ExtractTable g = pack.grades;
    if (g.rows().isEmpty()) {
      html.append("<p class=\"note\">No grades for this force and year.</p>");
      return;
    }
    html.append("<p class=\"note\">Each indicator is compared with the average of the force's most similar forces and with ")
        .append("two years earlier; differences are tested at 95%, and the first matching rule of the rule table ")
        .append(esc(pack.ruleVersion)).append(" gives the grade (HMIC 2008, Appendix 3). Each inspection area's outcome assessment from SPI evidence ")
        .append("comes first, then the indicators graded in it; indicators outside the areas follow. The outcome assessment is the ")
        .append("starting point of an area's judgement, not the judgement: HMIC moderates it with the inspection's evidence.</p>");
    html.append("<table><tr><th>Indicator</th><th>Against MSF</th><th>Against two years earlier</th>")
        .append("<th>Grade</th><th>Rule</th><th>Reason</th></tr>");
    Map<String, List<Object[]>> byArea = new LinkedHashMap<>();
    GradingSettings.of(settings).areas().forEach(a -> byArea.put(a.id(), new ArrayList<>()));
    byArea.put("", new ArrayList<>());
    for (Object[] r : g.rows()) {
      byArea.get(str(r[g.index("inspection_area")])).add(r);
    }
    byArea.values().forEach(rows -> rows.sort((a, b) -> Boolean.compare(!Grades.OUTCOME_ASSESSMENT.equals(a[g.index("grade_level")]),
        !Grades.OUTCOME_ASSESSMENT.equals(b[g.index("grade_level")]))));
    byArea.forEach((area, rows) -> {
      if (rows.isEmpty()) {
        return;
      }
      String areaName = GradingSettings.of(settings).areas().stream().filter(a -> a.id().equals(area)).map(a -> a.name()).findFirst()
          .orElse("Other graded indicators");
      html.append("<tr><th colspan=\"6\">").append(esc(areaName)).append("</th></tr>");
      for (Object[] r : rows) {
        boolean overall = Grades.OUTCOME_ASSESSMENT.equals(r[g.index("grade_level")]);
        Object grade = r[g.index("grade")];
        html.append(overall ? "<tr style=\"font-weight:bold\">" : "<tr>")
            .append(td(overall ? areaName + ": outcome assessment from SPI evidence" : nameOf(str(r[g.index("indicator_id")]))))
            .append(td(r[g.index("vs_msf")])).append(td(r[g.index("change")])).append(gradeCell(grade))
            .append(td(r[g.index("rule_number")])).append(td(r[g.index("reason")])).append("</tr>");
      }
    });
    html.append("</table>");
    ExtractTable j = pack.judgements;
    if (!j.rows().isEmpty()) {
      html.append("<h3>Outcome assessment and moderated judgement</h3><p>HMIC takes the outcome assessment from SPI evidence as ")
          .append("the starting point and moderates it with the inspection's evidence; the judgement below is the one the ")
          .append("inspection team recorded.</p><table><tr><th>Inspection area</th><th>Outcome assessment from SPI evidence</th>")
          .append("<th>Moderated judgement</th><th>Comparison</th><th>Rationale</th><th>Recorded by, on</th></tr>");
      for (Object[] r : j.rows()) {
        String area = str(r[j.index("inspection_area")]);
        html.append("<tr>").append(td(GradingSettings.of(settings).areas().stream().filter(a -> a.id().equals(area))
                .map(GradingSettings.Area::name).findFirst().orElse(area)))
            .append(gradeCell(r[j.index("outcome_assessment")])).append(gradeCell(r[j.index("moderated_judgement")]))
            .append(td(r[j.index("comparison")])).append(td(r[j.index("judgement_rationale")]))
            .append(td(r[j.index("judgement_recorded_by")] == null ? null
                : r[j.index("judgement_recorded_by")] + ", " + r[j.index("judgement_recorded_on")])).append("</tr>");
      }
      html.append("</table>");
    }
  }

  private void forceIndicators() {
    section("indicators", (pack.ocu == null ? "Force" : "OCU") + " indicators, " + pack.year);
    ExtractTable t = pack.indicators;
    String against = pack.ocu == null ? "msf_average" : "force";
    html.append("<table><tr><th>Area</th><th>Indicator</th><th>Value</th><th>95% interval</th><th>n</th><th>Against ")
        .append(pack.ocu == null ? "MSF" : "the force").append("</th><th>Against two years earlier</th><th>Grade</th></tr>");
    for (Object[] r : t.rows()) {
      if (!pack.level().equals(r[t.index("level")]) || !"financial_year".equals(r[t.index("period_type")])
          || !"all".equals(r[t.index("subgroup_type")])) {
        continue;
      }
      boolean pct = t.isPercent(r);
      html.append("<tr>").append(td(r[t.index("inspection_area")])).append(td(r[t.index("indicator_name")]));
      if (suppressedRest(t, r, 6)) {
        continue;
      }
      html.append(num(measure(r[t.index("value")], pct))).append(num(interval(r[t.index("lower_95")], r[t.index("upper_95")], pct)))
          .append(num(r[t.index("n")])).append(statement(r[t.index("vs_" + against + "_statement")]))
          .append(statement(r[t.index("vs_two_years_earlier_statement")]));
      html.append(gradeCell(r[t.index("grade")])).append("</tr>");
    }
    html.append("</table><p class=\"note\">Every subgroup, quarter and year to date is in indicators.csv and the workbook.</p>");
  }

  private void intervals(String level, String plural) {
    ExtractTable t = pack.indicators;
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
    section("intervals-" + level, "Indicators by " + plural.replaceAll("s$", "") + ", " + pack.year);
    String against = pack.ocu == null ? "the force" : "the OCU";
    html.append("<p class=\"note\">Dots are estimates and bars their 95% intervals; the dashed line is ").append(against)
        .append(". ").append(level.equals("ocu") ? "Colours mark OCUs significantly better or worse than their force "
            + "(the difference tested with the OCU's share of the force allowed for)."
            : "Colours mark sectors whose 95% interval lies wholly above or below that value.")
        .append(" Suppressed areas are left out.</p>");
    for (Map.Entry<String, List<Object[]>> e : byIndicator.entrySet()) {
      Object[] ref = reference.get(e.getKey());
      if (ref == null) {
        continue;
      }
      boolean pct = t.isPercent(ref);
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
      String name = (String) ref[t.index("indicator_name")];
      String refName = pack.ocu == null ? "force" : "OCU";
      String[] legend = level.equals("ocu") ? new String[] {"significantly better than the " + refName,
          "not significantly different", "significantly worse than the " + refName}
          : new String[] {"interval better than the " + refName + " value", "interval includes it",
              "interval worse than the " + refName + " value"};
      figure(Charts.intervals(name, pct ? "percent" : "mean score", points, refValue, refName, legend),
          name + " by " + level, name + ": " + points.size() + " " + plural + ", " + pack.year + ".");
    }
  }

  private void funnels() {
    if (!snapshot.has(GradingTables.GOLD_FUNNEL_POINTS) || !snapshot.has(GradingTables.GOLD_FUNNEL_LIMITS)) {
      return;
    }
    List<Row> points = snapshot.read(GradingTables.GOLD_FUNNEL_POINTS).filter(col("level").equalTo("ocu")
        .and(col("funnel_group").equalTo(pack.force)).and(col("period").equalTo(pack.year)))
        .orderBy("indicator_id", "area_code").collectAsList();
    if (points.isEmpty()) {
      return;
    }
    section("funnels", "Funnel plots, OCUs of the force, " + pack.year);
    html.append("<p class=\"note\">Each OCU's estimate against its design-effective sample size, with the force value ")
        .append("as target and 95% and 99.8% limits (Spiegelhalter 2005). Points outside the 99.8% limits are unlikely ")
        .append("to differ by chance alone.</p>");
    Map<String, List<Charts.FunnelPoint>> byIndicator = new TreeMap<>();
    Map<String, Double> targets = new LinkedHashMap<>();
    for (Row r : points) {
      String id = r.getAs("indicator_id");
      if (!pack.published.isPublished(id, "ocu", r.getAs("area_code"), "financial_year", pack.year)) {
        continue;
      }
      byIndicator.computeIfAbsent(id, k -> new ArrayList<>()).add(new Charts.FunnelPoint(r.getAs("area_code"),
          r.<Double>getAs("denominator"), r.<Double>getAs("value_pct"), String.valueOf(r.<String>getAs("significance"))));
      targets.put(id, r.getAs("target_pct"));
    }
    Map<String, List<double[]>> limits = new LinkedHashMap<>();
    for (Row r : snapshot.read(GradingTables.GOLD_FUNNEL_LIMITS).filter(col("level").equalTo("ocu")
        .and(col("funnel_group").equalTo(pack.force)).and(col("period").equalTo(pack.year)))
        .orderBy("indicator_id", "denominator").collectAsList()) {
      limits.computeIfAbsent(r.getAs("indicator_id"), k -> new ArrayList<>()).add(new double[] {r.<Double>getAs("denominator"),
          r.<Double>getAs("lower_95"), r.<Double>getAs("upper_95"), r.<Double>getAs("lower_998"), r.<Double>getAs("upper_998")});
    }
    for (Map.Entry<String, List<Charts.FunnelPoint>> e : byIndicator.entrySet()) {
      List<double[]> l = limits.get(e.getKey());
      if (l == null || e.getValue().size() < 2) {
        continue;
      }
      String name = indicatorName(e.getKey());
      figure(Charts.funnel(name, "percent", e.getValue(), targets.get(e.getKey()), l.toArray(new double[0][])),
          "Funnel plot: " + name, name + ": " + e.getValue().size() + " OCUs, " + pack.year + ".");
    }
  }

  private void controlCharts() {
    if (!snapshot.has(SpcTables.GOLD_SPC_POINTS)) {
      return;
    }
    int start = FinancialYear.startYear(pack.year);
    String lastMonth = (start + 1) + "-03";
    String lastQuarter = pack.year + " Q4";
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
      if (series.startsWith("survey:") && !pack.published.isPublished(series.substring(7), pack.level(), pack.areaCode(),
          "quarter", period)) {
        continue;
      }
      String key = series + "|" + r.getAs("chart");
      first.putIfAbsent(key, r);
      charts.computeIfAbsent(key, k -> new ArrayList<>()).add(new Charts.SpcPoint(period, r.<Double>getAs("value"),
          nan(r.getAs("centre_line")), nan(r.getAs("lower_limit")), nan(r.getAs("upper_limit")), r.<Boolean>getAs("is_signal")));
    }
    if (charts.isEmpty()) {
      return;
    }
    section("spc", "Control charts to " + pack.year);
    html.append("<p class=\"note\">Statistical process control (Shewhart): points marked with a red square break a rule of the ")
        .append("configured rule set and signal special-cause variation; the dashed lines are the control limits.</p>");
    for (Map.Entry<String, List<Charts.SpcPoint>> e : charts.entrySet()) {
      Row r = first.get(e.getKey());
      String series = r.getAs("series");
      String label = series.startsWith("survey:") ? indicatorName(series.substring(7))
          : series.startsWith("crime:") ? "Recorded crime (" + series.substring(6).replace('_', ' ') + ")" : "Anti-social behaviour";
      String chart = r.getAs("chart");
      long signals = e.getValue().stream().filter(Charts.SpcPoint::signal).count();
      figure(Charts.controlChart(label + " — " + chart.toUpperCase(Locale.ROOT) + " chart", axisOf(chart), e.getValue()),
          label + " control chart", label + ", " + chart.toUpperCase(Locale.ROOT) + " chart, rules " + r.getAs("rule_set") + ": "
              + signals + " signal" + (signals == 1 ? "" : "s") + " in " + e.getValue().size() + " points.");
    }
  }

  private static String axisOf(String chart) {
    return switch (chart) {
      case "p", "pp" -> "proportion";
      case "c" -> "count";
      case "u" -> "rate";
      default -> "value";
    };
  }

  private void scorecard() {
    ExtractTable s = pack.scorecard;
    if (s.rows().isEmpty()) {
      return;
    }
    String quarter = s.rows().stream().map(r -> (String) r[s.index("quarter")]).max(String::compareTo).orElseThrow();
    List<String> measures = new ArrayList<>();
    Map<String, Map<String, Object[]>> byArea = new LinkedHashMap<>();
    for (Object[] r : s.rows()) {
      if (!quarter.equals(r[s.index("quarter")]) || "sector".equals(r[s.index("level")])) {
        continue;
      }
      String id = (String) r[s.index("indicator_id")];
      if (!measures.contains(id)) {
        measures.add(id);
      }
      boolean top = pack.level().equals(r[s.index("level")]);
      byArea.computeIfAbsent(r[s.index("level")] + ":" + (top ? "" : r[s.index("area_code")] + " ") + r[s.index("area_name")],
          k -> new LinkedHashMap<>()).put(id, r);
    }
    section("scorecard", "Scorecard, " + quarter);
    html.append("<p class=\"note\">Feeling the Difference measures against the force's targets: <span class=\"grade exceeding\">")
        .append("achieved</span> the 95% interval is clear of the target on the right side; on track: the estimate meets it; ")
        .append("at risk: the estimate misses it but the interval reaches it; <span class=\"grade failing\">missed</span>: the ")
        .append("interval is clear of it on the wrong side. Every quarter and sector is in the workbook.</p><table><tr><th>Area</th>");
    measures.forEach(m -> html.append("<th>").append(esc(indicatorName(m))).append("</th>"));
    html.append("</tr><tr><td class=\"muted\">target</td>");
    for (String m : measures) {
      Object[] any = byArea.values().stream().map(x -> x.get(m)).filter(java.util.Objects::nonNull).findFirst().orElseThrow();
      html.append(num(measure(any[s.index("target_pct")], true)));
    }
    html.append("</tr>");
    List<String> areaKeys = new ArrayList<>(byArea.keySet());
    areaKeys.sort((a, b) -> Boolean.compare(!a.startsWith("force:"), !b.startsWith("force:")) != 0
        ? Boolean.compare(!a.startsWith("force:"), !b.startsWith("force:")) : a.compareTo(b));
    for (String area : areaKeys) {
      html.append("<tr>").append(td(area.substring(area.indexOf(':') + 1)));
      for (String m : measures) {
        Object[] r = byArea.get(area).get(m);
        if (r == null || r[s.index("value_pct")] == null) {
          html.append("<td class=\"num suppressed\">").append(r == null ? "" : "supp.").append("</td>");
          continue;
        }
        String status = str(r[s.index("status")]);
        String css = status.replace(' ', '-');
        html.append("<td class=\"num ").append(css).append("\" title=\"").append(esc(status)).append("\">")
            .append(esc(measure(r[s.index("value_pct")], true))).append("</td>");
      }
      html.append("</tr>");
    }
    html.append("</table>");
  }

  private void gaps() {
    ExtractTable g = pack.gaps;
    if (g.rows().isEmpty()) {
      return;
    }
    section("gaps", "Gaps between groups, " + pack.year);
    html.append("<p class=\"note\">Group minus comparison group in percentage points, with the 95% interval (Newcombe's ")
        .append("method 10), and the change in the gap since two years earlier.</p><table><tr><th>Area</th>")
        .append("<th>Period</th><th>Group</th><th>Versus</th><th>Gap (pp)</th><th>95% interval</th><th>Statement</th>")
        .append("<th>Change since</th></tr>");
    String current = null;
    for (Object[] r : g.rows()) {
      if (!r[g.index("gap_id")].equals(current)) {
        current = (String) r[g.index("gap_id")];
        html.append("<tr><th colspan=\"8\">").append(esc(str(r[g.index("gap_name")]))).append(" (group: ")
            .append(esc(str(r[g.index("group_name")]))).append("; versus: ").append(esc(str(r[g.index("versus_name")])))
            .append(")</th></tr>");
      }
      html.append("<tr>").append(td(r[g.index("area_name")])).append(td(r[g.index("period")]));
      if (suppressedRest(g, r, 6)) {
        continue;
      }
      html.append(num(measure(r[g.index("group_value")], true))).append(num(measure(r[g.index("versus_value")], true)))
          .append(num(signed(r[g.index("gap")]))).append(num(interval(r[g.index("gap_lower_95")], r[g.index("gap_upper_95")], false)))
          .append(td(r[g.index("statement")]))
          .append(td(r[g.index("change_direction")] == null ? "" : r[g.index("earlier_period")] + ": " + signed(r[g.index("change")])
              + " pp, " + r[g.index("change_direction")]))
          .append("</tr>");
    }
    html.append("</table>");
  }

  private void crime() {
    ExtractTable c = pack.crime;
    if (c.rows().isEmpty()) {
      return;
    }
    section("crime", "Crime and anti-social behaviour, " + pack.year);
    if (snapshot.has(CrimeTables.GOLD_CRIME_MONTHLY)) {
      int start = FinancialYear.startYear(pack.year);
      Map<String, Map<YearMonth, Double>> series = new LinkedHashMap<>();
      series.put("Recorded crime (excluding ASB)", new TreeMap<>());
      series.put("Anti-social behaviour", new TreeMap<>());
      for (Row r : snapshot.read(CrimeTables.GOLD_CRIME_MONTHLY).filter(col("level").equalTo(pack.level())
          .and(col("area_code").equalTo(pack.areaCode())).and(col("month").leq((start + 1) + "-03")))
          .groupBy("month", "is_asb").agg(sum("records").as("records")).collectAsList()) {
        series.get(r.<Boolean>getAs("is_asb") ? "Anti-social behaviour" : "Recorded crime (excluding ASB)")
            .put(YearMonth.parse(r.getAs("month")), ((Number) r.getAs("records")).doubleValue());
      }
      figure(Charts.monthly("Recorded crime and ASB by month", "records per month", series), "Monthly crime and ASB",
          "police.uk street-level records by month up to March " + (start + 1) + ".");
    }
    html.append("<table><tr><th>Area</th><th>Group</th><th>Records</th><th>Year before</th><th>Change</th>")
        .append("<th>Per 1,000 residents</th><th>Sanction detection rate</th></tr>");
    for (Object[] r : c.rows()) {
      boolean top = pack.level().equals(r[c.index("level")]);
      if (!top && !"all_crime".equals(r[c.index("group_id")])) {
        continue;
      }
      html.append("<tr>").append(td(r[c.index("area_name")])).append(td(r[c.index("group_name")])).append(num(r[c.index("records")]))
          .append(num(r[c.index("previous_records")])).append(num(r[c.index("change_pct")] == null ? null
              : signed(r[c.index("change_pct")]) + "%")).append(num(fixed(r[c.index("rate_per_1000")], 1)))
          .append(num(r[c.index("sanction_detection_rate_pct")] == null ? null : fixed(r[c.index("sanction_detection_rate_pct")], 1)
              + "%")).append("</tr>");
    }
    html.append("</table><p class=\"note\">All groups for the force; all recorded crime for each OCU. Recorded crime is ")
        .append("published by police.uk and is not subject to survey disclosure control.</p>");
  }

  private void investment() {
    if (!snapshot.has(InvestmentOutcomesJob.GOLD_INVESTMENT_OUTCOMES) || !snapshot.has(WorkforceTables.SILVER_WORKFORCE)
        || !snapshot.has(SurveyTables.SILVER_POPULATION)) {
      return;
    }
    String from = InvestmentSettings.of(settings).changeFrom();
    String to = InvestmentSettings.of(settings).changeTo();
    boolean opened = false;
    for (String outcome : ExtractSettings.of(settings).scatterOutcomes()) {
      List<InvestmentModels.Observation> obs = InvestmentOutcomesJob.observations(snapshot::has, snapshot::read, settings, outcome);
      if (obs == null) {
        continue;
      }
      List<double[]> own = new ArrayList<>();
      List<double[]> others = new ArrayList<>();
      SimpleRegression line = new SimpleRegression();
      for (InvestmentModels.Change c : InvestmentModels.changes(obs, from, to)) {
        if (!outcome.startsWith("crime:") && !(pack.published.isPublished(outcome, "ocu", c.ocu(), "financial_year", from)
            && pack.published.isPublished(outcome, "ocu", c.ocu(), "financial_year", to))) {
          continue;
        }
        Areas.Area a = pack.areas.get("ocu", c.ocu());
        (a != null && a.forceCode().equals(pack.force) ? own : others).add(new double[] {c.shareChange(), c.outcomeChange()});
        line.addData(c.shareChange(), c.outcomeChange());
      }
      if (line.getN() < 3) {
        continue;
      }
      if (!opened) {
        section("investment", "Neighbourhood staffing and outcomes, " + from + " to " + to);
        html.append("<p class=\"note\">Each point is an OCU: the change in the share of officers in neighbourhood teams against ")
            .append("the change in the outcome. Associations across OCUs, not effects of staffing.</p>");
        opened = true;
      }
      String name = outcome.startsWith("crime:") ? "Recorded crime per 1,000 (" + outcome.substring(6).replace('_', ' ') + ")"
          : indicatorName(outcome);
      String caption = name + ": " + line.getN() + " OCUs; least-squares slope " + fixed(line.getSlope(), 2)
          + " per percentage point of staffing share. " + modelSummary(outcome);
      figure(Charts.scatter(name, "change in neighbourhood staffing share (pp)", "change in outcome", others.toArray(new double[0][]),
          own.toArray(new double[0][]), pack.forceName + " OCUs", line.getIntercept(), line.getSlope()), "Scatter: " + name, caption);
    }
  }

  private String modelSummary(String outcome) {
    StringBuilder sb = new StringBuilder();
    for (Row r : snapshot.read(InvestmentOutcomesJob.GOLD_INVESTMENT_OUTCOMES).filter(col("outcome").equalTo(outcome)
        .and(col("specification").isin("pearson", "ols_first_difference", "panel_fixed_effects"))
        .and(col("term").isin("share_change_pp", "share_pp"))).orderBy("specification").collectAsList()) {
      sb.append(switch (r.<String>getAs("specification")) {
        case "pearson" -> "Pearson r ";
        case "ols_first_difference" -> "OLS slope with controls ";
        default -> "Fixed-effects panel slope ";
      }).append(fixed(r.getAs("estimate"), 3)).append(" [").append(fixed(r.getAs("lower_95"), 3)).append(", ")
          .append(fixed(r.getAs("upper_95"), 3)).append("]; ");
    }
    return sb.length() == 0 ? "" : "gold.investment_outcomes: " + sb.substring(0, sb.length() - 2) + ".";
  }

  private void sources() {
    section("sources", "Sources and disclosure control");
    html.append("<p>Every figure comes from these Delta tables at these versions; rebuild any of them with, for example, ")
        .append("<code>SELECT * FROM gold.survey_estimates VERSION AS OF ")
        .append(esc(String.valueOf(snapshot.versions().getOrDefault("gold.survey_estimates", 0L)))).append("</code>.</p><table>")
        .append("<tr><th>Table</th><th>Version</th></tr>");
    snapshot.versions().forEach((t, v) -> html.append("<tr>").append(td(t)).append(num(v)).append("</tr>"));
    html.append("</table><p>Only aggregates leave Beacon. Survey cells from fewer than ").append(pack.threshold)
        .append(" respondents are suppressed, and further cells are suppressed wherever a suppressed cell could otherwise ")
        .append("be recovered by subtraction from a total (subgroups within their area, areas within their parent, quarters ")
        .append("within their year). Comparisons and gaps that rest on a suppressed cell are blank.</p></section>");
  }

  // ---- formatting --------------------------------------------------------------------------------

  /** For a suppressed row, one cell across the remaining columns saying why, and the row's end; false otherwise. */
  private boolean suppressedRest(ExtractTable t, Object[] r, int columns) {
    if (!Boolean.TRUE.equals(r[t.index("is_suppressed")])) {
      return false;
    }
    html.append("<td colspan=\"").append(columns).append("\" class=\"suppressed\">suppressed: ")
        .append(esc(str(r[t.index("suppression_reason")]))).append("</td></tr>");
    return true;
  }

  private static String gradeCell(Object grade) {
    return grade == null ? "<td></td>" : "<td><span class=\"grade " + esc(str(grade)) + "\">" + esc(str(grade)) + "</span></td>";
  }

  /** An indicator's or a gap's name. */
  private String nameOf(String id) {
    return GradingSettings.of(settings).gaps().stream().filter(x -> x.id().equals(id)).map(x -> x.name()).findFirst()
        .orElseGet(() -> indicatorName(id));
  }

  private String indicatorName(String id) {
    return Indicator.all(settings).stream().filter(i -> i.id().equals(id)).map(i -> i.name()).findFirst().orElse(id);
  }

  private static double nan(Double v) {
    return v == null ? Double.NaN : v;
  }

  private static String str(Object v) {
    return v == null ? "" : v.toString();
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String td(Object v) {
    return "<td>" + esc(str(v)) + "</td>";
  }

  private static String num(Object v) {
    return "<td class=\"num\">" + esc(v instanceof Long || v instanceof Integer ? String.format(Locale.UK, "%,d", v) : str(v)) + "</td>";
  }

  private static String statement(Object v) {
    String s = str(v);
    String css = s.contains("significantly better") || s.contains("significantly improved") ? "better"
        : s.contains("significantly worse") || s.contains("significantly deteriorated") ? "worse" : "";
    return "<td class=\"" + css + "\">" + esc(s) + "</td>";
  }

  private static String measure(Object v, boolean percent) {
    return v == null ? "" : fixed(v, 1) + (percent ? "%" : "");
  }

  private static String interval(Object lo, Object hi, boolean percent) {
    return lo == null || hi == null ? "" : fixed(lo, 1) + " – " + fixed(hi, 1) + (percent ? "%" : "");
  }

  private static String signed(Object v) {
    return v == null ? "" : String.format(Locale.ROOT, "%+.1f", ((Number) v).doubleValue());
  }

  private static String fixed(Object v, int decimals) {
    return v == null ? "" : String.format(Locale.ROOT, "%." + decimals + "f", ((Number) v).doubleValue());
  }
}
