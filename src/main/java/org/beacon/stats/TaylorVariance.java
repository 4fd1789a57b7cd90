package org.beacon.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Design-based variance of a ratio estimator R = Σ w·y / Σ w·x by Taylor linearisation (Wolter 2007,
 * ch. 6; Lumley 2010, ch. 2), for stratified, clustered samples with primary sampling units treated as
 * drawn with replacement within strata, and a finite population correction where declared:
 * <pre>
 *   u_i  = w_i (y_i − R x_i) / Σ w x                      linearised values
 *   U_hj = Σ_{i in PSU j of stratum h} u_i                 PSU totals
 *   v(R) = Σ_h (1 − f_h) · n_h / (n_h − 1) · Σ_j (U_hj − Ū_h)²
 * </pre>
 * A proportion is the ratio with y = 1 for a positive answer and x = 1 for a valid one; a domain
 * (subgroup) estimate sets x = y = 0 outside the domain but keeps every PSU of the design. f_h is the
 * sampling fraction: given as a population count of PSUs (&gt; 1, f = n_h / N_h) or as a fraction (≤ 1; 1 is a
 * census stratum, which adds no variance), as R's survey package takes fpc. A stratum with one PSU is handled by {@link LonelyPsu}.
 */
public final class TaylorVariance {
  /** What to do with a stratum that has a single PSU (R survey's options of the same names). */
  public enum LonelyPsu { FAIL, CERTAINTY, ADJUST }

  /** Ratio estimate and its variance, with the counts the design effect needs. */
  public record Result(double estimate, double variance, long n, double sumWeights, int strata, int psus) {
    public double se() {
      return Math.sqrt(variance);
    }

    /** Degrees of freedom for t intervals: PSUs minus strata. */
    public int degreesOfFreedom() {
      return Math.max(1, psus - strata);
    }
  }

  private TaylorVariance() {}

  /**
   * @param stratum stratum of each unit (null or a single value for an unstratified design)
   * @param psu PSU of each unit, unique within its stratum (null: each unit is its own PSU)
   * @param fpc per unit, its stratum's population PSU count or sampling fraction (null: none)
   */
  public static Result ratio(double[] y, double[] x, double[] w, String[] stratum, String[] psu, double[] fpc, LonelyPsu lonely) {
    int n = w.length;
    double sumWx = 0;
    double sumWy = 0;
    double sumW = 0;
    long domain = 0;
    for (int i = 0; i < n; i++) {
      sumWx += w[i] * x[i];
      sumWy += w[i] * y[i];
      sumW += x[i] != 0 ? w[i] : 0;
      domain += x[i] != 0 ? 1 : 0;
    }
    if (!(sumWx > 0)) {
      throw new IllegalArgumentException("The weighted denominator is zero: no valid responses in this domain.");
    }
    double r = sumWy / sumWx;
    // PSU totals of the linearised values, grouped by stratum.
    Map<String, Map<String, Double>> totals = new LinkedHashMap<>();
    Map<String, Double> fraction = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String h = stratum == null ? "" : stratum[i];
      String j = psu == null ? String.valueOf(i) : psu[i];
      double u = w[i] * (y[i] - r * x[i]) / sumWx;
      totals.computeIfAbsent(h, k -> new LinkedHashMap<>()).merge(j, u, Double::sum);
      if (fpc != null) {
        fraction.put(h, fpc[i]);
      }
    }
    double grandMean = 0;
    int psuCount = 0;
    for (Map<String, Double> s : totals.values()) {
      for (double t : s.values()) {
        grandMean += t;
        psuCount++;
      }
    }
    grandMean /= psuCount;
    double variance = 0;
    for (Map.Entry<String, Map<String, Double>> e : totals.entrySet()) {
      Map<String, Double> s = e.getValue();
      int nh = s.size();
      double f = 0;
      if (fraction.containsKey(e.getKey())) {
        double v = fraction.get(e.getKey());
        f = v > 1 ? nh / v : v;
        if (f > 1) {
          throw new IllegalArgumentException("Stratum '" + e.getKey() + "' has more sampled PSUs (" + nh
              + ") than its population (" + v + ").");
        }
      }
      if (nh == 1) {
        switch (lonely) {
          case FAIL -> throw new IllegalArgumentException("Stratum '" + e.getKey() + "' has a single PSU; its variance "
              + "cannot be estimated (choose certainty or adjust).");
          case CERTAINTY -> { }
          case ADJUST -> {
            double d = s.values().iterator().next() - grandMean;
            variance += (1 - f) * d * d;
          }
        }
        continue;
      }
      double mean = s.values().stream().mapToDouble(Double::doubleValue).sum() / nh;
      double ss = 0;
      for (double t : s.values()) {
        ss += (t - mean) * (t - mean);
      }
      variance += (1 - f) * nh / (nh - 1.0) * ss;
    }
    return new Result(r, variance, domain, sumW, totals.size(), psuCount);
  }

  /**
   * Korn and Graubard's (1998) effective sample size for a proportion, p(1 − p) / v(p), truncated at the
   * respondents n (a design effect below 1 is taken as 1, as SAS SURVEYFREQ does by default): with few PSUs
   * the variance estimate can come out near zero by chance, and an n_eff many times n would give an interval
   * far narrower than the data support. Where the variance is zero (p = 0 or 1) the Kish n_eff is the fallback.
   */
  public static double effectiveN(double p, double variance, double kishEffectiveN, double n) {
    return variance > 0 && p > 0 && p < 1 ? Math.min(p * (1 - p) / variance, n) : kishEffectiveN;
  }

  private record Quantile(long df, double confidence) {}

  private static final Map<Quantile, Double> T_QUANTILES = new java.util.concurrent.ConcurrentHashMap<>();

  /** The two-sided t quantile t_{df, 1 − α/2} for the confidence 1 − α (df below 1 counts as 1), computed once per pair. */
  public static double tQuantile(long df, double confidence) {
    long d = Math.max(1, df);
    return T_QUANTILES.computeIfAbsent(new Quantile(d, confidence), k ->
        new org.apache.commons.math3.distribution.TDistribution(null, d).inverseCumulativeProbability(1 - (1 - confidence) / 2));
  }

  /**
   * Korn and Graubard's (1998) degrees-of-freedom adjustment of the design-effective n for an interval at the
   * given confidence:
   * <pre>
   *   n* = n_eff · (t_{n−1, 1−α/2} / t_{df, 1−α/2})²
   * </pre>
   * where df is the design's degrees of freedom (PSUs minus strata). With few PSUs the variance estimate is
   * itself uncertain, and the smaller n* widens a Wilson or Clopper–Pearson interval as a t quantile on df
   * widens a Wald interval. Where df ≥ n − 1 n_eff is returned unchanged.
   */
  public static double kornGraubardN(double nEff, long n, long df, double confidence) {
    if (df >= n - 1) {
      return nEff;
    }
    double ratio = tQuantile(n - 1, confidence) / tQuantile(df, confidence);
    return nEff * ratio * ratio;
  }
}
