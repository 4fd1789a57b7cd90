package org.beacon.stats;

import java.util.List;

/**
 * Raking (iterative proportional fitting; Deming and Stephan 1940): weights are scaled margin by margin
 * until every margin's weighted totals match its population totals, then trimmed to
 * [lower, upper] × the mean weight and raked again, until both hold or the iterations run out.
 */
public final class Raking {
  /** One margin: each unit's category (0..k−1) and the population total of each category. */
  public record Margin(String name, int[] category, double[] target) {}

  /** The raked weights, whether the margins were met within the tolerance, and the iterations used. */
  public record Result(double[] weights, boolean converged, int iterations, double maxRelativeError) {
    /** Weighting efficiency n_eff / n (1 for equal weights). */
    public double efficiency() {
      return Kish.effectiveN(weights) / weights.length;
    }
  }

  private Raking() {}

  public static Result rake(double[] start, List<Margin> margins, double lowerTrim, double upperTrim, double tolerance,
      int maxIterations) {
    double[] w = start.clone();
    for (Margin m : margins) {
      double[] have = totals(w, m);
      for (int c = 0; c < m.target().length; c++) {
        if (m.target()[c] > 0 && have[c] == 0) {
          throw new IllegalArgumentException("Margin '" + m.name() + "' has a population in category " + c
              + " but no respondents there: collapse the category before raking.");
        }
      }
    }
    double error = Double.MAX_VALUE;
    int iteration = 0;
    while (iteration < maxIterations) {
      iteration++;
      for (Margin m : margins) {
        double[] have = totals(w, m);
        for (int i = 0; i < w.length; i++) {
          int c = m.category()[i];
          w[i] *= have[c] > 0 ? m.target()[c] / have[c] : 0;
        }
      }
      boolean trimmed = trim(w, lowerTrim, upperTrim);
      error = maxRelativeError(w, margins);
      if (error < tolerance && !trimmed) {
        return new Result(w, true, iteration, error);
      }
    }
    return new Result(w, false, iteration, error);
  }

  private static double[] totals(double[] w, Margin m) {
    double[] t = new double[m.target().length];
    for (int i = 0; i < w.length; i++) {
      t[m.category()[i]] += w[i];
    }
    return t;
  }

  /** Caps weights to [lower, upper] × mean; true when any weight moved. */
  private static boolean trim(double[] w, double lower, double upper) {
    double mean = 0;
    for (double v : w) {
      mean += v;
    }
    mean /= w.length;
    boolean moved = false;
    for (int i = 0; i < w.length; i++) {
      double capped = Math.min(upper * mean, Math.max(lower * mean, w[i]));
      if (Math.abs(capped - w[i]) > 1e-12 * mean) {
        w[i] = capped;
        moved = true;
      }
    }
    return moved;
  }

  private static double maxRelativeError(double[] w, List<Margin> margins) {
    double worst = 0;
    for (Margin m : margins) {
      double[] have = totals(w, m);
      for (int c = 0; c < have.length; c++) {
        if (m.target()[c] > 0) {
          worst = Math.max(worst, Math.abs(have[c] - m.target()[c]) / m.target()[c]);
        }
      }
    }
    return worst;
  }
}
