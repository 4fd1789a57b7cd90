package org.beacon.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; Newcombe 1998a, method 3).
 *
 * <pre>
 *   p = x / n,   z = Φ⁻¹(1 − α/2)
 *   centre    = (p + z²/2n) / (1 + z²/n)
 *   halfWidth = z / (1 + z²/n) · √( p(1 − p)/n + z²/4n² )
 * </pre>
 *
 * x and n may be fractional: for weighted data pass the weighted positive share times the Kish
 * effective sample size (Kish 1965; Korn and Graubard 1998). Unlike the Wald interval it stays
 * inside [0, 1] and keeps close to nominal coverage at p near 0 or 1 and for small n.
 */
public final class Wilson {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private Wilson() {}

  // The marts ask for the same two or three levels millions of times; the inverse normal is costly.
  private static final java.util.Map<Double, Double> CRITICAL_VALUES = new java.util.concurrent.ConcurrentHashMap<>();

  /** Two-sided critical value z for a confidence level such as 0.95 or 0.998. */
  public static double z(double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("The confidence level must lie strictly between 0 and 1, not " + confidence + ".");
    }
    return CRITICAL_VALUES.computeIfAbsent(confidence, c -> STANDARD_NORMAL.inverseCumulativeProbability(1 - (1 - c) / 2));
  }

  public static double lower(double x, double n, double confidence) {
    return bound(x, n, confidence, -1);
  }

  public static double upper(double x, double n, double confidence) {
    return bound(x, n, confidence, +1);
  }

  private static double bound(double x, double n, double confidence, int sign) {
    if (!(n > 0)) {
      throw new IllegalArgumentException("The sample size n must be positive, not " + n + ".");
    }
    if (x < 0 || x > n) {
      throw new IllegalArgumentException("The count x must lie between 0 and n (" + n + "), not " + x + ".");
    }
    // The closed forms at the ends: rounding in the general formula would leave 1 − 1e-16 instead of 1.
    if (sign > 0 && x >= n) {
      return 1.0;
    }
    if (sign < 0 && x <= 0) {
      return 0.0;
    }
    double z = z(confidence);
    double p = x / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double halfWidth = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return Math.min(1.0, Math.max(0.0, centre + sign * halfWidth));
  }
}
