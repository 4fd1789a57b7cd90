package org.beacon.indicators;

import org.beacon.survey.SurveySources;

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
import org.beacon.stats.TaylorVariance;
import org.beacon.stats.Wilson;
import org.beacon.survey.SurveySource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark engine assembles Taylor variances from per-stratum sums; here every figure is checked
 * against the direct array implementation (TaylorVariance) on the same respondents.
 */
class SurveyEstimatesTest {
  private static SparkSession spark;
  private static final Settings settings = Settings.load(Map.of());

  // Two strata (OCUs A and B) of two and three PSUs, unequal weights; answers: E excellent, P poor, D don't know.
  private static final String[] STRATUM = {"A", "A", "A", "A", "B", "B", "B", "B", "B", "B"};
  private static final String[] PSU = {"a1", "a1", "a2", "a2", "b1", "b1", "b2", "b2", "b3", "b3"};
  private static final double[] W = {2, 2, 3, 1, 5, 4, 1, 1, 2, 6};
  private static final String[] ANSWER = {"E", "P", "E", "E", "P", "D", "E", "P", "E", "E"};
  private static final String[] SEX = {"Male", "Female", "Female", "Male", "Male", "Female", "Male", "Male", "Female", "Female"};

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.session();
  }

  private static SurveySource source(String psu, int minCell) {
    return source(psu, minCell, Map.of("force", SurveySource.PERIOD_TYPES, "ocu", SurveySource.PERIOD_TYPES));
  }

  private static SurveySource source(String psu, int minCell, Map<String, List<String>> subgroupCells) {
    return source(psu, "", minCell, subgroupCells);
  }

  /** The force survey's source with this design (strata: OCUs; weight design_weight) and sex as its subgroup. */
  static SurveySource source(String psu, String fpc, int minCell, Map<String, List<String>> subgroupCells) {
    SurveySource fs = SurveySources.of(settings, "force_survey");
    return new SurveySource(fs.id(), fs.name(), fs.landingDir(), fs.columns(), fs.freeText(), fs.key(), fs.pseudonymise(),
        fs.dateColumn(), fs.areaColumn(), fs.areaLevel(), fs.codes(), fs.booleans(), fs.numbers(), fs.dates(),
        fs.questionScales(), new SurveySource.Design("design_weight", "ocu_code", psu, fpc), fs.weighting(), minCell,
        List.of("sex"), Map.of(), subgroupCells);
  }

  private static Dataset<Row> silver() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < W.length; i++) {
      String answer = switch (ANSWER[i]) {
        case "E" -> "excellent";
        case "P" -> "poor";
        default -> "dont_know";
      };
      rows.add(RowFactory.create("force-x", STRATUM[i], "2007/08", 1 + i % 2, i % 2 == 0 ? "2007/08 Q1" : "2007/08 Q2",
          PSU[i], W[i], answer, SEX[i], STRATUM[i].equals("B") ? 1.0 : 0.0));
    }
    StructType schema = new StructType().add("force_code", DataTypes.StringType).add("ocu_code", DataTypes.StringType)
        .add("financial_year", DataTypes.StringType).add("quarter", DataTypes.IntegerType).add("wave", DataTypes.StringType)
        .add("psu", DataTypes.StringType).add("design_weight", DataTypes.DoubleType).add("q_police_job", DataTypes.StringType)
        .add("sex", DataTypes.StringType).add("fpc", DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }

  private static Dataset<Row> estimates(String psu, int minCell) {
    return estimates(psu, minCell, "wilson");
  }

  private static Dataset<Row> estimates(String psu, int minCell, String interval) {
    return estimates(source(psu, minCell), interval);
  }

  private static Dataset<Row> estimates(SurveySource source, String interval) {
    List<Indicator> spi2a = Indicator.all(settings).stream().filter(i -> i.id().equals("spi_2a")).toList();
    Dataset<Row> units = SurveyEstimates.withDesignAndFlags(silver(), source, spi2a);
    int qi = 2007 * 4;
    return SurveyEstimates.estimate(units, source, spi2a, qi, qi + 1, interval).cache();
  }

  static Row cell(Dataset<Row> e, String level, String area, String periodType, String period, String subgroup) {
    return e.filter(String.format("level = '%s' AND area_code = '%s' AND period_type = '%s' AND period = '%s' AND subgroup = '%s'",
        level, area, periodType, period, subgroup)).first();
  }

  /** The direct computation for a domain given by a predicate on the respondent index. */
  private static TaylorVariance.Result direct(java.util.function.IntPredicate inDomain, boolean clustered) {
    return direct(inDomain, clustered, null);
  }

  private static TaylorVariance.Result direct(java.util.function.IntPredicate inDomain, boolean clustered, double[] fpc) {
    double[] y = new double[W.length];
    double[] x = new double[W.length];
    String[] psu = new String[W.length];
    for (int i = 0; i < W.length; i++) {
      boolean valid = inDomain.test(i) && !ANSWER[i].equals("D");
      x[i] = valid ? 1 : 0;
      y[i] = valid && ANSWER[i].equals("E") ? 1 : 0;
      psu[i] = clustered ? PSU[i] : String.valueOf(i);
    }
    return TaylorVariance.ratio(y, x, W, STRATUM, psu, fpc, TaylorVariance.LonelyPsu.CERTAINTY);
  }

  @Test
  void clusteredForceYearMatchesTheDirectComputation() {
    Row r = cell(estimates("psu", 1), "force", "force-x", "financial_year", "2007/08", "all");
    TaylorVariance.Result d = direct(i -> true, true);
    assertEquals(d.estimate(), r.<Double>getAs("estimate"), 1e-12);
    assertEquals(d.se(), r.<Double>getAs("se"), 1e-12);
    assertEquals(9L, (long) r.getAs("n"));
    assertEquals(23.0, r.<Double>getAs("weighted_n"), 1e-12);
    double p = d.estimate();
    double nEff = p * (1 - p) / d.variance();
    assertEquals(nEff, r.<Double>getAs("n_eff"), 1e-9);
    assertEquals(d.variance() / (p * (1 - p) / 9), r.<Double>getAs("deff"), 1e-9);
    double n95 = kornGraubard(nEff, 0.95);
    double n998 = kornGraubard(nEff, 0.998);
    assertEquals(Wilson.lower(p * n95, n95, 0.95), r.<Double>getAs("lower_95"), 1e-9);
    assertEquals(Wilson.upper(p * n998, n998, 0.998), r.<Double>getAs("upper_998"), 1e-9);
    assertTrue(r.<String>getAs("method").contains("Korn-Graubard"));
  }

  /** The fixture's force-year n_eff scaled by Korn and Graubard's (t_{n-1} / t_{df})²: df = 5 PSUs - 2 strata = 3, n - 1 = 8. */
  private static double kornGraubard(double nEff, double confidence) {
    return nEff * Math.pow(t(8, confidence) / t(3, confidence), 2);
  }

  private static double t(int df, double confidence) {
    return new org.apache.commons.math3.distribution.TDistribution(null, df).inverseCumulativeProbability(1 - (1 - confidence) / 2);
  }

  @Test
  void clopperPearsonIsTheExactOptionOnTheSameEffectiveN() {
    Row r = cell(estimates("psu", 1, "clopper-pearson"), "force", "force-x", "financial_year", "2007/08", "all");
    double p = r.getAs("estimate");
    double n95 = kornGraubard(r.getAs("n_eff"), 0.95);
    double n998 = kornGraubard(r.getAs("n_eff"), 0.998);
    assertEquals(org.beacon.stats.ClopperPearson.lower(p * n95, n95, 0.95), r.<Double>getAs("lower_95"), 1e-9);
    assertEquals(org.beacon.stats.ClopperPearson.upper(p * n998, n998, 0.998), r.<Double>getAs("upper_998"), 1e-9);
    assertTrue(r.<String>getAs("method").contains("Clopper-Pearson"));
  }

  @Test
  void domainsKeepTheWholeDesign() {
    Dataset<Row> e = estimates("psu", 1);
    // An OCU, a quarter and a subgroup are domains: units outside them stay in the design with zeros.
    assertEquals(direct(i -> STRATUM[i].equals("B"), true).se(),
        cell(e, "ocu", "B", "financial_year", "2007/08", "all").<Double>getAs("se"), 1e-12);
    TaylorVariance.Result q2 = direct(i -> i % 2 == 1, true);
    Row quarter = cell(e, "force", "force-x", "quarter", "2007/08 Q2", "all");
    assertEquals(q2.estimate(), quarter.<Double>getAs("estimate"), 1e-12);
    // n_h counts the PSUs that had any respondent in the quarter, as the design of that period.
    assertTrue(quarter.<Double>getAs("se") > 0);
    TaylorVariance.Result men = direct(i -> SEX[i].equals("Male"), true);
    Row male = cell(e, "force", "force-x", "financial_year", "2007/08", "Male");
    assertEquals(men.estimate(), male.<Double>getAs("estimate"), 1e-12);
    assertEquals(men.se(), male.<Double>getAs("se"), 1e-12);
  }

  @Test
  void subgroupsAreEstimatedAtTheConfiguredLevelsAndPeriods() {
    Dataset<Row> all = estimates("psu", 1);
    // A quarter's subgroup in an OCU is a domain of the whole design, as every other cell.
    TaylorVariance.Result q2Men = direct(i -> i % 2 == 1 && SEX[i].equals("Male"), true);
    Row cell = cell(all, "force", "force-x", "quarter", "2007/08 Q2", "Male");
    assertEquals(q2Men.estimate(), cell.<Double>getAs("estimate"), 1e-12);
    assertEquals(q2Men.se(), cell.<Double>getAs("se"), 1e-12);
    TaylorVariance.Result bWomenYtd = direct(i -> STRATUM[i].equals("B") && SEX[i].equals("Female"), true);
    assertEquals(bWomenYtd.estimate(), cell(all, "ocu", "B", "year_to_date", "2007/08 Q1-Q2", "Female").<Double>getAs("estimate"),
        1e-12);

    Dataset<Row> some = estimates(source("psu", 1, Map.of("force", List.of("financial_year", "quarter"))), "wilson");
    assertEquals(List.of("force|financial_year", "force|quarter"), some.filter("subgroup_type = 'sex'")
        .selectExpr("concat(level, '|', period_type) AS k").distinct().orderBy("k").collectAsList()
        .stream().map(r -> r.getString(0)).toList());
    assertEquals(all.filter("subgroup_type = 'all'").count(), some.filter("subgroup_type = 'all'").count(),
        "the whole population's cells do not depend on the subgroups' levels");
    assertEquals(0, estimates(source("psu", 1, Map.of()), "wilson").filter("subgroup_type <> 'all'").count());
  }

  /** fpc = 1 in stratum B: a census stratum (R's survey package reads fpc ≤ 1 as a fraction), adding no variance. */
  @Test
  void anFpcOfOneIsACensusStratumAsInTheDirectComputation() {
    Dataset<Row> e = estimates(source("psu", "fpc", 1, Map.of()), "wilson");
    double[] fpc = new double[W.length];
    for (int i = 0; i < W.length; i++) {
      fpc[i] = STRATUM[i].equals("B") ? 1 : 0;
    }
    TaylorVariance.Result d = direct(i -> true, true, fpc);
    Row force = cell(e, "force", "force-x", "financial_year", "2007/08", "all");
    assertEquals(d.se(), force.<Double>getAs("se"), 1e-12);
    assertTrue(d.se() < direct(i -> true, true).se(), "the census stratum's variance is gone");
    assertEquals(0, cell(e, "ocu", "B", "financial_year", "2007/08", "all").<Double>getAs("se"), 1e-15,
        "an OCU that is its own census has no sampling error");
  }

  @Test
  void respondentsAreThePsusWhenTheDesignNamesNone() {
    Row r = cell(estimates("", 1), "force", "force-x", "financial_year", "2007/08", "all");
    TaylorVariance.Result d = direct(i -> true, false);
    assertEquals(d.se(), r.<Double>getAs("se"), 1e-12);
  }

  @Test
  void smallCellsArePublishedAsSuppressed() {
    Row r = cell(estimates("psu", 50), "force", "force-x", "financial_year", "2007/08", "all");
    assertTrue(r.<Boolean>getAs("is_suppressed"));
    assertEquals(9L, (long) r.getAs("n"));
    assertNull(r.getAs("estimate"));
    assertNull(r.getAs("lower_95"));
    assertEquals("fewer than 50 valid responses", r.getAs("suppression_reason"));
  }
}
