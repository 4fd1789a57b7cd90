package org.beacon.stats;

import java.util.Arrays;

/**
 * Funnel-plot control limits for proportions (Spiegelhalter 2005, "Funnel plots for comparing institutional
 * performance", Statistics in Medicine 24; Public Health England, "Technical guide: confidence intervals",
 * 2018). Units with events x_i of denominators n_i are compared with the overall value p0 = Σx / Σn.
 *
 * <p>The control limits at denominator n are the range an observed proportion falls in when its true value
 * is p0: p0 ± z √(p0(1 − p0) / n), clamped to [0, 1] (Spiegelhalter 2005, section 3; the score test, so a unit
 * lies outside them exactly when its own Wilson interval excludes p0, as PHEindicatormethods'
 * calculate_funnel_limits draws proportion funnels). Overdispersion (more spread between units than sampling
 * explains) is estimated from the units' z-scores z_i = (y_i − p0) / s_i, s_i² = p0(1 − p0) / n_i,
 * winsorised at the given tail share, φ = Σ z_w² / k:
 * <ul>
 *   <li>multiplicative: variances scaled by φ (when φ &gt; 1): p0 ± z √(φ p0(1 − p0) / n);
 *   <li>additive (random effects): τ² = max(0, (k φ − (k − 1)) / (Σ w_i − Σ w_i² / Σ w_i)), w_i = 1 / s_i², and
 *       p0 ± z √(s² + τ²);
 * </ul>
 * both clamped to [0, 1].
 */
public final class Funnel {
  public enum Overdispersion { NONE, MULTIPLICATIVE, ADDITIVE }

  /** The centre line, the adjustment and its estimates (φ and τ² are reported whatever the method used). */
  public record Fit(double target, Overdispersion method, double phi, double tau2, int units) {}

  private Funnel() {}

  public static Fit fit(double[] events, double[] denominators, Overdispersion method, double winsorTail) {
    int k = events.length;
    if (k == 0 || denominators.length != k) {
      throw new IllegalArgumentException("A funnel needs at least one unit, each with events and a denominator.");
    }
    double x = 0;
    double n = 0;
    for (int i = 0; i < k; i++) {
      if (!(denominators[i] > 0) || events[i] < 0 || events[i] > denominators[i]) {
        throw new IllegalArgumentException("Unit " + i + " has " + events[i] + " events of " + denominators[i]
            + "; events must lie between 0 and a positive denominator.");
      }
      x += events[i];
      n += denominators[i];
    }
    double p0 = x / n;
    double phi = 1;
    double tau2 = 0;
    if (p0 > 0 && p0 < 1 && k > 1) {
      double[] z = new double[k];
      double sumW = 0;
      double sumW2 = 0;
      for (int i = 0; i < k; i++) {
        double s2 = p0 * (1 - p0) / denominators[i];
        z[i] = (events[i] / denominators[i] - p0) / Math.sqrt(s2);
        sumW += 1 / s2;
        sumW2 += 1 / (s2 * s2);
      }
      double[] sorted = z.clone();
      Arrays.sort(sorted);
      double low = quantile(sorted, winsorTail);
      double high = quantile(sorted, 1 - winsorTail);
      double ss = 0;
      for (double zi : z) {
        double w = Math.min(high, Math.max(low, zi));
        ss += w * w;
      }
      phi = ss / k;
      tau2 = Math.max(0, (k * phi - (k - 1)) / (sumW - sumW2 / sumW));
    }
    return new Fit(p0, method, phi, tau2, k);
  }

  /** {lower, upper} control limits at denominator n. */
  public static double[] limits(Fit fit, double n, double confidence) {
    double p0 = fit.target();
    double variance = switch (fit.method()) {
      case MULTIPLICATIVE -> Math.max(1, fit.phi()) * p0 * (1 - p0) / n;
      case ADDITIVE -> p0 * (1 - p0) / n + fit.tau2();
      case NONE -> p0 * (1 - p0) / n;
    };
    double half = Wilson.z(confidence) * Math.sqrt(variance);
    return new double[] {Math.max(0, p0 - half), Math.min(1, p0 + half)};
  }

  /** "high at 99.8%", "high at 95%", "low at 95%", "low at 99.8%" or "not significant". */
  public static String significance(Fit fit, double events, double denominator) {
    double y = events / denominator;
    double[] l95 = limits(fit, denominator, Levels.P95);
    double[] l998 = limits(fit, denominator, Levels.P998);
    if (y > l998[1]) {
      return "high at 99.8%";
    }
    if (y < l998[0]) {
      return "low at 99.8%";
    }
    if (y > l95[1]) {
      return "high at 95%";
    }
    return y < l95[0] ? "low at 95%" : "not significant";
  }

  /** Linear-interpolation quantile of sorted values (type 7, as R's default). */
  private static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
