package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FayHerriotTest {
  // Eight areas, intercept and one covariate.
  private static final double[] Y = {0.62, 0.71, 0.55, 0.80, 0.66, 0.74, 0.58, 0.69};
  private static final double[][] X = {{1, 0.1}, {1, 0.3}, {1, 0.0}, {1, 0.5}, {1, 0.2}, {1, 0.4}, {1, 0.1}, {1, 0.3}};

  @Test
  void withEqualSamplingVariancesRemlHasItsClosedForm() {
    // Balanced case: V = (σ² + ψ)I, so REML gives σ² + ψ = RSS / (m − p) from the OLS fit.
    double psi = 0.00005;
    double[] psis = new double[Y.length];
    java.util.Arrays.fill(psis, psi);
    FayHerriot.Result r = FayHerriot.fit(Y, psis, X);
    // OLS by hand: x̄ = 0.2375, ȳ = 0.66875; Sxx = Σ(x − x̄)², Sxy = Σ(x − x̄)(y − ȳ).
    double xbar = 0;
    double ybar = 0;
    for (int i = 0; i < Y.length; i++) {
      xbar += X[i][1] / Y.length;
      ybar += Y[i] / Y.length;
    }
    double sxx = 0;
    double sxy = 0;
    for (int i = 0; i < Y.length; i++) {
      sxx += (X[i][1] - xbar) * (X[i][1] - xbar);
      sxy += (X[i][1] - xbar) * (Y[i] - ybar);
    }
    double slope = sxy / sxx;
    double intercept = ybar - slope * xbar;
    double rss = 0;
    for (int i = 0; i < Y.length; i++) {
      double e = Y[i] - intercept - slope * X[i][1];
      rss += e * e;
    }
    double sigma2 = rss / (Y.length - 2) - psi;
    assertTrue(r.converged());
    assertEquals(sigma2, r.sigma2(), 1e-9);
    assertEquals(intercept, r.beta()[0], 1e-9);
    assertEquals(slope, r.beta()[1], 1e-9);
    double gamma = sigma2 / (sigma2 + psi);
    assertEquals(gamma * Y[3] + (1 - gamma) * (intercept + slope * 0.5), r.eblup()[3], 1e-9);
    // g1 + g2 + 2 g3 by hand for area 4.
    double g1 = gamma * psi;
    double lev = 1.0 / Y.length + (0.5 - xbar) * (0.5 - xbar) / sxx;
    double g2 = (1 - gamma) * (1 - gamma) * (sigma2 + psi) * lev;
    double g3 = psi * psi / Math.pow(sigma2 + psi, 3) * 2 * Math.pow(sigma2 + psi, 2) / Y.length;
    assertEquals(g1 + g2 + 2 * g3, r.mse()[3], 1e-12);
  }

  @Test
  void noBetweenAreaVariationShrinksFullyToTheRegression() {
    // Direct estimates lying exactly on a line: σ²_u = 0, γ = 0, EBLUP = the fitted line.
    double[] y = new double[X.length];
    double[] psi = new double[X.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = 0.5 + 0.4 * X[i][1];
      psi[i] = 0.001 * (1 + i % 3);
    }
    FayHerriot.Result r = FayHerriot.fit(y, psi, X);
    assertEquals(0.0, r.sigma2(), 1e-12);
    for (int i = 0; i < y.length; i++) {
      assertEquals(0.0, r.gamma()[i], 1e-12);
      assertEquals(y[i], r.eblup()[i], 1e-9);
      // With γ = 0 only the regression (g2) and the estimation of σ²_u (2·g3) contribute.
      assertTrue(r.mse()[i] > 0);
    }
  }

  @Test
  void unequalVariancesShrinkNoisierAreasMore() {
    double[] psi = {0.0002, 0.002, 0.0002, 0.002, 0.0002, 0.002, 0.0002, 0.002};
    FayHerriot.Result r = FayHerriot.fit(Y, psi, X);
    assertTrue(r.sigma2() > 0);
    assertTrue(r.gamma()[0] > r.gamma()[1]);
    // The noisy areas gain most: their model MSE is well below their sampling variance.
    for (int i = 1; i < Y.length; i += 2) {
      assertTrue(r.mse()[i] < psi[i], "area " + i + " mse " + r.mse()[i] + " psi " + psi[i]);
    }
  }
}
