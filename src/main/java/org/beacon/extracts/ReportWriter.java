package org.beacon.extracts;

import static org.beacon.extracts.Html.esc;
import static org.beacon.extracts.Html.fixed;
import static org.beacon.extracts.Html.gradeCell;
import static org.beacon.extracts.Html.interval;
import static org.beacon.extracts.Html.measure;
import static org.beacon.extracts.Html.num;
import static org.beacon.extracts.Html.signed;
import static org.beacon.extracts.Html.statement;
import static org.beacon.extracts.Html.str;
import static org.beacon.extracts.Html.td;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.beacon.grading.Grades;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.FinancialYear;

/**
 * The extract as one self-contained HTML page: styles inline, charts as PNG data URIs, no scripts,
 * fonts or links outside the file. Sections: grades, force indicators, OCU and sector intervals,
 * funnel plots, control charts, scorecard, gaps, crime, investment and outcomes, sources.
 */
final class ReportWriter {
  private final Pack pack;
  private final StringBuilder html = new StringBuilder();
  private final Map<String, String> sections = new LinkedHashMap<>();
  private int charts;

  private ReportWriter(Pack pack) {
    this.pack = pack;
  }

  /** Writes the page and returns the number of charts in it. */
  static int write(Pack pack, String generatedAt, Path file) {
    ReportWriter w = new ReportWriter(pack);
    String body = w.body();
    StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(esc(pack.forceName() + " " + pack.year() + " inspection extract")).append("</title>")
        .append("<style>").append(Html.STYLE).append("</style></head><body><header><h1>").append(esc(pack.forceName()))
        .append(pack.ocu() == null ? "" : esc(" — OCU " + pack.ocu() + " " + pack.ocuName()))
        .append("</h1><p>Inspection extract, financial year ").append(esc(pack.year())).append(" · grading rules ")
        .append(esc(pack.ruleVersion())).append("</p><p>Built by Beacon on ").append(esc(generatedAt))
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
    pack.figures().intervals().forEach(this::intervals);
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
    section("grades", pack.ocu() == null ? "Grades" : "Grades of " + pack.forceName());
    ExtractTable g = pack.grades();
    if (g.rows().isEmpty()) {
      html.append("<p class=\"note\">No grades for this force and year.</p>");
      return;
    }
    html.append("<p class=\"note\">Each indicator is compared with the average of the force's most similar forces and with ")
        .append("two years earlier; differences are tested at 95%, and the first matching rule of the rule table ")
        .append(esc(pack.ruleVersion())).append(" gives the grade (HMIC 2008, Appendix 3). Each inspection area's outcome assessment from SPI evidence ")
        .append("comes first, then the indicators graded in it; indicators outside the areas follow. The outcome assessment is the ")
        .append("starting point of an area's judgement, not the judgement: HMIC moderates it with the inspection's evidence.</p>");
    html.append("<table><tr><th>Indicator</th><th>Against MSF</th><th>Against two years earlier</th>")
        .append("<th>Grade</th><th>Rule</th><th>Reason</th></tr>");
    Map<String, List<Object[]>> byArea = new LinkedHashMap<>();
    pack.inspectionAreas().keySet().forEach(a -> byArea.put(a, new ArrayList<>()));
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
      String areaName = pack.inspectionAreas().getOrDefault(area, "Other graded indicators");
      html.append("<tr><th colspan=\"6\">").append(esc(areaName)).append("</th></tr>");
      for (Object[] r : rows) {
        boolean overall = Grades.OUTCOME_ASSESSMENT.equals(r[g.index("grade_level")]);
        Object grade = r[g.index("grade")];
        html.append(overall ? "<tr style=\"font-weight:bold\">" : "<tr>")
            .append(td(overall ? areaName + ": outcome assessment from SPI evidence" : pack.nameOf(str(r[g.index("indicator_id")]))))
            .append(td(r[g.index("vs_msf")])).append(td(r[g.index("change")])).append(gradeCell(grade))
            .append(td(r[g.index("rule_number")])).append(td(r[g.index("reason")])).append("</tr>");
      }
    });
    html.append("</table>");
    ExtractTable j = pack.judgements();
    if (!j.rows().isEmpty()) {
      html.append("<h3>Outcome assessment and moderated judgement</h3><p>HMIC takes the outcome assessment from SPI evidence as ")
          .append("the starting point and moderates it with the inspection's evidence; the judgement below is the one the ")
          .append("inspection team recorded.</p><table><tr><th>Inspection area</th><th>Outcome assessment from SPI evidence</th>")
          .append("<th>Moderated judgement</th><th>Comparison</th><th>Rationale</th><th>Recorded by, on</th></tr>");
      for (Object[] r : j.rows()) {
        String area = str(r[j.index("inspection_area")]);
        html.append("<tr>").append(td(pack.inspectionAreas().getOrDefault(area, area)))
            .append(gradeCell(r[j.index("outcome_assessment")])).append(gradeCell(r[j.index("moderated_judgement")]))
            .append(td(r[j.index("comparison")])).append(td(r[j.index("judgement_rationale")]))
            .append(td(r[j.index("judgement_recorded_by")] == null ? null
                : r[j.index("judgement_recorded_by")] + ", " + r[j.index("judgement_recorded_on")])).append("</tr>");
      }
      html.append("</table>");
    }
  }

  private void forceIndicators() {
    section("indicators", (pack.ocu() == null ? "Force" : "OCU") + " indicators, " + pack.year());
    ExtractTable t = pack.indicators();
    String against = pack.ocu() == null ? "msf_average" : "force";
    html.append("<table><tr><th>Area</th><th>Indicator</th><th>Value</th><th>95% interval</th><th>n</th><th>Against ")
        .append(pack.ocu() == null ? "MSF" : "the force").append("</th><th>Against two years earlier</th><th>Grade</th></tr>");
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

  private void intervals(Figures.Intervals intervals) {
    String level = intervals.level();
    String plural = intervals.plural();
    section("intervals-" + level, "Indicators by " + plural.replaceAll("s$", "") + ", " + pack.year());
    String against = pack.ocu() == null ? "the force" : "the OCU";
    html.append("<p class=\"note\">Dots are estimates and bars their 95% intervals; the dashed line is ").append(against)
        .append(". ").append(level.equals("ocu") ? "Colours mark OCUs significantly better or worse than their force "
            + "(the difference tested with the OCU's share of the force allowed for)."
            : "Colours mark sectors whose 95% interval lies wholly above or below that value.")
        .append(" Suppressed areas are left out.</p>");
    String refName = pack.ocu() == null ? "force" : "OCU";
    String[] legend = level.equals("ocu") ? new String[] {"significantly better than the " + refName,
        "not significantly different", "significantly worse than the " + refName}
        : new String[] {"interval better than the " + refName + " value", "interval includes it",
            "interval worse than the " + refName + " value"};
    for (Figures.IntervalChart c : intervals.charts()) {
      figure(Charts.intervals(c.indicatorName(), c.isPercent() ? "percent" : "mean score", c.points(), c.reference(), refName,
          legend), c.indicatorName() + " by " + level, c.indicatorName() + ": " + c.points().size() + " " + plural + ", "
          + pack.year() + ".");
    }
  }

  private void funnels() {
    if (pack.figures().funnels() == null) {
      return;
    }
    section("funnels", "Funnel plots, OCUs of the force, " + pack.year());
    html.append("<p class=\"note\">Each OCU's estimate against its design-effective sample size, with the force value ")
        .append("as target and 95% and 99.8% limits (Spiegelhalter 2005). Points outside the 99.8% limits are unlikely ")
        .append("to differ by chance alone.</p>");
    for (Figures.Funnel f : pack.figures().funnels()) {
      figure(Charts.funnel(f.indicatorName(), "percent", f.points(), f.target(), f.limits()), "Funnel plot: " + f.indicatorName(),
          f.indicatorName() + ": " + f.points().size() + " OCUs, " + pack.year() + ".");
    }
  }

  private void controlCharts() {
    if (pack.figures().controlCharts().isEmpty()) {
      return;
    }
    section("spc", "Control charts to " + pack.year());
    html.append("<p class=\"note\">Statistical process control (Shewhart): points marked with a red square break a rule of the ")
        .append("configured rule set and signal special-cause variation; the dashed lines are the control limits.</p>");
    for (Figures.ControlChart c : pack.figures().controlCharts()) {
      String chart = c.chart().toUpperCase(Locale.ROOT);
      long signals = c.points().stream().filter(Charts.SpcPoint::signal).count();
      figure(Charts.controlChart(c.label() + " — " + chart + " chart", Charts.axisOf(c.chart()), c.points()), c.label() + " control chart",
          c.label() + ", " + chart + " chart, rules " + c.ruleSet() + ": " + signals + " signal" + (signals == 1 ? "" : "s")
              + " in " + c.points().size() + " points.");
    }
  }

  private void scorecard() {
    ExtractTable s = pack.scorecard();
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
    measures.forEach(m -> html.append("<th>").append(esc(pack.nameOf(m))).append("</th>"));
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
    ExtractTable g = pack.gaps();
    if (g.rows().isEmpty()) {
      return;
    }
    section("gaps", "Gaps between groups, " + pack.year());
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
    ExtractTable c = pack.crime();
    if (c.rows().isEmpty()) {
      return;
    }
    section("crime", "Crime and anti-social behaviour, " + pack.year());
    if (pack.figures().monthlyCrime() != null) {
      figure(Charts.monthly("Recorded crime and ASB by month", "records per month", pack.figures().monthlyCrime()),
          "Monthly crime and ASB", "police.uk street-level records by month up to March "
              + (FinancialYear.startYear(pack.year()) + 1) + ".");
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
    Figures f = pack.figures();
    if (f.scatters().isEmpty()) {
      return;
    }
    section("investment", "Neighbourhood staffing and outcomes, " + f.changeFrom() + " to " + f.changeTo());
    html.append("<p class=\"note\">Each point is an OCU: the change in the share of officers in neighbourhood teams against ")
        .append("the change in the outcome. Associations across OCUs, not effects of staffing.</p>");
    for (Figures.Scatter s : f.scatters()) {
      String caption = s.outcomeName() + ": " + s.n() + " OCUs; least-squares slope " + fixed(s.slope(), 2)
          + " per percentage point of staffing share. " + modelSummary(s.models());
      figure(Charts.scatter(s.outcomeName(), "change in neighbourhood staffing share (pp)", "change in outcome", s.others(),
          s.own(), pack.forceName() + " OCUs", s.intercept(), s.slope()), "Scatter: " + s.outcomeName(), caption);
    }
  }

  private static String modelSummary(List<Figures.Model> models) {
    StringBuilder sb = new StringBuilder();
    for (Figures.Model m : models) {
      sb.append(switch (m.specification()) {
        case "pearson" -> "Pearson r ";
        case "ols_first_difference" -> "OLS slope with controls ";
        default -> "Fixed-effects panel slope ";
      }).append(fixed(m.estimate(), 3)).append(" [").append(fixed(m.lower95(), 3)).append(", ")
          .append(fixed(m.upper95(), 3)).append("]; ");
    }
    return sb.length() == 0 ? "" : "gold.investment_outcomes: " + sb.substring(0, sb.length() - 2) + ".";
  }

  private void sources() {
    section("sources", "Sources and disclosure control");
    html.append("<p>Every figure comes from these Delta tables at these versions; rebuild any of them with, for example, ")
        .append("<code>SELECT * FROM gold.survey_estimates VERSION AS OF ")
        .append(esc(String.valueOf(pack.versions().getOrDefault("gold.survey_estimates", 0L)))).append("</code>.</p><table>")
        .append("<tr><th>Table</th><th>Version</th></tr>");
    pack.versions().forEach((t, v) -> html.append("<tr>").append(td(t)).append(num(v)).append("</tr>"));
    html.append("</table><p>Only aggregates leave Beacon. Survey cells from fewer than ").append(pack.threshold())
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
}
