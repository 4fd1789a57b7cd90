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

  /**
   * The z of a difference read from its 95% and 99.8% intervals, so that p and the intervals say the same: the
   * difference is significant at 95% (99.8%) exactly when p &lt; 0.05 (0.002), which is exactly when that interval
   * excludes zero. {@code h95} and {@code h998} are the distances from the difference to each interval's bound on
   * the side of zero. The distance is taken as linear in the normal quantile through the two,
   * <pre>
   *   h(z) = a + b·z,   b = (h998 − h95) / (z998 − z95),   a = h95 − b·z95,
   * </pre>
   * and z is where h(z) = |d|, signed as d, for |d| at or beyond the 95% distance. Below it the distance is taken as
   * proportional, h(z) = z·h95 / z95 (Altman and Bland's own z = d / se with se = h95 / z95), so a difference of
   * zero has p = 1 and p falls continuously from there: the line through the two levels alone crosses zero at
   * z = −a / b, which is above zero where h998 / h95 &gt; z998 / z95 (as a MOVER interval's skew makes it), and gave a
   * tie of two equal estimates, whose difference was 1e-14 by rounding, p = 0.63. For a normal interval (h = z·se)
   * this is d / se, the z test; for a MOVER interval it follows the interval's own asymmetry (Altman and Bland 2011,
   * "How to obtain the P value from a confidence interval", BMJ 343:d2304, read from the side of zero and at two
   * levels). Where the two distances do not grow with the level (b ≤ 0) the 95% distance alone is used:
   * |z| = z95·|d| / h95.
   */
  public static double zFromIntervals(double difference, double h95, double h998) {
    double d = Math.abs(difference);
    if (d == 0) {
      return 0;
    }
    if (!(h95 > 0)) {
      return Math.copySign(Double.POSITIVE_INFINITY, difference);
    }
    double z95 = Wilson.z(Levels.P95);
    double z998 = Wilson.z(Levels.P998);
    double b = (h998 - h95) / (z998 - z95);
    double z = b > 0 && d >= h95 ? (d - (h95 - b * z95)) / b : z95 * d / h95;
    return Math.copySign(z, difference);
  }

  public static boolean isSignificant(double estimate1, double se1, double estimate2, double se2, double confidence) {
    return Math.abs(z(estimate1, se1, estimate2, se2)) > Wilson.z(confidence);
  }
}
