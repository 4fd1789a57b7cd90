package org.beacon.stats;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * The Fay–Herriot area-level model (Fay and Herriot 1979; Rao and Molina 2015, ch. 6):
 * <pre>
 *   y_i = x_i'β + v_i + e_i,   v_i ~ N(0, σ²_u),   e_i ~ N(0, ψ_i) with ψ_i known
 * </pre>
 * σ²_u by REML (Fisher scoring, truncated at 0), β by GLS, the EBLUP θ̂_i = γ_i y_i + (1 − γ_i) x_i'β̂
 * with shrinkage weight γ_i = σ²_u / (σ²_u + ψ_i), and the Prasad–Rao MSE for REML (Datta and Lahiri 2000):
 * <pre>
 *   mse_i = g1 + g2 + 2·g3,   g1 = γ_i ψ_i,   g2 = (1 − γ_i)² x_i'(X'V⁻¹X)⁻¹x_i,
 *   g3 = ψ_i² / (σ²_u + ψ_i)³ · 2 / Σ_j (σ²_u + ψ_j)⁻²
 * </pre>
 * Areas with no direct estimate get the synthetic x_i'β̂ with mse σ²_u + x_i'(X'V⁻¹X)⁻¹x_i.
 */
public final class FayHerriot {
  /** Model fit: coefficients, area-effect variance, and per-area shrinkage, EBLUP and MSE. */
  public record Result(double[] beta, double sigma2, double[] gamma, double[] eblup, double[] mse, int iterations,
      boolean converged) {}

  private FayHerriot() {}

  /**
   * @param y direct estimates of the m areas with data
   * @param psi their sampling variances
   * @param x covariates of those areas (include a column of ones for an intercept)
   */
  public static Result fit(double[] y, double[] psi, double[][] x) {
    int m = y.length;
    int p = x[0].length;
    if (m <= p) {
      throw new IllegalArgumentException("Fay–Herriot needs more areas (" + m + ") than covariates (" + p + ").");
    }
    RealMatrix design = new Array2DRowRealMatrix(x);
    RealVector obs = new ArrayRealVector(y);
    // Start from the residual variance of OLS less the mean sampling variance.
    double meanPsi = 0;
    for (double v : psi) {
      meanPsi += v / m;
    }
    double sigma2 = Math.max(0, residualVariance(design, obs, m, p) - meanPsi);
    int iterations = 0;
    boolean converged = false;
    while (iterations < 100 && !converged) {
      iterations++;
      double[] step = scoreAndInformation(design, obs, psi, sigma2);
      double next = Math.max(0, sigma2 + step[0] / step[1]);
      converged = Math.abs(next - sigma2) < 1e-10 * Math.max(1, sigma2) || (next == 0 && sigma2 == 0);
      sigma2 = next;
    }
    double[] w = new double[m];
    for (int i = 0; i < m; i++) {
      w[i] = 1 / (sigma2 + psi[i]);
    }
    RealMatrix xtvx = weightedCross(design, w);
    RealMatrix inverse = new LUDecomposition(xtvx).getSolver().getInverse();
    RealVector xtvy = design.transpose().operate(new ArrayRealVector(y).ebeMultiply(new ArrayRealVector(w)));
    RealVector beta = inverse.operate(xtvy);
    double sumInvSq = 0;
    for (int i = 0; i < m; i++) {
      sumInvSq += w[i] * w[i];
    }
    double varSigma2 = 2 / sumInvSq;
    double[] gamma = new double[m];
    double[] eblup = new double[m];
    double[] mse = new double[m];
    for (int i = 0; i < m; i++) {
      RealVector xi = design.getRowVector(i);
      double synthetic = xi.dotProduct(beta);
      gamma[i] = sigma2 / (sigma2 + psi[i]);
      eblup[i] = gamma[i] * y[i] + (1 - gamma[i]) * synthetic;
      double g1 = gamma[i] * psi[i];
      double g2 = (1 - gamma[i]) * (1 - gamma[i]) * xi.dotProduct(inverse.operate(xi));
      double g3 = psi[i] * psi[i] / Math.pow(sigma2 + psi[i], 3) * varSigma2;
      mse[i] = g1 + g2 + 2 * g3;
    }
    return new Result(beta.toArray(), sigma2, gamma, eblup, mse, iterations, converged);
  }

  /** The synthetic estimate and its MSE for an area without a direct estimate. */
  public static double[] synthetic(Result fit, double[][] xAll, double[] psiAll, double[] covariates) {
    RealMatrix design = new Array2DRowRealMatrix(xAll);
    double[] w = new double[psiAll.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = 1 / (fit.sigma2() + psiAll[i]);
    }
    RealMatrix inverse = new LUDecomposition(weightedCross(design, w)).getSolver().getInverse();
    RealVector xi = new ArrayRealVector(covariates);
    return new double[] {xi.dotProduct(new ArrayRealVector(fit.beta())), fit.sigma2() + xi.dotProduct(inverse.operate(xi))};
  }

  /**
   * REML score ½(y'P²y − tr P) and information ½ tr P², with P = V⁻¹ − V⁻¹X A X'V⁻¹, A = (X'V⁻¹X)⁻¹,
   * V = diag(σ² + ψ), computed through p × p matrices (never the m × m P):
   * tr P = Σw − tr(A·X'W²X), tr P² = Σw² − 2 tr(A·X'W³X) + tr((A·X'W²X)²), Py = W(y − Xβ̃).
   */
  private static double[] scoreAndInformation(RealMatrix x, RealVector y, double[] psi, double sigma2) {
    int m = psi.length;
    double[] w = new double[m];
    double[] w2 = new double[m];
    double[] w3 = new double[m];
    double sumW = 0;
    double sumW2 = 0;
    for (int i = 0; i < m; i++) {
      w[i] = 1 / (sigma2 + psi[i]);
      w2[i] = w[i] * w[i];
      w3[i] = w2[i] * w[i];
      sumW += w[i];
      sumW2 += w2[i];
    }
    RealMatrix a = new LUDecomposition(weightedCross(x, w)).getSolver().getInverse();
    RealVector beta = a.operate(x.transpose().operate(y.ebeMultiply(new ArrayRealVector(w))));
    RealVector py = y.subtract(x.operate(beta)).ebeMultiply(new ArrayRealVector(w));
    RealMatrix b2 = a.multiply(weightedCross(x, w2));
    double traceP = sumW - b2.getTrace();
    double traceP2 = sumW2 - 2 * a.multiply(weightedCross(x, w3)).getTrace() + b2.multiply(b2).getTrace();
    return new double[] {0.5 * (py.dotProduct(py) - traceP), 0.5 * traceP2};
  }

  private static RealMatrix weightedCross(RealMatrix x, double[] w) {
    RealMatrix wx = x.copy();
    for (int i = 0; i < w.length; i++) {
      wx.setRowVector(i, x.getRowVector(i).mapMultiply(w[i]));
    }
    return x.transpose().multiply(wx);
  }

  private static double residualVariance(RealMatrix x, RealVector y, int m, int p) {
    RealMatrix inverse = new LUDecomposition(x.transpose().multiply(x)).getSolver().getInverse();
    RealVector beta = inverse.operate(x.transpose().operate(y));
    RealVector residual = y.subtract(x.operate(beta));
    return residual.dotProduct(residual) / (m - p);
  }
}
