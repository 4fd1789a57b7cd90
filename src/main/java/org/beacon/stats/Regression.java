package org.beacon.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * Ordinary least squares (commons-math's QR-based OLSMultipleLinearRegression for the coefficients, R² and
 * (X'X)⁻¹), with either the classical standard errors on n − k degrees of freedom or cluster-robust ones
 * (Liang and Zeger 1986; the CR1 small-sample factor G/(G − 1) · (n − 1)/(n − k) as Stata uses it) on
 * G − 1 degrees of freedom:
 * <pre>
 *   V = (X'X)⁻¹ (Σ_g X_g' û_g û_g' X_g) (X'X)⁻¹ · G/(G − 1) · (n − 1)/(n − k)
 * </pre>
 * {@link #withinGroups} is the fixed-effects (within) transformation: each column minus its group mean,
 * so that unit effects drop out and the slope is estimated from change within units (Wooldridge 2010, ch. 10).
 */
public final class Regression {
  /** Coefficients in column order, with standard errors, confidence limits and p values. */
  public record Fit(double[] coefficients, double[] standardErrors, double[] lower, double[] upper, double[] pValues,
      double rSquared, int n, int k, int clusters, int degreesOfFreedom) {}

  private Regression() {}

  /**
   * Fits y on the columns of x (rows are observations). With {@code intercept} a constant is added as the
   * first coefficient. With {@code clusters} (one label per row) the standard errors are cluster-robust.
   * {@code absorbed} counts parameters removed before the fit (unit effects swept out by the within
   * transformation) that the classical degrees of freedom must still pay for.
   */
  public static Fit ols(double[] y, double[][] x, boolean intercept, String[] clusters, int absorbed, double confidence) {
    int n = y.length;
    int p = x.length == 0 ? 0 : x[0].length;
    int k = p + (intercept ? 1 : 0);
    if (n <= k + absorbed) {
      throw new IllegalArgumentException("A regression with " + (k + absorbed) + " parameters needs more than " + n
          + " observations.");
    }
    OLSMultipleLinearRegression model = new OLSMultipleLinearRegression();
    model.setNoIntercept(!intercept);
    model.newSampleData(y, x);
    double[] beta = model.estimateRegressionParameters();
    double[] residuals = model.estimateResiduals();
    double rSquared = intercept ? model.calculateRSquared() : uncenteredRSquared(y, residuals);
    double[][] design = new double[n][k];
    for (int i = 0; i < n; i++) {
      if (intercept) {
        design[i][0] = 1;
      }
      System.arraycopy(x[i], 0, design[i], intercept ? 1 : 0, p);
    }
    // (X'X)⁻¹ = R⁻¹R⁻ᵀ from the fit's QR decomposition: inverting X'X itself squares its condition number and
    // loses digits (NIST's Longley data: 9 digits of the standard errors instead of 12 or more).
    RealMatrix bread = new Array2DRowRealMatrix(model.estimateRegressionParametersVariance(), false);
    RealMatrix v;
    int df;
    int groups = 0;
    if (clusters == null) {
      double sse = 0;
      for (double r : residuals) {
        sse += r * r;
      }
      df = n - k - absorbed;
      v = bread.scalarMultiply(sse / df);
    } else {
      java.util.Map<String, RealVector> scores = new java.util.LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        RealVector row = new ArrayRealVector(design[i]).mapMultiply(residuals[i]);
        scores.merge(clusters[i], row, RealVector::add);
      }
      groups = scores.size();
      if (groups < 2) {
        throw new IllegalArgumentException("Cluster-robust standard errors need at least two clusters.");
      }
      RealMatrix meat = new Array2DRowRealMatrix(k, k);
      for (RealVector s : scores.values()) {
        meat = meat.add(s.outerProduct(s));
      }
      // Absorbed unit effects are nested in the clusters, so the factor does not count them (as xtreg, fe does).
      double factor = (double) groups / (groups - 1) * (n - 1.0) / (n - k);
      v = bread.multiply(meat).multiply(bread).scalarMultiply(factor);
      df = groups - 1;
    }
    TDistribution dist = new TDistribution(null, df);
    double t = dist.inverseCumulativeProbability(1 - (1 - confidence) / 2);
    double[] se = new double[k];
    double[] lower = new double[k];
    double[] upper = new double[k];
    double[] pv = new double[k];
    for (int j = 0; j < k; j++) {
      se[j] = Math.sqrt(v.getEntry(j, j));
      lower[j] = beta[j] - t * se[j];
      upper[j] = beta[j] + t * se[j];
      pv[j] = se[j] > 0 ? 2 * (1 - dist.cumulativeProbability(Math.abs(beta[j] / se[j]))) : Double.NaN;
    }
    return new Fit(beta, se, lower, upper, pv, rSquared, n, k + absorbed, groups, df);
  }

  /** Each column minus its group's mean (the within transformation of fixed-effects estimation). */
  public static double[][] withinGroups(double[][] columns, String[] groups) {
    int n = groups.length;
    int p = columns.length == 0 ? 0 : columns[0].length;
    java.util.Map<String, double[]> sums = new java.util.HashMap<>();
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      double[] s = sums.computeIfAbsent(groups[i], g -> new double[p]);
      for (int j = 0; j < p; j++) {
        s[j] += columns[i][j];
      }
      counts.merge(groups[i], 1, Integer::sum);
    }
    double[][] out = new double[n][p];
    for (int i = 0; i < n; i++) {
      double[] s = sums.get(groups[i]);
      int c = counts.get(groups[i]);
      for (int j = 0; j < p; j++) {
        out[i][j] = columns[i][j] - s[j] / c;
      }
    }
    return out;
  }

  private static double uncenteredRSquared(double[] y, double[] residuals) {
    double sse = 0;
    double sst = 0;
    for (int i = 0; i < y.length; i++) {
      sse += residuals[i] * residuals[i];
      sst += y[i] * y[i];
    }
    return sst == 0 ? Double.NaN : 1 - sse / sst;
  }
}
