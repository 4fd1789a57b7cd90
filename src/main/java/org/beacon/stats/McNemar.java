package org.beacon.stats;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * McNemar's test for paired proportions (McNemar 1947): with b respondents moving from positive to
 * negative between two waves and c moving the other way,
 * <pre>
 *   χ² = (|b − c| − 1)² / (b + c)     (Edwards' continuity correction; without it, (b − c)² / (b + c))
 * </pre>
 * on one degree of freedom; the exact version is the two-sided binomial test of b against Bin(b + c, ½).
 */
public final class McNemar {
  private McNemar() {}

  public static double statistic(long b, long c, boolean continuityCorrection) {
    if (b + c == 0) {
      return 0;
    }
    double d = Math.abs(b - c) - (continuityCorrection ? 1 : 0);
    d = Math.max(d, 0);
    return d * d / (b + c);
  }

  public static double pValue(long b, long c, boolean continuityCorrection) {
    if (b + c == 0) {
      return 1;
    }
    return 1 - new ChiSquaredDistribution(null, 1).cumulativeProbability(statistic(b, c, continuityCorrection));
  }

  public static double exactPValue(long b, long c) {
    int n = Math.toIntExact(b + c);
    if (n == 0) {
      return 1;
    }
    return Math.min(1.0, 2 * new BinomialDistribution(null, n, 0.5).cumulativeProbability((int) Math.min(b, c)));
  }
}
