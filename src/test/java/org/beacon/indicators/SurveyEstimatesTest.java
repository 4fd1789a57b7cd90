package org.beacon.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.runtime.Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SurveyEstimatesTest {
  private static SparkSession spark;
  private static List<Indicator> confidence;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.session();
    confidence = Settings.load(Map.of()).indicators().stream().filter(i -> i.id().equals("ftd_confidence")).toList();
  }

  /**
   * Sector S1: 81 agree, 182 disagree, 7 don't know -> valid n 263, positives 81 (Wilson 95%:
   * 25.5289 to 36.6210). Sector S2 in the same OCU: 10 agree of 12 valid -> below a threshold of 30.
   */
  private static Dataset<Row> responses() {
    List<Row> rows = new ArrayList<>();
    add(rows, "S1", "2007/08 Q1", "strongly_agree", 40);
    add(rows, "S1", "2007/08 Q2", "tend_to_agree", 41);
    add(rows, "S1", "2007/08 Q1", "tend_to_disagree", 182);
    add(rows, "S1", "2007/08 Q2", "dont_know", 7);
    add(rows, "S2", "2007/08 Q1", "tend_to_agree", 10);
    add(rows, "S2", "2007/08 Q1", "neither", 2);
    add(rows, "S2", "2007/08 Q1", null, 5);
    StructType schema = new StructType().add("force_code", DataTypes.StringType).add("ocu_code", DataTypes.StringType)
        .add("sector_code", DataTypes.StringType).add("financial_year", DataTypes.StringType).add("wave", DataTypes.StringType)
        .add("q_police_good_job", DataTypes.StringType);
    return spark.createDataFrame(rows, schema);
  }

  private static void add(List<Row> rows, String sector, String wave, String answer, int times) {
    for (int i = 0; i < times; i++) {
      rows.add(RowFactory.create("west-midlands", "D1", sector, "2007/08", wave, answer));
    }
  }

  private static Row cell(Dataset<Row> estimates, String level, String area, String period) {
    return estimates.filter(String.format("level = '%s' AND area_code = '%s' AND period = '%s'", level, area, period)).first();
  }

  @Test
  void countsProportionsAndIntervalsAtEveryLevel() {
    Dataset<Row> e = SurveyEstimates.estimate(SurveyEstimates.withIndicatorFlags(responses(), confidence), 0.95, 30).cache();
    Row s1 = cell(e, "sector", "S1", "2007/08");
    assertEquals(263L, (long) s1.getAs("valid_n"));
    assertEquals(81L, (long) s1.getAs("positive_n"));
    assertEquals(30.7985, s1.<Double>getAs("estimate_pct"), 1e-4);
    assertEquals(25.5289, s1.<Double>getAs("ci_lower_pct"), 1e-4);
    assertEquals(36.6210, s1.<Double>getAs("ci_upper_pct"), 1e-4);
    Row ocu = cell(e, "ocu", "D1", "2007/08");
    assertEquals(275L, (long) ocu.getAs("valid_n"), "don't know and unanswered leave the base");
    assertEquals(91L, (long) ocu.getAs("positive_n"));
    Row quarter = cell(e, "force", "west-midlands", "2007/08 Q2");
    assertEquals(41L, (long) quarter.getAs("valid_n"));
    assertEquals(100.0, quarter.<Double>getAs("estimate_pct"), 1e-9);
    assertEquals(100.0, quarter.<Double>getAs("ci_upper_pct"), 1e-9);
  }

  @Test
  void smallCellsArePublishedAsSuppressed() {
    Dataset<Row> e = SurveyEstimates.estimate(SurveyEstimates.withIndicatorFlags(responses(), confidence), 0.95, 30);
    Row s2 = cell(e, "sector", "S2", "2007/08");
    assertEquals(12L, (long) s2.getAs("valid_n"));
    assertTrue(s2.<Boolean>getAs("is_suppressed"));
    assertNull(s2.getAs("positive_n"));
    assertNull(s2.getAs("estimate_pct"));
    assertEquals("fewer than 30 valid responses", s2.getAs("suppression_reason"));
  }
}
