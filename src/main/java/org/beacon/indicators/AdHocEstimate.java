package org.beacon.indicators;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.CsvInput;
import org.beacon.stats.Kish;
import org.beacon.stats.TaylorVariance;
import org.beacon.stats.Wilson;

/**
 * `beacon estimate`: the estimation engine on any CSV with a declared design (weight, strata, PSU,
 * finite population correction), per group. A measure whose values are all 0 or 1 is a proportion
 * (Wilson interval on the design-effective n, with Korn and Graubard's 1998 adjustment for the design's
 * degrees of freedom); any other numeric measure is a mean (t interval on PSUs − strata degrees of
 * freedom). Blank or NA values leave the base.
 */
public final class AdHocEstimate {
  public record Options(Path input, String measure, String weight, String strata, String psu, String fpc, String by,
      double confidence) {}

  public record GroupEstimate(String group, long n, double estimate, double se, double deff, double nEff, double lower,
      double upper, boolean isProportion) {}

  private AdHocEstimate() {}

  public static List<GroupEstimate> run(Options o) {
    Wilson.z(o.confidence());
    CsvInput csv = CsvInput.read(o.input());
    List<String[]> rows = csv.rows();
    int measure = csv.column(o.measure(), "--measure");
    int weight = o.weight() == null ? -1 : csv.column(o.weight(), "--weight");
    int strata = o.strata() == null ? -1 : csv.column(o.strata(), "--strata");
    int psu = o.psu() == null ? -1 : csv.column(o.psu(), "--psu");
    int fpc = o.fpc() == null ? -1 : csv.column(o.fpc(), "--fpc");
    int by = o.by() == null ? -1 : csv.column(o.by(), "--by");

    int n = rows.size();
    double[] value = new double[n];
    boolean[] present = new boolean[n];
    double[] w = new double[n];
    String[] stratum = strata < 0 ? null : new String[n];
    String[] cluster = psu < 0 ? null : new String[n];
    double[] fpcs = fpc < 0 ? null : new double[n];
    String[] group = new String[n];
    boolean binary = true;
    for (int i = 0; i < n; i++) {
      String m = csv.cell(i, measure);
      present[i] = m != null && !m.isBlank() && !m.equalsIgnoreCase("NA");
      if (present[i]) {
        value[i] = csv.number(i, measure);
        binary &= value[i] == 0 || value[i] == 1;
      }
      w[i] = weight < 0 ? 1 : csv.number(i, weight);
      if (!(w[i] >= 0)) {
        throw new BeaconException(csv.where(i, weight) + ": a weight must not be negative.");
      }
      if (stratum != null) {
        stratum[i] = csv.cell(i, strata);
      }
      if (cluster != null) {
        // PSU labels need only be unique within their stratum.
        cluster[i] = (stratum == null ? "" : stratum[i] + "/") + csv.cell(i, psu);
      }
      if (fpcs != null) {
        fpcs[i] = csv.number(i, fpc);
      }
      group[i] = by < 0 ? "all" : String.valueOf(csv.cell(i, by));
    }
    List<String> groups = new ArrayList<>(new TreeSet<>(Arrays.asList(group)));
    if (by >= 0) {
      groups.add(0, "all");
    }
    List<GroupEstimate> out = new ArrayList<>();
    for (String g : groups) {
      out.add(estimate(g, value, present, w, stratum, cluster, fpcs, group, binary, o.confidence()));
    }
    return out;
  }

  private static GroupEstimate estimate(String g, double[] value, boolean[] present, double[] w, String[] stratum,
      String[] cluster, double[] fpc, String[] group, boolean binary, double confidence) {
    int n = w.length;
    double[] y = new double[n];
    double[] x = new double[n];
    List<Double> weights = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean in = present[i] && (g.equals("all") || group[i].equals(g));
      x[i] = in ? 1 : 0;
      y[i] = in ? value[i] : 0;
      if (in) {
        weights.add(w[i]);
      }
    }
    TaylorVariance.Result r = TaylorVariance.ratio(y, x, w, stratum, cluster, fpc, TaylorVariance.LonelyPsu.ADJUST);
    double est = r.estimate();
    double kish = Kish.effectiveN(weights.stream().mapToDouble(Double::doubleValue).toArray());
    // Variance under simple random sampling of the same size, for the design effect.
    double srs;
    if (binary) {
      srs = est * (1 - est) / r.n();
    } else {
      double ss = 0;
      for (int i = 0; i < n; i++) {
        ss += x[i] * w[i] * (y[i] - est) * (y[i] - est);
      }
      srs = ss / r.sumWeights() * r.n() / Math.max(1, r.n() - 1) / r.n();
    }
    double deff = srs > 0 ? r.variance() / srs : Double.NaN;
    double nEff = binary ? TaylorVariance.effectiveN(est, r.variance(), kish, r.n()) : (deff > 0 ? Math.min(r.n(), r.n() / deff) : kish);
    double lower;
    double upper;
    if (binary) {
      double nStar = TaylorVariance.kornGraubardN(nEff, r.n(), r.degreesOfFreedom(), confidence);
      lower = Wilson.lower(est * nStar, nStar, confidence);
      upper = Wilson.upper(est * nStar, nStar, confidence);
    } else {
      double t = TaylorVariance.tQuantile(r.degreesOfFreedom(), confidence);
      lower = est - t * r.se();
      upper = est + t * r.se();
    }
    return new GroupEstimate(g, r.n(), est, r.se(), deff, nEff, lower, upper, binary);
  }
}
