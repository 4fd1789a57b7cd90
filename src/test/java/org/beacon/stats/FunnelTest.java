package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FunnelTest {
  private static final double Z95 = 1.959963984540054;

  /** Wilson score limits written out: (p + z²/2n ± z √(p(1−p)/n + z²/4n²)) / (1 + z²/n). */
  private static double[] wilson(double p, double n, double z) {
    double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
    return new double[] {centre - half, centre + half};
  }

  @Test
  void limitsAreTheWilsonIntervalOfTheOverallValueAtEachDenominator() {
    Funnel.Fit fit = Funnel.fit(new double[] {20, 30}, new double[] {100, 150}, Funnel.Overdispersion.NONE, 0.1);
    assertEquals(0.2, fit.target(), 1e-15);
    assertArrayEquals(new double[] {0.1333669, 0.2888292}, Funnel.limits(fit, 100, 0.95), 1e-7);
    assertArrayEquals(wilson(0.2, 2500, 3.090232306167813), Funnel.limits(fit, 2500, 0.998), 1e-12);
  }

  @Test
  void overdispersionIsEstimatedFromWinsorisedZScores() {
    double[] x = {10, 25, 40, 55, 12, 30, 48, 20, 35, 80};
    double[] n = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100};
    Funnel.Fit fit = Funnel.fit(x, n, Funnel.Overdispersion.MULTIPLICATIVE, 0.1);
    double p0 = Arrays.stream(x).sum() / Arrays.stream(n).sum();
    double s = Math.sqrt(p0 * (1 - p0) / 100);
    double[] z = Arrays.stream(x).map(v -> (v / 100 - p0) / s).sorted().toArray();
    // Type-7 quantiles at 10% and 90% of ten sorted values: between the 1st/2nd and the 9th/10th.
    double low = z[0] + 0.9 * (z[1] - z[0]);
    double high = z[8] + 0.1 * (z[9] - z[8]);
    double phi = Arrays.stream(z).map(v -> Math.min(high, Math.max(low, v))).map(v -> v * v).sum() / 10;
    assertEquals(phi, fit.phi(), 1e-12);
    double w = 1 / (s * s);
    double tau2 = (10 * phi - 9) / (10 * w - 10 * w * w / (10 * w));
    assertEquals(tau2, fit.tau2(), 1e-12);
    // Multiplicative: Wilson at n / phi; additive: normal limits with the extra variance.
    assertArrayEquals(wilson(p0, 100 / phi, Z95), Funnel.limits(fit, 100, 0.95), 1e-12);
    Funnel.Fit additive = Funnel.fit(x, n, Funnel.Overdispersion.ADDITIVE, 0.1);
    double half = Z95 * Math.sqrt(s * s + tau2);
    assertArrayEquals(new double[] {p0 - half, p0 + half}, Funnel.limits(additive, 100, 0.95), 1e-12);
  }

  @Test
  void significanceSaysWhichLimitAPointCrosses() {
    Funnel.Fit fit = Funnel.fit(new double[] {200}, new double[] {1000}, Funnel.Overdispersion.NONE, 0.1);
    assertEquals("not significant", Funnel.significance(fit, 21, 100));
    assertEquals("high at 95%", Funnel.significance(fit, 30, 100));
    assertEquals("high at 99.8%", Funnel.significance(fit, 36, 100));
    assertEquals("low at 95%", Funnel.significance(fit, 12, 100));
    assertEquals("low at 99.8%", Funnel.significance(fit, 8, 100));
  }

  @Test
  void withoutOverdispersionPhiIsNotApplied() {
    // Identical units: phi = 0, so the multiplicative limits fall back to the plain ones (phi is floored at 1).
    Funnel.Fit fit = Funnel.fit(new double[] {20, 20, 20}, new double[] {100, 100, 100}, Funnel.Overdispersion.MULTIPLICATIVE, 0.1);
    assertEquals(0, fit.phi(), 1e-15);
    assertArrayEquals(wilson(0.2, 100, Z95), Funnel.limits(fit, 100, 0.95), 1e-12);
    assertEquals(0, fit.tau2(), 0);
  }

  @Test
  void refusesImpossibleCounts() {
    assertThrows(IllegalArgumentException.class, () -> Funnel.fit(new double[] {5}, new double[] {0}, Funnel.Overdispersion.NONE, 0.1));
    assertThrows(IllegalArgumentException.class, () -> Funnel.fit(new double[] {11}, new double[] {10}, Funnel.Overdispersion.NONE, 0.1));
  }
}
