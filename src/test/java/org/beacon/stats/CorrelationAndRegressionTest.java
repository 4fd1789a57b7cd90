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

  /**
   * NIST StRD "Longley" (higher difficulty): certified coefficients and standard deviations to 15 digits. The
   * coefficients must agree to 1e-9 relative and the standard deviations to 1e-11 relative (with (X'X)⁻¹
   * from an LU inverse of X'X they agreed to about 9 digits only).
   */
  @Test
  void longleyMatchesNistCertifiedValues() {
    double[][] data = {
        {60323, 83.0, 234289, 2356, 1590, 107608, 1947}, {61122, 88.5, 259426, 2325, 1456, 108632, 1948},
        {60171, 88.2, 258054, 3682, 1616, 109773, 1949}, {61187, 89.5, 284599, 3351, 1650, 110929, 1950},
        {63221, 96.2, 328975, 2099, 3099, 112075, 1951}, {63639, 98.1, 346999, 1932, 3594, 113270, 1952},
        {64989, 99.0, 365385, 1870, 3547, 115094, 1953}, {63761, 100.0, 363112, 3578, 3350, 116219, 1954},
        {66019, 101.2, 397469, 2904, 3048, 117388, 1955}, {67857, 104.6, 419180, 2822, 2857, 118734, 1956},
        {68169, 108.4, 442769, 2936, 2798, 120445, 1957}, {66513, 110.8, 444546, 4681, 2637, 121950, 1958},
        {68655, 112.6, 482704, 3813, 2552, 123366, 1959}, {69564, 114.2, 502601, 3931, 2514, 125368, 1960},
        {69331, 115.7, 518173, 4806, 2572, 127852, 1961}, {70551, 116.9, 554894, 4007, 2827, 130081, 1962}};
    double[] y = new double[data.length];
    double[][] x = new double[data.length][6];
    for (int i = 0; i < data.length; i++) {
      y[i] = data[i][0];
      System.arraycopy(data[i], 1, x[i], 0, 6);
    }
    double[] beta = {-3482258.63459582, 15.0618722713733, -0.358191792925910E-01, -2.02022980381683, -1.03322686717359,
        -0.511041056535807E-01, 1829.15146461355};
    double[] sd = {890420.383607373, 84.9149257747669, 0.334910077722432E-01, 0.488399681651699, 0.214274163161675,
        0.226073200069370, 455.478499142212};
    Regression.Fit fit = Regression.ols(y, x, true, null, 0, 0.95);
    for (int j = 0; j < beta.length; j++) {
      assertEquals(beta[j], fit.coefficients()[j], 1e-9 * Math.abs(beta[j]), "coefficient " + j);
      assertEquals(sd[j], fit.standardErrors()[j], 1e-11 * sd[j], "standard deviation " + j);
    }
    assertEquals(0.995479004577296, fit.rSquared(), 1e-12);
  }
}
