package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Correlations and regressions against sums worked out by hand. */
class CorrelationAndRegressionTest {
  private static final double TOL = 1e-12;

  @Test
  void pearsonAndSpearmanWithTies() {
    double[] x = {1, 2, 3, 4, 5};
    double[] y = {2, 4, 5, 4, 5};
    // Sxy = 6, Sxx = 10, Syy = 6.
    assertEquals(6 / Math.sqrt(60), Correlation.pearson(x, y), TOL);
    // Ranks of y with ties averaged: 1, 2.5, 4.5, 2.5, 4.5; Sxy = 7, Sxx = 10, Syy = 9.
    assertArrayEquals(new double[] {1, 2.5, 4.5, 2.5, 4.5}, Correlation.ranks(y), TOL);
    assertEquals(7 / Math.sqrt(90), Correlation.spearman(x, y), TOL);
  }

  @Test
  void fisherIntervalsBackTransformZ() {
    double z = 0.5 * Math.log(3);
    double q = 1.959963984540054;
    assertArrayEquals(new double[] {Math.tanh(z - q / 5), Math.tanh(z + q / 5)}, Correlation.fisherInterval(0.5, 28, 0.95, false),
        1e-12);
    double s = Math.sqrt(1.06 / 25);
    assertArrayEquals(new double[] {Math.tanh(z - q * s), Math.tanh(z + q * s)}, Correlation.fisherInterval(0.5, 28, 0.95, true),
        1e-12);
    assertThrows(IllegalArgumentException.class, () -> Correlation.fisherInterval(0.5, 3, 0.95, false));
  }

  @Test
  void olsWithClassicalStandardErrors() {
    // Slope Sxy / Sxx = 8 / 10, intercept 3 - 0.8 x 3; SSE 3.6 on 3 df; R^2 = 1 - 3.6 / 10.
    Regression.Fit fit = Regression.ols(new double[] {1, 3, 2, 5, 4}, new double[][] {{1}, {2}, {3}, {4}, {5}}, true, null, 0, 0.95);
    assertArrayEquals(new double[] {0.6, 0.8}, fit.coefficients(), 1e-12);
    double se = Math.sqrt(1.2 / 10);
    assertEquals(se, fit.standardErrors()[1], 1e-12);
    assertEquals(0.8 - 3.182446305284263 * se, fit.lower()[1], 1e-9);
    assertEquals(0.64, fit.rSquared(), 1e-12);
    assertEquals(3, fit.degreesOfFreedom());
  }

  @Test
  void clusterRobustStandardErrorsSumScoresWithinClusters() {
    // b = 19 / 10; residuals -0.9, 0.1, -0.8, 1.2; cluster scores -0.8 and 0.8; V = 1.28 / 100 x 2/1 x 3/3.
    Regression.Fit fit = Regression.ols(new double[] {1, 2, 3, 5}, new double[][] {{1}, {1}, {2}, {2}}, false,
        new String[] {"A", "A", "B", "B"}, 0, 0.95);
    assertEquals(1.9, fit.coefficients()[0], 1e-12);
    assertEquals(0.16, fit.standardErrors()[0], 1e-12);
    assertEquals(1, fit.degreesOfFreedom(), "G - 1");
    assertEquals(1.9 - 12.706204736174698 * 0.16, fit.lower()[0], 1e-9);
  }

  @Test
  void withinTransformationRemovesUnitEffects() {
    // y = 0.5 share + unit effect + year effect, exactly: the within fit returns 0.5.
    String[] units = {"a", "a", "a", "b", "b", "b", "c", "c", "c"};
    double[] share = {10, 12, 15, 20, 21, 25, 30, 34, 35};
    double[] unitEffect = {1, 1, 1, -2, -2, -2, 4, 4, 4};
    double[] yearEffect = {0, 0.3, 0.7, 0, 0.3, 0.7, 0, 0.3, 0.7};
    double[][] columns = new double[9][3];
    double[][] y = new double[9][1];
    for (int i = 0; i < 9; i++) {
      columns[i] = new double[] {share[i], i % 3 == 1 ? 1 : 0, i % 3 == 2 ? 1 : 0};
      y[i][0] = 0.5 * share[i] + unitEffect[i] + yearEffect[i];
    }
    double[][] xw = Regression.withinGroups(columns, units);
    double[][] yw = Regression.withinGroups(y, units);
    assertEquals(0, xw[0][0] + xw[1][0] + xw[2][0], 1e-12);
    double[] yv = {yw[0][0], yw[1][0], yw[2][0], yw[3][0], yw[4][0], yw[5][0], yw[6][0], yw[7][0], yw[8][0]};
    Regression.Fit fit = Regression.ols(yv, xw, false, units, 3, 0.95);
    assertEquals(0.5, fit.coefficients()[0], 1e-9);
    assertEquals(0.3, fit.coefficients()[1], 1e-9);
    assertEquals(0.7, fit.coefficients()[2], 1e-9);
  }
}
