package org.beacon.stats;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * The Clopper–Pearson "exact" interval (Clopper and Pearson 1934), from the beta quantiles
 * <pre>
 *   lower = B⁻¹(α/2; x, n − x + 1),   upper = B⁻¹(1 − α/2; x + 1, n − x)
 * </pre>
 * with lower = 0 at x = 0 and upper = 1 at x = n. Conservative: coverage is at least nominal. x and n
 * may be fractional (effective counts for weighted data).
 */
public final class ClopperPearson {
  private ClopperPearson() {}

  public static double lower(double x, double n, double confidence) {
    check(x, n, confidence);
    return x <= 0 ? 0.0 : new BetaDistribution(null, x, n - x + 1).inverseCumulativeProbability((1 - confidence) / 2);
  }

  public static double upper(double x, double n, double confidence) {
    check(x, n, confidence);
    return x >= n ? 1.0 : new BetaDistribution(null, x + 1, n - x).inverseCumulativeProbability(1 - (1 - confidence) / 2);
  }

  private static void check(double x, double n, double confidence) {
    Wilson.z(confidence);
    if (!(n > 0) || x < 0 || x > n) {
      throw new IllegalArgumentException("Clopper–Pearson needs 0 ≤ x ≤ n and n > 0, not x = " + x + ", n = " + n + ".");
    }
  }
}
