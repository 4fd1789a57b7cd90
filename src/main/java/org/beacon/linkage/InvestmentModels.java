package org.beacon.linkage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.beacon.stats.Correlation;
import org.beacon.stats.Levels;
import org.beacon.stats.Regression;

/**
 * Does neighbourhood staffing move outcomes? For one outcome over OCU-years:
 * <ul>
 *   <li>first differences between two years: Pearson and Spearman correlations of the change in the
 *       staffing share with the change in the outcome (Fisher-z intervals), and OLS of the outcome change on
 *       the share change with the baseline level and a deprivation proxy as controls;
 *   <li>a panel across all years with OCU fixed effects and year effects, so the slope is a within-OCU effect,
 *       with standard errors clustered by OCU.
 * </ul>
 * Each result says whether its 95% interval separates the effect from zero.
 */
public final class InvestmentModels {
  /** One OCU-year: the outcome's value, the staffing share (percent) and the deprivation proxy. */
  public record Observation(String ocu, String year, double value, double sharePct, double proxy) {}

  /** One estimated quantity of one specification. */
  public record Result(String specification, String term, String model, double estimate, double se, double lower,
      double upper, double pValue, double rSquared, int n, int clusters) {
    public String conclusion() {
      if (Double.isNaN(lower) || Double.isNaN(upper)) {
        return "no interval";
      }
      if (lower > 0) {
        return "positive; the 95% interval excludes zero";
      }
      return upper < 0 ? "negative; the 95% interval excludes zero" : "not separable from zero at 95%";
    }
  }

  // The models report 95% intervals, as their columns (lower_95, upper_95) say.
  private static final double CONFIDENCE = Levels.P95;

  private InvestmentModels() {}

  /** One OCU's first difference: the change in staffing share and in the outcome, with the controls. */
  public record Change(String ocu, double shareChange, double outcomeChange, double baseline, double proxy) {}

  /** The OCUs observed in both years, by OCU code, with their changes from one year to the other. */
  public static List<Change> changes(List<Observation> observations, String from, String to) {
    Map<String, Observation> before = new LinkedHashMap<>();
    Map<String, Observation> after = new LinkedHashMap<>();
    for (Observation o : observations) {
      if (o.year().equals(from)) {
        before.put(o.ocu(), o);
      } else if (o.year().equals(to)) {
        after.put(o.ocu(), o);
      }
    }
    return before.keySet().stream().filter(after::containsKey).sorted().map(ocu -> {
      Observation b = before.get(ocu);
      Observation a = after.get(ocu);
      return new Change(ocu, a.sharePct() - b.sharePct(), a.value() - b.value(), b.value(), b.proxy());
    }).toList();
  }

  public static List<Result> fit(List<Observation> observations, String from, String to) {
    List<Result> out = new ArrayList<>();
    List<Change> changes = changes(observations, from, to);
    if (changes.size() >= 6) {
      double[] dy = new double[changes.size()];
      double[][] x = new double[changes.size()][3];
      double[] ds = new double[changes.size()];
      for (int i = 0; i < changes.size(); i++) {
        Change c = changes.get(i);
        dy[i] = c.outcomeChange();
        ds[i] = c.shareChange();
        x[i] = new double[] {ds[i], c.baseline(), c.proxy()};
      }
      int n = changes.size();
      String change = "change " + from + " to " + to;
      double r = Correlation.pearson(ds, dy);
      double[] ri = Correlation.fisherInterval(r, n, CONFIDENCE, false);
      out.add(new Result("pearson", "share_change_pp", "Pearson r of the " + change + " in staffing share and in the outcome; "
          + "Fisher z interval", r, Double.NaN, ri[0], ri[1], Double.NaN, Double.NaN, n, 0));
      double rho = Correlation.spearman(ds, dy);
      double[] rhoi = Correlation.fisherInterval(rho, n, CONFIDENCE, true);
      out.add(new Result("spearman", "share_change_pp", "Spearman rho of the " + change + " in staffing share and in the "
          + "outcome; Fisher z interval with variance 1.06 / (n - 3)", rho, Double.NaN, rhoi[0], rhoi[1], Double.NaN, Double.NaN,
          n, 0));
      Regression.Fit ols = Regression.ols(dy, x, true, null, 0, CONFIDENCE);
      String[] terms = {"intercept", "share_change_pp", "baseline_level", "deprivation_proxy"};
      String model = "OLS: outcome " + change + " ~ 1 + staffing share change (pp) + outcome in " + from
          + " + minority-ethnic share (deprivation proxy); classical standard errors";
      for (int j = 0; j < terms.length; j++) {
        out.add(new Result("ols_first_difference", terms[j], model, ols.coefficients()[j], ols.standardErrors()[j],
            ols.lower()[j], ols.upper()[j], ols.pValues()[j], ols.rSquared(), n, 0));
      }
    }
    out.addAll(panel(observations));
    return out;
  }

  /** y_it = b · share_it + year effects + OCU effects; within-OCU fit with year dummies; SEs clustered by OCU. */
  private static List<Result> panel(List<Observation> observations) {
    List<String> years = new ArrayList<>(new TreeSet<>(observations.stream().map(Observation::year).toList()));
    long ocus = observations.stream().map(Observation::ocu).distinct().count();
    int n = observations.size();
    if (years.size() < 2 || ocus < 3 || n <= years.size() + ocus + 1) {
      return List.of();
    }
    double[][] columns = new double[n][years.size()];
    String[] groups = new String[n];
    double[][] y = new double[n][1];
    for (int i = 0; i < n; i++) {
      Observation o = observations.get(i);
      columns[i][0] = o.sharePct();
      // Year dummies for every year but the first (the OCU effects take the level).
      for (int t = 1; t < years.size(); t++) {
        columns[i][t] = o.year().equals(years.get(t)) ? 1 : 0;
      }
      y[i][0] = o.value();
      groups[i] = o.ocu();
    }
    double[][] xw = Regression.withinGroups(columns, groups);
    double[][] yw = Regression.withinGroups(y, groups);
    double[] yv = new double[n];
    for (int i = 0; i < n; i++) {
      yv[i] = yw[i][0];
    }
    Regression.Fit fe = Regression.ols(yv, xw, false, groups, (int) ocus, CONFIDENCE);
    return List.of(new Result("panel_fixed_effects", "share_pp", "Panel " + years.get(0) + " to " + years.get(years.size() - 1)
        + ": outcome ~ staffing share (pp) + year effects + OCU fixed effects (within); standard errors clustered by OCU "
        + "(CR1), t on G - 1 degrees of freedom", fe.coefficients()[0], fe.standardErrors()[0], fe.lower()[0], fe.upper()[0],
        fe.pValues()[0], fe.rSquared(), n, fe.clusters()));
  }
}
