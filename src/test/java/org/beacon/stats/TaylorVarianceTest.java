package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaylorVarianceTest {
  private static final double[] ONES = {1, 1, 1, 1, 1, 1, 1, 1};

  @Test
  void simpleRandomSampleGivesTheTextbookVariance() {
    // Equal weights, one stratum, each unit its own PSU: v(p) = p(1 − p) / (n − 1).
    double[] y = {1, 0, 1, 1, 0, 1, 0, 1};
    TaylorVariance.Result r = TaylorVariance.ratio(y, ONES, ONES, null, null, null, TaylorVariance.LonelyPsu.FAIL);
    assertEquals(5.0 / 8, r.estimate(), 1e-12);
    assertEquals((5.0 / 8) * (3.0 / 8) / 7, r.variance(), 1e-12);
  }

  /** Two strata of two and three PSUs, unequal weights, and a domain (x = 0 for units outside it). */
  private static final String[] STRATUM = {"A", "A", "A", "A", "B", "B", "B", "B", "B", "B"};
  private static final String[] PSU = {"a1", "a1", "a2", "a2", "b1", "b1", "b2", "b2", "b3", "b3"};
  private static final double[] W = {2, 2, 3, 1, 5, 4, 1, 1, 2, 6};
  private static final double[] Y = {1, 0, 1, 1, 0, 0, 1, 0, 1, 1};
  private static final double[] X = {1, 1, 1, 1, 1, 0, 1, 1, 1, 1};

  /**
   * The same variance by another route: the classical ratio formula from the design variances and
   * covariance of the estimated totals Ŷ and X̂ (Cochran 1977, 6.9), with PSU totals taken directly.
   */
  private static double independentRatioVariance(double fpcFractionB) {
    Map<String, Map<String, double[]>> psuTotals = new LinkedHashMap<>();
    double ty = 0;
    double tx = 0;
    for (int i = 0; i < W.length; i++) {
      double[] t = psuTotals.computeIfAbsent(STRATUM[i], k -> new LinkedHashMap<>()).computeIfAbsent(PSU[i], k -> new double[2]);
      t[0] += W[i] * Y[i];
      t[1] += W[i] * X[i];
      ty += W[i] * Y[i];
      tx += W[i] * X[i];
    }
    double r = ty / tx;
    double vy = 0;
    double vx = 0;
    double cxy = 0;
    for (Map.Entry<String, Map<String, double[]>> s : psuTotals.entrySet()) {
      int n = s.getValue().size();
      double my = s.getValue().values().stream().mapToDouble(t -> t[0]).average().orElseThrow();
      double mx = s.getValue().values().stream().mapToDouble(t -> t[1]).average().orElseThrow();
      double f = s.getKey().equals("B") ? fpcFractionB : 0;
      for (double[] t : s.getValue().values()) {
        double k = (1 - f) * n / (n - 1.0);
        vy += k * (t[0] - my) * (t[0] - my);
        vx += k * (t[1] - mx) * (t[1] - mx);
        cxy += k * (t[0] - my) * (t[1] - mx);
      }
    }
    return (vy - 2 * r * cxy + r * r * vx) / (tx * tx);
  }

  @Test
  void stratifiedClusteredDomainMatchesTheClassicalRatioFormula() {
    TaylorVariance.Result r = TaylorVariance.ratio(Y, X, W, STRATUM, PSU, null, TaylorVariance.LonelyPsu.FAIL);
    // Σwy = 2+3+1+1+2+6 = 15 over Σwx = 2+2+3+1+5+1+1+2+6 = 23.
    assertEquals(15.0 / 23, r.estimate(), 1e-12);
    assertEquals(independentRatioVariance(0), r.variance(), 1e-12);
    assertEquals(9, r.n());
    assertEquals(2, r.strata());
    assertEquals(5, r.psus());
    assertEquals(3, r.degreesOfFreedom());
  }

  @Test
  void finitePopulationCorrectionAsFractionOrPopulationCount() {
    double[] fraction = new double[W.length];
    double[] count = new double[W.length];
    for (int i = 0; i < W.length; i++) {
      fraction[i] = STRATUM[i].equals("B") ? 0.5 : 0;
      count[i] = STRATUM[i].equals("B") ? 6 : 1e12;
    }
    double expected = independentRatioVariance(0.5);
    assertEquals(expected, TaylorVariance.ratio(Y, X, W, STRATUM, PSU, fraction, TaylorVariance.LonelyPsu.FAIL).variance(), 1e-12);
    // 3 PSUs sampled of 6 in stratum B is the same fraction; stratum A's huge population makes f ≈ 0.
    assertEquals(expected, TaylorVariance.ratio(Y, X, W, STRATUM, PSU, count, TaylorVariance.LonelyPsu.FAIL).variance(), 1e-9);
  }

  /** fpc = 1 is a sampling fraction of one (R's survey package: a value ≤ 1 is a fraction), a census stratum: it adds no variance. */
  @Test
  void anFpcOfOneIsACensusStratum() {
    double[] census = new double[W.length];
    for (int i = 0; i < W.length; i++) {
      census[i] = STRATUM[i].equals("B") ? 1 : 0;
    }
    TaylorVariance.Result r = TaylorVariance.ratio(Y, X, W, STRATUM, PSU, census, TaylorVariance.LonelyPsu.FAIL);
    assertEquals(independentRatioVariance(1), r.variance(), 1e-15);
    assertTrue(r.variance() > 0 && r.variance() < independentRatioVariance(0), "stratum A still adds its variance");
    String[] one = {"A", "A", "A", "A", "B", "B", "B", "B", "B", "B"};
    String[] lonely = {"a1", "a1", "a2", "a2", "b1", "b1", "b1", "b1", "b1", "b1"};
    double[] censusOfOne = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
    assertEquals(TaylorVariance.ratio(Y, X, W, one, lonely, censusOfOne, TaylorVariance.LonelyPsu.CERTAINTY).variance(),
        TaylorVariance.ratio(Y, X, W, one, lonely, censusOfOne, TaylorVariance.LonelyPsu.ADJUST).variance(), 1e-15,
        "a census stratum of one PSU adds nothing, however lonely PSUs are treated");
  }

  @Test
  void aStratumWithOnePsuFailsOrFollowsTheChosenRule() {
    String[] stratum = {"A", "A", "A", "A", "B", "B"};
    String[] psu = {"a1", "a1", "a2", "a2", "b1", "b1"};
    double[] y = {1, 0, 1, 1, 0, 1};
    double[] one = {1, 1, 1, 1, 1, 1};
    assertThrows(IllegalArgumentException.class,
        () -> TaylorVariance.ratio(y, one, one, stratum, psu, null, TaylorVariance.LonelyPsu.FAIL));
    TaylorVariance.Result certainty = TaylorVariance.ratio(y, one, one, stratum, psu, null, TaylorVariance.LonelyPsu.CERTAINTY);
    TaylorVariance.Result adjust = TaylorVariance.ratio(y, one, one, stratum, psu, null, TaylorVariance.LonelyPsu.ADJUST);
    // p = 4/6; u_i = (y_i − p)/6; PSU totals a1 = (1/3 − 2/3)/6·… computed: a1 = −1/18, a2 = 2/18, b1 = −1/18.
    double a1 = ((1 - 4.0 / 6) + (0 - 4.0 / 6)) / 6;
    double a2 = ((1 - 4.0 / 6) + (1 - 4.0 / 6)) / 6;
    double b1 = ((0 - 4.0 / 6) + (1 - 4.0 / 6)) / 6;
    double stratumA = 2 * (Math.pow(a1 - (a1 + a2) / 2, 2) + Math.pow(a2 - (a1 + a2) / 2, 2));
    assertEquals(stratumA, certainty.variance(), 1e-12);
    double grand = (a1 + a2 + b1) / 3;
    assertEquals(stratumA + Math.pow(b1 - grand, 2), adjust.variance(), 1e-12);
  }

  @Test
  void kornGraubardEffectiveN() {
    assertEquals(0.25 / 0.0005, TaylorVariance.effectiveN(0.5, 0.0005, 300, 1000), 1e-9);
    assertEquals(400, TaylorVariance.effectiveN(0.5, 0.0005, 300, 400), 1e-12, "a design effect below 1 counts as 1");
    assertEquals(300, TaylorVariance.effectiveN(1.0, 0.0, 300, 1000), 1e-12);
  }

  @Test
  void kornGraubardScalesTheEffectiveNByTheTRatioOnTheDesignsDegreesOfFreedom() {
    // Published quantiles: t_{30, 0.975} = 2.042272456, t_{10, 0.975} = 2.228138852 (any t table).
    double ratio = 2.042272456 / 2.228138852;
    assertEquals(100 * ratio * ratio, TaylorVariance.kornGraubardN(100, 31, 10, 0.95), 1e-6);
    assertEquals(2.228138852, TaylorVariance.tQuantile(10, 0.95), 1e-9);
    assertEquals(100, TaylorVariance.kornGraubardN(100, 31, 30, 0.95), 1e-12, "df = n - 1: no adjustment");
    assertTrue(TaylorVariance.kornGraubardN(100, 31, 10, 0.998) < TaylorVariance.kornGraubardN(100, 31, 10, 0.95),
        "the adjustment grows with the confidence level");
  }
}
