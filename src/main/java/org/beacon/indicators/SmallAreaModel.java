package org.beacon.indicators;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.stats.FayHerriot;
import org.beacon.stats.Levels;
import org.beacon.stats.Wilson;

/**
 * One small-area model: the Fay–Herriot EBLUPs of an indicator's areas (neighbourhoods or sectors) in one year.
 * On the arcsine scale θ = asin √p with sampling variance ψ = 1 / (4 n_eff) (the variance-stabilising transform
 * of a proportion; Rao and Molina 2015, 6.1.2), the covariates are an intercept, the OCU's direct estimate, and
 * those of the optional covariates every area of the model has (the OCU's neighbourhood staffing share, its
 * minority-ethnic share of adults, the area's recorded crime per LSOA). Areas without a direct estimate get
 * the synthetic estimate. Back on the proportion scale, each OCU's areas are ratio-benchmarked so that their
 * n-weighted mean equals the OCU's direct estimate (Rao and Molina 2015, 6.3.1; the factor is reported).
 */
public final class SmallAreaModel {
  /** Fewer areas with data than this and the model is not fitted: the direct estimates stand. */
  public static final int MIN_AREAS = 5;
  /** Areas beyond the covariates that REML needs for a usable estimate of the area-effect variance. */
  static final int MIN_RESIDUAL_DF = 3;

  static final String METHOD = "Fay-Herriot EBLUP, arcsine scale, REML, Prasad-Rao MSE; OCU covariates: direct estimate, "
      + "neighbourhood staffing share, minority-ethnic share; ratio-benchmarked";

  /**
   * An area of the model as gold.survey_estimates publishes it (direct and its se null when suppressed), with the
   * OCU's direct proportion and the optional covariates: staffing share, minority share, log(1 + crimes per LSOA),
   * each null where unknown.
   */
  public record Area(String code, String name, String ocu, long n, Double direct, Double directSe, Double nEff,
      double ocuDirect, Double[] optional) {
    boolean hasData() {
      return direct != null && nEff != null && nEff > 0;
    }
  }

  /** An area's estimates on the proportion scale; eblupSe is the root-MSE carried back by the delta method. */
  public record Estimate(Area area, double eblup, double eblupUnbenchmarked, double eblupSe, double lower95, double upper95,
      double shrinkageWeight, double sigma2u, double benchmarkFactor, boolean isSynthetic) {}

  private SmallAreaModel() {}

  /** The estimates of every area, or none when too few areas have data for the covariates. */
  public static List<Estimate> fit(List<Area> areas) {
    List<Area> withData = areas.stream().filter(Area::hasData).toList();
    if (withData.size() < MIN_AREAS) {
      return List.of();
    }
    boolean[] use = shared(areas);
    double[] y = new double[withData.size()];
    double[] psi = new double[withData.size()];
    double[][] x = new double[withData.size()][];
    for (int i = 0; i < y.length; i++) {
      Area a = withData.get(i);
      y[i] = Math.asin(Math.sqrt(a.direct()));
      psi[i] = 1 / (4 * a.nEff());
      x[i] = covariates(a, use);
    }
    if (withData.size() < x[0].length + MIN_RESIDUAL_DF) {
      // Too few areas for the covariates (a small force or a short series): no model, the direct estimates stand.
      return List.of();
    }
    FayHerriot.Result fit = FayHerriot.fit(y, psi, x);
    // Per area: θ̂, mse, γ, synthetic flag.
    Map<String, double[]> theta = new LinkedHashMap<>();
    for (int i = 0; i < y.length; i++) {
      theta.put(withData.get(i).code(), new double[] {fit.eblup()[i], fit.mse()[i], fit.gamma()[i], 0});
    }
    for (Area a : areas) {
      if (!theta.containsKey(a.code())) {
        double[] s = FayHerriot.synthetic(fit, x, psi, covariates(a, use));
        theta.put(a.code(), new double[] {s[0], s[1], 0, 1});
      }
    }
    // Ratio benchmarking within each OCU to its direct estimate (weights: valid responses).
    Map<String, double[]> ocuSums = new HashMap<>();
    for (Area a : areas) {
      double p = square(Math.sin(clampAngle(theta.get(a.code())[0])));
      double[] s = ocuSums.computeIfAbsent(a.ocu(), k -> new double[2]);
      s[0] += a.n() * p;
      s[1] += a.n();
    }
    double z = Wilson.z(Levels.P95);
    List<Estimate> out = new ArrayList<>();
    for (Area a : areas) {
      double[] t = theta.get(a.code());
      double p = square(Math.sin(clampAngle(t[0])));
      double[] s = ocuSums.get(a.ocu());
      double factor = s[0] > 0 ? a.ocuDirect() / (s[0] / s[1]) : 1;
      double se = Math.sqrt(t[1]);
      out.add(new Estimate(a, Math.min(1.0, p * factor), p, se * Math.sin(2 * clampAngle(t[0])) * factor,
          Math.min(1.0, square(Math.sin(clampAngle(t[0] - z * se))) * factor),
          Math.min(1.0, square(Math.sin(clampAngle(t[0] + z * se))) * factor), t[2], fit.sigma2(), factor, t[3] == 1));
    }
    return out;
  }

  /** Intercept, the OCU's direct estimate (arcsine), then the optional covariates {@code use} keeps. */
  private static double[] covariates(Area a, boolean[] use) {
    List<Double> x = new ArrayList<>(List.of(1.0, Math.asin(Math.sqrt(a.ocuDirect()))));
    for (int k = 0; k < use.length; k++) {
      if (use[k]) {
        x.add(a.optional()[k]);
      }
    }
    return x.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Which optional covariates every area of the model has: a covariate some areas lack is left out for all. */
  private static boolean[] shared(List<Area> areas) {
    boolean[] use = new boolean[areas.get(0).optional().length];
    java.util.Arrays.fill(use, true);
    for (Area a : areas) {
      for (int k = 0; k < use.length; k++) {
        use[k] &= a.optional()[k] != null;
      }
    }
    return use;
  }

  private static double clampAngle(double theta) {
    return Math.max(0, Math.min(Math.PI / 2, theta));
  }

  private static double square(double v) {
    return v * v;
  }
}
