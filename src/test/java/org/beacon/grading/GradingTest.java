package org.beacon.grading;

import org.beacon.indicators.Indicator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.runtime.Settings;
import org.beacon.stats.DifferenceTest;
import org.beacon.stats.Mover;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Comparisons, gaps, grades and the scorecard on small inline frames, checked against values worked out here. */
class GradingTest {
  private static final double TOL = 1e-9;
  private static final double Z95 = 1.959963984540054;
  private static final StructType ANNUAL = StructType.fromDDL("indicator_id STRING, source STRING, level STRING, area_code STRING, "
      + "force_code STRING, period STRING, start_year INT, value DOUBLE, se DOUBLE, lower_95 DOUBLE, upper_95 DOUBLE, "
      + "lower_998 DOUBLE, upper_998 DOUBLE, weighted_n DOUBLE, n_eff DOUBLE, polarity_sign INT, unit STRING");
  private static final StructType ESTIMATES = StructType.fromDDL("indicator_id STRING, source STRING, level STRING, "
      + "area_code STRING, period_type STRING, period STRING, financial_year STRING, subgroup_type STRING, subgroup STRING, "
      + "n BIGINT, weighted_n DOUBLE, n_eff DOUBLE, estimate DOUBLE, se DOUBLE, deff DOUBLE, lower_95 DOUBLE, upper_95 DOUBLE, "
      + "lower_998 DOUBLE, upper_998 DOUBLE, is_suppressed BOOLEAN");
  private static SparkSession spark;
  private static Settings settings;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.session();
    settings = Settings.load(Map.of());
  }

  private static Row annual(String indicator, String level, String area, String force, String period, double value, double se,
      double lower, double upper, double weightedN, int sign) {
    return RowFactory.create(indicator, "s", level, area, force, period, Integer.parseInt(period.substring(0, 4)), value, se,
        lower, upper, lower - 1, upper + 1, weightedN, 1000.0, sign, "percent");
  }

  private static Map<String, Row> byKey(Dataset<Row> comparisons) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : comparisons.collectAsList()) {
      out.put(r.getAs("indicator_id") + "|" + r.getAs("area_code") + "|" + r.getAs("period") + "|" + r.getAs("comparison") + "|"
          + r.getAs("comparator"), r);
    }
    return out;
  }

  @Test
  void equalEstimatesAreLevelWhateverTheirLastBits() {
    // 60 of 120 and 30 of 60 are both 50%; summed in another order one may come out a bit above the other.
    double above = Math.nextUp(Math.nextUp(50.0));
    List<Row> rows = List.of(annual("tie", "force", "A", "A", "2007/08", 50, 1.5, 47, 53, 1000, 1),
        annual("tie", "force", "A", "A", "2005/06", above, 1.5, 47, 53, 1000, 1),
        annual("tie", "ocu", "O1", "A", "2007/08", 50, 2.0, 46, 54, 300, 1),
        annual("tie", "ocu", "O2", "A", "2007/08", above, 2.0, 46, 54, 300, 1));
    Dataset<Row> msf = spark.createDataFrame(List.of(), StructType.fromDDL("force_code STRING, msf_force_code STRING"));
    Map<String, Row> c = byKey(Comparisons.compare(spark.createDataFrame(rows, ANNUAL), msf, "mean"));
    assertEquals("level", c.get("tie|A|2007/08|two_years_earlier|2005/06").getAs("movement"), "50% against 50% two years earlier");
    assertEquals("level", c.get("tie|O1|2007/08|ocu|O2").getAs("movement"), "50% against another OCU's 50%");
    assertEquals("level", c.get("tie|O2|2007/08|ocu|O1").getAs("movement"), "50% against another OCU's 50%, the other way");
  }

  @Test
  void forcesAreComparedWithTheirMsfAverageAndTwoYearsEarlierByMover() {
    List<Row> rows = new ArrayList<>();
    for (String ind : List.of("up", "down")) {
      int sign = ind.equals("up") ? 1 : -1;
      rows.add(annual(ind, "force", "A", "A", "2007/08", 60, 1.5, 57, 63, 1000, sign));
      rows.add(annual(ind, "force", "A", "A", "2005/06", 55, 1.5, 52, 58, 1000, sign));
      rows.add(annual(ind, "force", "B", "B", "2007/08", 50, 1.5, 47, 53, 1000, sign));
      rows.add(annual(ind, "force", "C", "C", "2007/08", 54, 1.8, 50, 57, 1000, sign));
      rows.add(annual(ind, "ocu", "O1", "A", "2007/08", 62, 2.0, 58, 66, 300, sign));
      rows.add(annual(ind, "ocu", "O2", "A", "2007/08", 59, 1.8, 55.5, 62.5, 700, sign));
    }
    Dataset<Row> msf = spark.createDataFrame(List.of(RowFactory.create("A", "B"), RowFactory.create("A", "C")),
        StructType.fromDDL("force_code STRING, msf_force_code STRING"));
    Map<String, Row> c = byKey(Comparisons.compare(spark.createDataFrame(rows, ANNUAL), msf, "mean"));

    // MSF average of B and C: 52, limits 52 - sqrt(3^2 + 4^2)/2 and 52 + sqrt(3^2 + 3^2)/2.
    Row m = c.get("up|A|2007/08|msf_average|MSF average (2 of 2 forces)");
    assertEquals(52, m.<Double>getAs("comparator_value"), TOL);
    assertEquals(49.5, m.<Double>getAs("comparator_lower_95"), TOL);
    assertEquals(52 + Math.sqrt(18) / 2, m.<Double>getAs("comparator_upper_95"), TOL);
    assertEquals(Math.sqrt(1.5 * 1.5 + 1.8 * 1.8) / 2, m.<Double>getAs("comparator_se"), TOL);
    double[] d = Mover.difference(60, 57, 63, 52, 49.5, 52 + Math.sqrt(18) / 2);
    assertEquals(8, m.<Double>getAs("difference"), TOL);
    assertEquals(d[1], m.<Double>getAs("difference_lower_95"), TOL);
    assertEquals(d[2], m.<Double>getAs("difference_upper_95"), TOL);
    assertTrue(m.<Boolean>getAs("is_significant_95"));
    assertEquals("better", m.getAs("direction"));
    assertEquals("significantly better than the MSF average", m.getAs("statement"));
    assertEquals("worse", c.get("down|A|2007/08|msf_average|MSF average (2 of 2 forces)").getAs("direction"));

    // Two years earlier: 60 - 55, lower 5 - sqrt(3^2 + 3^2) > 0.
    Row y = c.get("up|A|2007/08|two_years_earlier|2005/06");
    assertEquals(5 - Math.sqrt(18), y.<Double>getAs("difference_lower_95"), TOL);
    assertEquals("improved", y.getAs("direction"));
    assertEquals("significantly improved compared with 2005/06", y.getAs("statement"));
    assertEquals("deteriorated", c.get("down|A|2007/08|two_years_earlier|2005/06").getAs("direction"));
    assertEquals("up", y.getAs("movement"));
    assertFalse(c.containsKey("up|A|2007/08|one_year_earlier|2006/07"), "no 2006/07 estimate, so no one-year comparison");

    // OCU in its force: Var(d) = (1 - 2 x 0.3) x 2^2 + 1.5^2.
    Row o = c.get("up|O1|2007/08|force|A");
    double sd = Math.sqrt(0.4 * 4 + 2.25);
    assertEquals(2 - Z95 * sd, o.<Double>getAs("difference_lower_95"), 1e-6);
    assertEquals("same", o.getAs("direction"));
    assertEquals("not significantly different to the force", o.getAs("statement"));
    // OCU against OCU: independent strata, MOVER.
    Row oo = c.get("up|O1|2007/08|ocu|O2");
    assertEquals(Mover.difference(62, 58, 66, 59, 55.5, 62.5)[1], oo.<Double>getAs("difference_lower_95"), TOL);
    assertEquals(c.size(), 2 * (1 + 1 + 2 + 2), "per indicator: one MSF, one earlier year, two OCU-force, two OCU-OCU rows");

    // One rule: p below 0.05 (0.002) exactly where the 95% (99.8%) interval of the difference excludes zero, and the
    // OCU within its force keeps the z test, difference / sd.
    for (Row r : c.values()) {
      double p = r.getAs("p_value");
      assertEquals(r.<Boolean>getAs("is_significant_95"), p < 0.05, "p " + p + " and the 95% flag of " + r);
      assertEquals(r.<Boolean>getAs("is_significant_998"), p < 0.002, "p " + p + " and the 99.8% flag of " + r);
    }
    assertEquals(2 / sd, o.<Double>getAs("z"), 1e-9);
    // Against two years earlier z is read from the MOVER intervals, not from the standard errors.
    assertEquals(DifferenceTest.zFromIntervals(5, Math.sqrt(18), 5 - y.<Double>getAs("difference_lower_998")), y.<Double>getAs("z"),
        1e-12);
  }

  @Test
  void pooledMsfAverageWeightsPeersByEffectiveSampleSize() {
    List<Row> rows = List.of(
        RowFactory.create("i", "s", "force", "A", "A", "2007/08", 2007, 60.0, 1.0, 58.0, 62.0, 57.0, 63.0, 1.0, 1000.0, 1, "percent"),
        RowFactory.create("i", "s", "force", "B", "B", "2007/08", 2007, 50.0, 1.0, 48.0, 52.0, 47.0, 53.0, 1.0, 3000.0, 1, "percent"),
        RowFactory.create("i", "s", "force", "C", "C", "2007/08", 2007, 54.0, 2.0, 50.0, 58.0, 48.0, 60.0, 1.0, 1000.0, 1, "percent"));
    Dataset<Row> msf = spark.createDataFrame(List.of(RowFactory.create("A", "B"), RowFactory.create("A", "C")),
        StructType.fromDDL("force_code STRING, msf_force_code STRING"));
    Row m = Comparisons.compare(spark.createDataFrame(rows, ANNUAL), msf, "pooled").filter("comparison = 'msf_average'").first();
    assertEquals(0.75 * 50 + 0.25 * 54, m.<Double>getAs("comparator_value"), TOL);
    assertEquals(51 - Math.sqrt(0.75 * 0.75 * 4 + 0.25 * 0.25 * 16), m.<Double>getAs("comparator_lower_95"), TOL);
  }

  @Test
  void annualEstimatesKeepPublishedWholePopulationCellsInPercent() {
    List<Row> rows = List.of(
        est("spi_2a", "force", "A", "financial_year", "2007/08", "all", "all", 0.5, false),
        est("spi_2a", "ocu", "A1", "financial_year", "2007/08", "all", "all", 0.4, false, 0.25),
        est("spi_2a", "ocu", "A2", "financial_year", "2007/08", "all", "all", 0.4, true),
        est("spi_2a", "ocu", "A1", "quarter", "2007/08 Q1", "all", "all", 0.4, false),
        est("spi_2a", "force", "A", "financial_year", "2007/08", "sex", "Male", 0.4, false),
        est("asb_perception_score", "force", "A", "financial_year", "2007/08", "all", "all", 7.5, false));
    Dataset<Row> geography = spark.createDataFrame(List.of(RowFactory.create("A", "A1"), RowFactory.create("A", "A2")),
        StructType.fromDDL("force_code STRING, ocu_code STRING"));
    Map<String, Row> out = new HashMap<>();
    Comparisons.annualEstimates(spark.createDataFrame(rows, ESTIMATES), geography, Indicator.all(settings)).collectAsList()
        .forEach(r -> out.put(r.getAs("indicator_id") + "|" + r.getAs("area_code"), r));
    assertEquals(3, out.size(), "suppressed, quarterly and subgroup cells are left out");
    assertEquals(50, out.get("spi_2a|A").<Double>getAs("value"), TOL);
    assertEquals("A", out.get("spi_2a|A1").getAs("force_code"));
    assertEquals(2.0, out.get("spi_2a|A").<Double>getAs("se"), TOL, "deff 1.5: the Taylor se, in points");
    assertEquals(4.0, out.get("spi_2a|A1").<Double>getAs("se"), TOL,
        "deff 0.25: n_eff is truncated at n, so the se is the simple-random-sampling one, 2 / sqrt(0.25)");
    assertEquals(7.5, out.get("asb_perception_score|A").<Double>getAs("value"), TOL);
    assertEquals("score", out.get("asb_perception_score|A").getAs("unit"));
    assertEquals(-1, out.get("asb_perception_score|A").<Integer>getAs("polarity_sign"));
  }

  private static Row est(String indicator, String level, String area, String periodType, String period, String subgroupType,
      String subgroup, double p, boolean suppressed) {
    return est(indicator, level, area, periodType, period, subgroupType, subgroup, p, suppressed, 1.5);
  }

  private static Row est(String indicator, String level, String area, String periodType, String period, String subgroupType,
      String subgroup, double p, boolean suppressed, double deff) {
    double se = 0.02;
    return RowFactory.create(indicator, "s", level, area, periodType, period, period.substring(0, 7), subgroupType, subgroup,
        400L, 400.0, 400.0, p, se, deff, p - 2 * se, p + 2 * se, p - 3 * se, p + 3 * se, suppressed);
  }

  @Test
  void gapsTakeTheGroupMinusTheVersusWithNewcombeLimitsAndTheirChange() {
    List<Row> rows = new ArrayList<>();
    rows.add(est("spi_1e", "force", "A", "financial_year", "2007/08", "ethnic_minority", "White", 0.84, false));
    rows.add(est("spi_1e", "force", "A", "financial_year", "2007/08", "ethnic_minority", "Minority ethnic", 0.74, false));
    rows.add(est("spi_1e", "force", "A", "financial_year", "2005/06", "ethnic_minority", "White", 0.84, false));
    rows.add(est("spi_1e", "force", "A", "financial_year", "2005/06", "ethnic_minority", "Minority ethnic", 0.83, false));
    Map<String, Row> out = new HashMap<>();
    Gaps.gaps(spark.createDataFrame(rows, ESTIMATES), List.of(GradingSettings.of(settings).gap("spi_3b")), Indicator.all(settings))
        .collectAsList().forEach(r -> out.put(r.getAs("period"), r));
    Row now = out.get("2007/08");
    double[] d = Mover.difference(84, 80, 88, 74, 70, 78);
    assertEquals(10, now.<Double>getAs("gap"), TOL);
    assertEquals(d[1], now.<Double>getAs("gap_lower_95"), TOL);
    assertTrue(now.<Boolean>getAs("is_significant_95"));
    assertEquals("worse", now.getAs("position"), "a white-minority gap is worse when positive (lower is better)");
    assertEquals("significant gap (Minority ethnic significantly lower)", now.getAs("statement"));
    double[] before = Mover.difference(84, 80, 88, 83, 79, 87);
    double[] change = Mover.difference(10, d[1], d[2], 1, before[1], before[2]);
    assertEquals(change[1], now.<Double>getAs("change_lower_95"), TOL);
    assertEquals(1.0, change[1], 1e-9, "9 - sqrt(32 + 32): the gap widened significantly");
    assertEquals("deteriorated", now.getAs("change_direction"));
    assertEquals("none", out.get("2005/06").getAs("change_direction"));
  }

  @Test
  void theRuleTableGradesAsAppendixThreeSays() {
    String[][] cases = {
        {"better", "unchanged", "up", "exceeding"},
        {"better", "deteriorated", "down", "meeting"},
        {"same", "improved", "up", "exceeding"},
        {"same", "unchanged", "up", "meeting"},
        {"same", "deteriorated", "down", "failing"},
        {"worse", "improved", "up", "meeting"},
        {"worse", "unchanged", "up", "meeting"},
        {"worse", "unchanged", "down", "failing"},
        {"none", "none", "level", "meeting"}};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < cases.length; i++) {
      rows.add(RowFactory.create("A", "case" + i, "indicator", "2007/08", cases[i][0], cases[i][1], cases[i][2], "m", "c"));
    }
    Dataset<Row> positions = spark.createDataFrame(rows, StructType.fromDDL("force_code STRING, indicator_id STRING, "
        + "kind STRING, period STRING, vs_msf STRING, change STRING, movement STRING, msf_statement STRING, change_statement STRING"));
    Map<String, Row> graded = new HashMap<>();
    Grades.grade(positions, GradingSettings.of(settings), "gold.x@1").collectAsList().forEach(r -> graded.put(r.getAs("indicator_id"), r));
    for (int i = 0; i < cases.length; i++) {
      Row r = graded.get("case" + i);
      assertEquals(cases[i][3], r.getAs("grade"), String.join(", ", cases[i]));
      assertEquals(GradingSettings.of(settings).rulesVersion(), r.getAs("rule_version"));
      assertEquals("m; c", r.getAs("reason"));
    }
  }

  @Test
  void areaSummariesSayOnePhraseWhereTheMembersAgree() {
    List<String> order = List.of("spi_2a", "kdi_asb_crime", "spi_10b", "spi_1e", "spi_3b");
    assertEquals("not significantly different to MSF; significantly improved compared with two years ago", Grades.summarise(List.of(
        RowFactory.create("spi_2a", "indicator", "same", "unchanged"), RowFactory.create("spi_10b", "indicator", "same", "improved"),
        RowFactory.create("kdi_asb_crime", "indicator", "same", "unchanged")), order));
    assertEquals("significantly better than MSF (spi_1e); significant gap (spi_3b); unchanged compared with two years ago",
        Grades.summarise(List.of(RowFactory.create("spi_3b", "gap", "worse", "unchanged"),
            RowFactory.create("spi_1e", "indicator", "better", "unchanged")), order));
  }

  @Test
  void scorecardStatusComparesTheIntervalWithTheTarget() {
    // ftd_confidence's target is 80%: intervals (p +- 4 points at 95%).
    List<Row> rows = List.of(
        est("ftd_confidence", "ocu", "D1", "quarter", "2007/08 Q1", "all", "all", 0.85, false),
        est("ftd_confidence", "ocu", "D2", "quarter", "2007/08 Q1", "all", "all", 0.81, false),
        est("ftd_confidence", "ocu", "D3", "quarter", "2007/08 Q1", "all", "all", 0.79, false),
        est("ftd_confidence", "ocu", "D4", "quarter", "2007/08 Q1", "all", "all", 0.75, false),
        est("ftd_confidence", "ocu", "D5", "quarter", "2007/08 Q1", "all", "all", 0.90, true),
        est("ftd_confidence", "ocu", "D1", "financial_year", "2007/08", "all", "all", 0.85, false));
    Map<String, String> status = new HashMap<>();
    Scorecard.scorecard(spark.createDataFrame(rows, ESTIMATES), GradingSettings.of(settings).scorecard(), Indicator.all(settings))
        .collectAsList().forEach(r -> status.put(r.getAs("area_code"), r.getAs("status")));
    assertEquals(Map.of("D1", "achieved", "D2", "on track", "D3", "at risk", "D4", "missed", "D5", "insufficient data"), status);
  }
}
