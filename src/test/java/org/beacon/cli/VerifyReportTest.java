package org.beacon.cli;

import org.beacon.linkage.InvestmentOutcomesJob;

import org.beacon.grading.GradingTables;

import org.beacon.indicators.Indicator;

import org.beacon.generate.GeneratorSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.beacon.grading.ReportVerification;
import org.beacon.runtime.Settings;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * `beacon verify-report` on the default generated data: every survey-based and recorded-crime figure of the
 * seed report comes back from the marts within 0.1 with the same judgement (counts of fewer victims exactly),
 * and the report's two outcome summaries come out of gold.indicator_grades.
 */
@Order(1)
class VerifyReportTest {
  private static final String HOME = "west-midlands";
  private static Settings settings;
  private static SparkSession spark;
  private static Captured verified;
  private static List<ReportVerification.Line> lines;

  @BeforeAll
  static void verifyTheDefaultData() {
    spark = SharedSpark.session();
    Path lakehouse = DefaultLakehouse.path();
    settings = Settings.load(Map.of("beacon.lakehouse", lakehouse.toString()));
    verified = Captured.run("verify-report", "--lakehouse", lakehouse.toString(), "--format", "csv");
    lines = ReportVerification.verify(spark, settings);
  }

  @Test
  void everySurveyFigureMatchesInValueAndJudgement() {
    assertEquals(0, verified.code(), verified.out() + verified.err());
    List<String> survey = new ArrayList<>();
    List<String> crime = new ArrayList<>();
    for (ReportVerification.Line l : lines) {
      assertTrue(!l.isMismatch(), l.figureId() + ": " + l.status());
      if (l.figureId().matches("(spi|kdi|np_summary|asb_gap|ftd_).*")) {
        assertEquals("match", l.status(), l.figureId() + " must be checked");
        survey.add(l.figureId());
      }
      if (l.figureId().matches("(crime_|sanction_).*") && !l.figureId().equals("crime_monthly_avg_0708")) {
        assertEquals("match", l.status(), l.figureId() + " must be checked");
        crime.add(l.figureId());
      }
    }
    assertEquals(35, survey.size(), "the report's survey-based rows: " + survey);
    assertEquals(10, crime.size(), "the report's recorded-crime rows: " + crime);
    assertEquals(65, lines.stream().filter(ReportVerification.Line::isChecked).count(),
        "all but four figures are checked, and both published summary judgements");
    // The published judgement is HMIC's after moderation; Beacon's outcome assessment from SPI evidence is its starting point.
    ReportVerification.Line np = lines.stream().filter(l -> l.figureId().equals("np_grade_0708")).findFirst().orElseThrow();
    assertEquals("match", np.status(), np.computedJudgement());
    assertEquals("Meeting the standard", np.publishedJudgement());
    assertTrue(np.computedJudgement().startsWith("outcome assessment from SPI evidence: exceeding; moderated judgement recorded: "
        + "meeting (moderated from the outcome assessment: Summary of judgement after moderation"), np.computedJudgement());
    assertTrue(verified.out().startsWith(String.join(",", ReportVerification.COLUMNS) + "\n"), verified.out());
    assertTrue(verified.out().contains("spi10b_change,2007/08,-5.9,-5.88,significantly improved,"
        + "significantly improved compared with 2005/06,match"), verified.out());
    assertTrue(verified.err().contains("0 do not"), verified.err());
  }

  @Test
  void bothOutcomeSummariesComeFromTheGrades() {
    List<Row> areas = Tables.read(spark, settings, GradingTables.GOLD_INDICATOR_GRADES)
        .filter("grade_level = 'outcome_assessment' AND force_code = '" + HOME + "' AND period = '2007/08'")
        .orderBy("inspection_area").collectAsList();
    assertEquals(2, areas.size());
    // "Citizen Focus": SPI 1e significantly better than the MSF group and stable; the SPI 3b gap significant and stable.
    assertEquals("citizen_focus", areas.get(0).getAs("inspection_area"));
    assertEquals("significantly better than MSF (spi_1e); significant gap (spi_3b); unchanged compared with two years ago",
        areas.get(0).getAs("reason"));
    // "Neighbourhood Policing": the np_summary row of the published figures.
    assertEquals("neighbourhood_policing", areas.get(1).getAs("inspection_area"));
    assertEquals("not significantly different to MSF; significantly improved compared with two years ago",
        areas.get(1).getAs("reason"));
    Row spi10b = Tables.read(spark, settings, GradingTables.GOLD_INDICATOR_GRADES)
        .filter("force_code = '" + HOME + "' AND period = '2007/08' AND indicator_id = 'spi_10b'").first();
    assertEquals("exceeding", spi10b.getAs("grade"));
    assertEquals("not significantly different to the MSF average; significantly improved compared with 2005/06",
        spi10b.getAs("reason"));
    assertTrue(spi10b.<String>getAs("input_versions").contains("gold.indicator_comparisons@"), spi10b.<String>getAs("input_versions"));
  }

  /**
   * The generator builds each FTD measure with a known effect of the OCU's neighbourhood staffing share (pp per pp);
   * the fixed-effects panel recovers each within its 95% interval, and user satisfaction, built with no effect, is
   * reported as not separable from zero.
   */
  @Test
  void investmentModelsRecoverTheGeneratorsStaffingEffects() {
    Map<String, Row> panel = new java.util.HashMap<>();
    Tables.read(spark, settings, InvestmentOutcomesJob.GOLD_INVESTMENT_OUTCOMES).filter("specification = 'panel_fixed_effects'")
        .collectAsList().forEach(r -> panel.put(r.getAs("outcome"), r));
    for (String indicator : List.of("ftd_confidence", "ftd_foot_patrol", "ftd_safe_dark", "ftd_safe_day")) {
      String question = Indicator.all(settings).stream().filter(i -> i.id().equals(indicator)).findFirst().orElseThrow().question();
      double truth = GeneratorSettings.of(settings).staffingEffect(question)[0];
      Row r = panel.get(indicator);
      assertTrue(r.<Double>getAs("lower_95") < truth && truth < r.<Double>getAs("upper_95"),
          indicator + ": true effect " + truth + ", estimated " + r.getAs("estimate") + " (" + r.getAs("lower_95") + " to "
              + r.getAs("upper_95") + ")");
      assertEquals(21, r.<Integer>getAs("n_clusters"));
    }
    assertEquals("not separable from zero at 95%", panel.get("us_whole_experience").getAs("conclusion"));
  }

  @Test
  void everyPublishedFigureSaysHowItIsComputed() {
    for (ReportVerification.Line l : lines) {
      assertTrue(l.isChecked() || l.status().startsWith("not checked: "), l.figureId() + ": " + l.status());
    }
  }
}
