package org.beacon.stats;

/**
 * Kish's effective sample size for unequal weights (Kish 1965, section 11.7):
 * <pre>
 *   n_eff = (Σ w)² / Σ w²,   deff_w = n / n_eff = 1 + CV²(w)
 * </pre>
 * the sample size an equal-weight sample would need for the same precision, weighting alone considered.
 */
public final class Kish {
  private Kish() {}

  public static double effectiveN(double sumWeights, double sumSquaredWeights) {
    if (!(sumSquaredWeights > 0)) {
      throw new IllegalArgumentException("The sum of squared weights must be positive, not " + sumSquaredWeights + ".");
    }
    return sumWeights * sumWeights / sumSquaredWeights;
  }

  public static double effectiveN(double[] weights) {
    double s = 0;
    double s2 = 0;
    for (double w : weights) {
      if (w < 0) {
        throw new IllegalArgumentException("Weights must not be negative, not " + w + ".");
      }
      s += w;
      s2 += w * w;
    }
    return effectiveN(s, s2);
  }

  /** The weighting design effect n / n_eff. */
  public static double weightingDeff(double[] weights) {
    return weights.length / effectiveN(weights);
  }
}
