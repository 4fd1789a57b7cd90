package org.beacon.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * z test for the difference of two independent estimates that accounts for the uncertainty of both:
 * <pre>
 *   z = (θ1 − θ2) / √(se1² + se2²),   p = 2 (1 − Φ(|z|))
 * </pre>
 * as HMIC's Appendix 3 describes for a force against its MSF average or an earlier year.
 */
public final class DifferenceTest {
  private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

  private DifferenceTest() {}

  public static double z(double estimate1, double se1, double estimate2, double se2) {
    double se = Math.sqrt(se1 * se1 + se2 * se2);
    if (!(se > 0)) {
      throw new IllegalArgumentException("At least one standard error must be positive.");
    }
    return (estimate1 - estimate2) / se;
  }

  public static double pValue(double z) {
    return 2 * (1 - STANDARD_NORMAL.cumulativeProbability(Math.abs(z)));
  }

  public static boolean isSignificant(double estimate1, double se1, double estimate2, double se2, double confidence) {
    return Math.abs(z(estimate1, se1, estimate2, se2)) > Wilson.z(confidence);
  }
}
