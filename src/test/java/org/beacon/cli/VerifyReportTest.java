package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.beacon.grading.ReportVerification;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `beacon verify-report` on the default generated data: every survey-based and recorded-crime figure of the
 * seed report comes back from the marts within 0.1 with the same judgement (counts of fewer victims exactly),
 * and the report's two outcome summaries come out of gold.indicator_grades.
 */
class VerifyReportTest {
  private static final String HOME = "west-midlands";
  private static Settings settings;
  private static SparkSession spark;
  private static Captured verified;

  @BeforeAll
  static void verifyTheDefaultData() throws IOException {
    spark = SharedSpark.session();
    Path lakehouse = Files.createTempDirectory("beacon-verify");
    settings = Settings.load(Map.of("beacon.lakehouse", lakehouse.toString()));
    verified = Captured.run("verify-report", "--lakehouse", lakehouse.toString(), "--format", "csv");
  }

  @Test
  void everySurveyFigureMatchesInValueAndJudgement() {
    assertEquals(0, verified.code(), verified.out() + verified.err());
    List<ReportVerification.Line> lines = ReportVerification.verify(spark, settings);
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
    assertEquals(11, crime.size(), "the report's recorded-crime rows: " + crime);
    assertTrue(verified.out().startsWith(String.join(",", ReportVerification.COLUMNS) + "\n"), verified.out());
    assertTrue(verified.out().contains("spi10b_change,2007/08,-5.9,-5.88,significantly improved,"
        + "significantly improved compared with 2005/06,match"), verified.out());
    assertTrue(verified.err().contains("0 do not"), verified.err());
  }

  @Test
  void bothOutcomeSummariesComeFromTheGrades() {
    List<Row> areas = Tables.read(spark, settings, TableName.GOLD_INDICATOR_GRADES)
        .filter("grade_level = 'inspection_area' AND force_code = '" + HOME + "' AND period = '2007/08'")
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
    Row spi10b = Tables.read(spark, settings, TableName.GOLD_INDICATOR_GRADES)
        .filter("force_code = '" + HOME + "' AND period = '2007/08' AND indicator_id = 'spi_10b'").first();
    assertEquals("exceeding", spi10b.getAs("grade"));
    assertEquals("not significantly different to the MSF average; significantly improved compared with 2005/06",
        spi10b.getAs("reason"));
    assertTrue(spi10b.<String>getAs("input_versions").contains("gold.indicator_comparisons@"), spi10b.<String>getAs("input_versions"));
  }

  @Test
  void everyPublishedFigureSaysHowItIsComputed() {
    for (ReportVerification.Line l : ReportVerification.verify(spark, settings)) {
      assertTrue(l.isChecked() || l.status().startsWith("not checked: "), l.figureId() + ": " + l.status());
    }
  }
}
