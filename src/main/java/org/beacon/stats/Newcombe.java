package org.beacon.stats;

/**
 * Interval for the difference of two independent proportions p1 − p2 by Newcombe's hybrid score
 * method (Newcombe 1998, "Interval estimation for the difference between independent proportions",
 * method 10), built from each proportion's Wilson interval (l1, u1) and (l2, u2):
 * <pre>
 *   lower = (p1 − p2) − √((p1 − l1)² + (u2 − p2)²)
 *   upper = (p1 − p2) + √((u1 − p1)² + (p2 − l2)²)
 * </pre>
 * For weighted estimates pass effective counts (p × n_eff, n_eff).
 */
public final class Newcombe {
  private Newcombe() {}

  public static double lower(double x1, double n1, double x2, double n2, double confidence) {
    return interval(x1, n1, x2, n2, confidence)[1];
  }

  public static double upper(double x1, double n1, double x2, double n2, double confidence) {
    return interval(x1, n1, x2, n2, confidence)[2];
  }

  /** {p1 − p2, lower, upper}: the MOVER difference of the two Wilson intervals ({@link Mover}). */
  public static double[] interval(double x1, double n1, double x2, double n2, double confidence) {
    return Mover.difference(x1 / n1, Wilson.lower(x1, n1, confidence), Wilson.upper(x1, n1, confidence), x2 / n2,
        Wilson.lower(x2, n2, confidence), Wilson.upper(x2, n2, confidence));
  }
}
