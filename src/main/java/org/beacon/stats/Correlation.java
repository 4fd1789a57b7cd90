package org.beacon.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Pearson's r and Spearman's rank correlation, with confidence intervals through Fisher's z = atanh(r):
 * z ± z_{1−α/2} · s, back-transformed with tanh; s = 1 / √(n − 3) for Pearson (Fisher 1921) and
 * √(1.06 / (n − 3)) for Spearman (Fieller, Hartley and Pearson 1957). Ranks of ties are averaged.
 */
public final class Correlation {
  private Correlation() {}

  public static double pearson(double[] x, double[] y) {
    check(x, y);
    double mx = Arrays.stream(x).average().orElseThrow();
    double my = Arrays.stream(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0 || syy == 0) {
      throw new IllegalArgumentException("A correlation needs both variables to vary.");
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  public static double spearman(double[] x, double[] y) {
    check(x, y);
    return pearson(ranks(x), ranks(y));
  }

  /** {lower, upper} of r at the confidence level; {@code spearman} selects the Fieller variance. */
  public static double[] fisherInterval(double r, int n, double confidence, boolean spearman) {
    if (n < 4) {
      throw new IllegalArgumentException("Fisher's z interval needs at least four pairs, not " + n + ".");
    }
    double z = 0.5 * Math.log((1 + r) / (1 - r));
    double s = Math.sqrt((spearman ? 1.06 : 1.0) / (n - 3));
    double q = Wilson.z(confidence);
    return new double[] {Math.tanh(z - q * s), Math.tanh(z + q * s)};
  }

  /** Ranks 1..n, ties given the mean of the ranks they span. */
  static double[] ranks(double[] v) {
    Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[order[k]] = rank;
      }
      i = j + 1;
    }
    return r;
  }

  private static void check(double[] x, double[] y) {
    if (x.length != y.length || x.length < 3) {
      throw new IllegalArgumentException("A correlation needs at least three pairs of values.");
    }
  }
}
