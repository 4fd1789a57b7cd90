package org.beacon.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Shewhart control charts and the rules that tell a signal from noise (Montgomery, "Introduction to
 * Statistical Quality Control"; Laney 2002, "Improved control charts for attributes"; Anhøj and Olesen
 * 2014, "Run charts revisited"; Anhøj 2015, "Diagnostic value of run chart analysis").
 *
 * <p>The first {@code baseline} points (all when 0) fix the centre line and sigma; later points are judged
 * against the frozen values.
 * <ul>
 *   <li>i (individuals): CL = mean x; sigma = mean moving range / 1.128 (d2 for n = 2); limits CL ± 3 sigma.
 *       Screened (the default, as qicharts2 and NHS England's "Making Data Count" do, after Nelson 1982): moving
 *       ranges above 3.267 × their mean are left out and the mean taken again, so that one large jump does not
 *       widen every limit.
 *   <li>mr (moving ranges |x_i − x_{i−1}|): CL = mean MR; UCL = 3.267 mean MR (D4); LCL = 0.
 *   <li>c (counts): CL = mean c; sigma = √CL.
 *   <li>u (rates c_i / n_i): CL = Σc / Σn; sigma_i = √(CL / n_i).
 *   <li>p (proportions x_i / n_i): CL = Σx / Σn; sigma_i = √(CL (1 − CL) / n_i).
 *   <li>pp (Laney p′): as p, with sigma_i multiplied by sigma_z, the mean moving range of the standardised
 *       z_i = (p_i − CL) / sigma_i over 1.128 (screened as for i), for large denominators where p limits are
 *       too tight.
 * </ul>
 * Lower limits of c, u, p and pp charts stop at 0 (and upper limits of p charts at 1).
 */
public final class ControlChart {
  public enum Type { I, MR, C, U, P, PP }

  public enum Rules { WESTERN_ELECTRIC, ANHOEJ }

  /** One point: the plotted value, centre line, limits, and the names of the rules it breaks. */
  public record Point(int index, double value, double centre, double lower, double upper, List<String> rules) {
    public boolean isSignal() {
      return !rules.isEmpty();
    }
  }

  private static final double D2 = 1.128;
  private static final double D4 = 3.267;

  private ControlChart() {}

  /**
   * The chart of a series: values are counts or measurements; denominators (u, p, pp) the sample sizes.
   * The mr chart has one point fewer than the series (the first value has no moving range).
   */
  public static List<Point> chart(Type type, double[] values, double[] denominators, int baseline, Rules rules,
      boolean screenMovingRanges) {
    int n = values.length;
    if (n == 0) {
      throw new IllegalArgumentException("A control chart needs at least one point.");
    }
    boolean rated = type == Type.U || type == Type.P || type == Type.PP;
    if (rated && (denominators == null || denominators.length != n)) {
      throw new IllegalArgumentException("A " + type.name().toLowerCase() + " chart needs a denominator for every point.");
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(values[i]) || (rated && !(denominators[i] > 0))) {
        throw new IllegalArgumentException("Point " + (i + 1) + " has no usable value or denominator.");
      }
      if ((type == Type.P || type == Type.PP) && (values[i] < 0 || values[i] > denominators[i])) {
        throw new IllegalArgumentException("Point " + (i + 1) + " has " + values[i] + " events of " + denominators[i] + ".");
      }
    }
    int base = baseline <= 0 || baseline > n ? n : baseline;
    double[] plotted = new double[n];
    double[] centre = new double[n];
    double[] sigma = new double[n];
    double floor = Double.NEGATIVE_INFINITY;
    double ceiling = Double.POSITIVE_INFINITY;
    switch (type) {
      case I -> {
        double cl = mean(values, 0, base);
        double s = meanMovingRange(values, base, screenMovingRanges) / D2;
        for (int i = 0; i < n; i++) {
          plotted[i] = values[i];
          centre[i] = cl;
          sigma[i] = s;
        }
      }
      case MR -> {
        if (n < 2) {
          throw new IllegalArgumentException("A moving-range chart needs at least two values.");
        }
        double[] mr = new double[n - 1];
        for (int i = 1; i < n; i++) {
          mr[i - 1] = Math.abs(values[i] - values[i - 1]);
        }
        double cl = mean(mr, 0, Math.max(1, base - 1));
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < mr.length; i++) {
          List<String> broken = new ArrayList<>();
          if (mr[i] > D4 * cl) {
            broken.add("one point beyond the upper limit");
          }
          out.add(new Point(i + 1, mr[i], cl, 0, D4 * cl, broken));
        }
        return out;
      }
      case C -> {
        double cl = mean(values, 0, base);
        for (int i = 0; i < n; i++) {
          plotted[i] = values[i];
          centre[i] = cl;
          sigma[i] = Math.sqrt(cl);
        }
        floor = 0;
      }
      case U, P, PP -> {
        double cl = sum(values, 0, base) / sum(denominators, 0, base);
        for (int i = 0; i < n; i++) {
          plotted[i] = values[i] / denominators[i];
          centre[i] = cl;
          sigma[i] = type == Type.U ? Math.sqrt(cl / denominators[i]) : Math.sqrt(cl * (1 - cl) / denominators[i]);
        }
        if (type == Type.PP) {
          double[] z = new double[n];
          for (int i = 0; i < n; i++) {
            z[i] = sigma[i] > 0 ? (plotted[i] - cl) / sigma[i] : 0;
          }
          double sigmaZ = base > 1 ? meanMovingRange(z, base, screenMovingRanges) / D2 : 1;
          for (int i = 0; i < n; i++) {
            sigma[i] *= sigmaZ;
          }
        }
        floor = 0;
        ceiling = type == Type.U ? Double.POSITIVE_INFINITY : 1;
      }
      default -> throw new IllegalStateException(type.name());
    }
    List<List<String>> broken = rules == Rules.ANHOEJ ? anhoej(plotted, centre) : westernElectric(plotted, centre, sigma);
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Point(i, plotted[i], centre[i], Math.max(floor, centre[i] - 3 * sigma[i]),
          Math.min(ceiling, centre[i] + 3 * sigma[i]), broken.get(i)));
    }
    return out;
  }

  /**
   * Western Electric rules on z_i = (x_i − CL) / sigma_i: (1) one point beyond 3 sigma; (2) two of three in a
   * row beyond 2 sigma on one side; (3) four of five in a row beyond 1 sigma on one side; (4) eight in a row
   * on one side of the centre line. Every point of a pattern that breaks a rule is marked with it.
   */
  static List<List<String>> westernElectric(double[] x, double[] centre, double[] sigma) {
    int n = x.length;
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = sigma[i] > 0 ? (x[i] - centre[i]) / sigma[i] : 0;
    }
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      if (Math.abs(z[i]) > 3) {
        out.get(i).add("one point beyond 3 sigma");
      }
    }
    windowRule(z, 3, 2, 2, "two of three beyond 2 sigma", out);
    windowRule(z, 5, 4, 1, "four of five beyond 1 sigma", out);
    windowRule(z, 8, 8, 0, "eight in a row on one side", out);
    return out;
  }

  /** Marks the points beyond {@code zone} on one side in any window of {@code size} that holds at least {@code needed}. */
  private static void windowRule(double[] z, int size, int needed, double zone, String name, List<List<String>> out) {
    for (int side : new int[] {1, -1}) {
      for (int start = 0; start + size <= z.length; start++) {
        int count = 0;
        for (int i = start; i < start + size; i++) {
          count += side * z[i] > zone ? 1 : 0;
        }
        if (count >= needed) {
          for (int i = start; i < start + size; i++) {
            if (side * z[i] > zone && !out.get(i).contains(name)) {
              out.get(i).add(name);
            }
          }
        }
      }
    }
  }

  /**
   * Anhøj's rules on the points not on the centre line (n of them): the longest run on one side is a signal
   * when longer than round(log2 n + 3); the number of crossings when fewer than the 5th percentile of
   * Binomial(n − 1, 0.5). The longest run's points, or every point for too few crossings, are marked.
   */
  static List<List<String>> anhoej(double[] x, double[] centre) {
    int n = x.length;
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    int[] side = new int[n];
    int useful = 0;
    for (int i = 0; i < n; i++) {
      side[i] = Double.compare(x[i], centre[i]);
      useful += side[i] != 0 ? 1 : 0;
    }
    if (useful < 2) {
      return out;
    }
    int longest = 0;
    int longestEnd = -1;
    int run = 0;
    int last = 0;
    int crossings = 0;
    for (int i = 0; i < n; i++) {
      if (side[i] == 0) {
        continue;
      }
      if (side[i] == last) {
        run++;
      } else {
        if (last != 0) {
          crossings++;
        }
        run = 1;
        last = side[i];
      }
      if (run > longest) {
        longest = run;
        longestEnd = i;
      }
    }
    int maxRun = (int) Math.round(Math.log(useful) / Math.log(2) + 3);
    int minCrossings = new BinomialDistribution(null, useful - 1, 0.5).inverseCumulativeProbability(0.05);
    if (longest > maxRun) {
      String name = "longest run " + longest + " > " + maxRun;
      int marked = 0;
      for (int i = longestEnd; i >= 0 && marked < longest; i--) {
        if (side[i] != 0) {
          out.get(i).add(name);
          marked++;
        }
      }
    }
    if (crossings < minCrossings) {
      String name = "crossings " + crossings + " < " + minCrossings;
      out.forEach(l -> l.add(name));
    }
    return out;
  }

  private static double mean(double[] v, int from, int to) {
    return sum(v, from, to) / (to - from);
  }

  private static double sum(double[] v, int from, int to) {
    return Arrays.stream(v, from, to).sum();
  }

  /** The mean of the first {@code to} values' moving ranges; screened, without those above D4 times it. */
  private static double meanMovingRange(double[] v, int to, boolean screened) {
    if (to < 2) {
      return 0;
    }
    double[] mr = new double[to - 1];
    for (int i = 1; i < to; i++) {
      mr[i - 1] = Math.abs(v[i] - v[i - 1]);
    }
    double mean = mean(mr, 0, mr.length);
    if (!screened) {
      return mean;
    }
    double limit = D4 * mean;
    return Arrays.stream(mr).filter(r -> r < limit).average().orElse(mean);
  }
}
