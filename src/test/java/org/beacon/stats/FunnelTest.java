package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FunnelTest {
  private static final double Z95 = 1.959963984540054;
  private static final double Z998 = 3.090232306167813;

  /**
   * The limits are where an observed proportion falls when its true value is p0; they were the Wilson interval
   * of p0 (wrong way round). Spiegelhalter's example values by hand: p0 = 0.8, n = 100, 0.8 ± 1.96 × 0.04.
   */
  @Test
  void limitsAreTheRangeOfAnObservedProportionAroundTheTarget() {
    Funnel.Fit fit = Funnel.fit(new double[] {87, 713}, new double[] {100, 900}, Funnel.Overdispersion.NONE, 0.1);
    assertEquals(0.8, fit.target(), 1e-15);
    assertArrayEquals(new double[] {0.8 - Z95 * 0.04, 0.8 + Z95 * 0.04}, Funnel.limits(fit, 100, 0.95), 1e-12);
    assertArrayEquals(new double[] {0.7216, 0.8784}, Funnel.limits(fit, 100, 0.95), 5e-5);
    assertEquals("not significant", Funnel.significance(fit, 87, 100), "87/100: its Wilson interval (0.790, 0.922) holds 0.8");
    assertEquals("not significant", Funnel.significance(fit, 10, 10), "10/10: its Wilson interval (0.722, 1) holds 0.8");
    // Clamped to [0, 1] at small n.
    assertArrayEquals(new double[] {0.8 - Z998 * Math.sqrt(0.016), 1}, Funnel.limits(fit, 10, 0.998), 1e-12);
  }

  /**
   * The score-test duality, checked against Beacon's Wilson interval (itself checked against published values):
   * a unit is outside the funnel exactly when its own Wilson interval excludes p0, at every small n and count.
   */
  @Test
  void aUnitIsOutsideExactlyWhenItsWilsonIntervalExcludesTheTarget() {
    for (double p0 : new double[] {0.05, 0.3, 0.5, 0.8, 0.97}) {
      Funnel.Fit fit = Funnel.fit(new double[] {p0 * 1000}, new double[] {1000}, Funnel.Overdispersion.NONE, 0.1);
      for (int n = 1; n <= 60; n++) {
        for (int x = 0; x <= n; x++) {
          for (double confidence : new double[] {0.95, 0.998}) {
            double[] l = Funnel.limits(fit, n, confidence);
            double y = (double) x / n;
            boolean outside = y < l[0] || y > l[1];
            boolean excludes = p0 < Wilson.lower(x, n, confidence) || p0 > Wilson.upper(x, n, confidence);
            double margin = Math.min(Math.abs(p0 - Wilson.lower(x, n, confidence)), Math.abs(p0 - Wilson.upper(x, n, confidence)));
            if (margin > 1e-12) {
              assertEquals(excludes, outside, x + "/" + n + " against p0 = " + p0 + " at " + confidence);
            }
          }
        }
      }
    }
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
    // Multiplicative: the variance times phi; additive: the extra variance tau².
    double scaled = Z95 * Math.sqrt(phi * s * s);
    assertArrayEquals(new double[] {p0 - scaled, p0 + scaled}, Funnel.limits(fit, 100, 0.95), 1e-12);
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
    assertEquals("low at 99.8%", Funnel.significance(fit, 7, 100));
  }

  @Test
  void withoutOverdispersionPhiIsNotApplied() {
    // Identical units: phi = 0, so the multiplicative limits fall back to the plain ones (phi is floored at 1).
    Funnel.Fit fit = Funnel.fit(new double[] {20, 20, 20}, new double[] {100, 100, 100}, Funnel.Overdispersion.MULTIPLICATIVE, 0.1);
    assertEquals(0, fit.phi(), 1e-15);
    assertArrayEquals(new double[] {0.2 - Z95 * 0.04, 0.2 + Z95 * 0.04}, Funnel.limits(fit, 100, 0.95), 1e-12);
    assertEquals(0, fit.tau2(), 0);
  }

  @Test
  void refusesImpossibleCounts() {
    assertThrows(IllegalArgumentException.class, () -> Funnel.fit(new double[] {5}, new double[] {0}, Funnel.Overdispersion.NONE, 0.1));
    assertThrows(IllegalArgumentException.class, () -> Funnel.fit(new double[] {11}, new double[] {10}, Funnel.Overdispersion.NONE, 0.1));
  }
}
