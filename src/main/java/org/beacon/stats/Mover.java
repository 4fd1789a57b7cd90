package org.beacon.stats;

/**
 * Confidence limits for a linear combination L = Σ c_i θ_i of independent estimates, recovered from each
 * estimate's own limits (l_i, u_i) by the method of variance estimates recovery (MOVER; Zou and Donner 2008,
 * "Construction of confidence limits about effect measures: a general approach", Statistics in Medicine 27):
 * <pre>
 *   lower = L − √Σ c_i² (θ_i − l_i*)²,   l_i* = l_i where c_i ≥ 0, u_i otherwise
 *   upper = L + √Σ c_i² (u_i* − θ_i)²,   u_i* = u_i where c_i ≥ 0, l_i otherwise
 * </pre>
 * With c = (1, −1) and Wilson limits this is Newcombe's hybrid score interval for a difference (Newcombe
 * 1998, method 10); with c_i = 1/m over m forces it is the interval of an unweighted MSF average. Because
 * each component keeps its own (asymmetric, bounded) limits, the result respects the Wilson behaviour
 * near 0% and 100% that a plain z test on standard errors loses.
 */
public final class Mover {
  private Mover() {}

  /** {estimate, lower, upper} of Σ c_i θ_i. */
  public static double[] linear(double[] c, double[] estimate, double[] lower, double[] upper) {
    if (c.length != estimate.length || c.length != lower.length || c.length != upper.length || c.length == 0) {
      throw new IllegalArgumentException("MOVER needs one coefficient, estimate and pair of limits per component.");
    }
    double sum = 0;
    double down = 0;
    double up = 0;
    for (int i = 0; i < c.length; i++) {
      if (!(lower[i] <= estimate[i] && estimate[i] <= upper[i])) {
        throw new IllegalArgumentException("Component " + i + " has limits (" + lower[i] + ", " + upper[i]
            + ") that do not contain its estimate " + estimate[i] + ".");
      }
      sum += c[i] * estimate[i];
      double below = c[i] >= 0 ? estimate[i] - lower[i] : upper[i] - estimate[i];
      double above = c[i] >= 0 ? upper[i] - estimate[i] : estimate[i] - lower[i];
      down += c[i] * c[i] * below * below;
      up += c[i] * c[i] * above * above;
    }
    return new double[] {sum, sum - Math.sqrt(down), sum + Math.sqrt(up)};
  }

  /** {θ1 − θ2, lower, upper}: the difference of two independent estimates. */
  public static double[] difference(double estimate1, double lower1, double upper1, double estimate2, double lower2,
      double upper2) {
    return linear(new double[] {1, -1}, new double[] {estimate1, estimate2}, new double[] {lower1, lower2},
        new double[] {upper1, upper2});
  }
}
