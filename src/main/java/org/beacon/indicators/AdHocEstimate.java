package org.beacon.indicators;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.TDistribution;
import org.beacon.runtime.BeaconException;
import org.beacon.stats.Kish;
import org.beacon.stats.TaylorVariance;
import org.beacon.stats.Wilson;

/**
 * `beacon estimate`: the estimation engine on any CSV with a declared design (weight, strata, PSU,
 * finite population correction), per group. A measure whose values are all 0 or 1 is a proportion
 * (Wilson interval on the design-effective n, Korn and Graubard 1998); any other numeric measure is a
 * mean (t interval on PSUs − strata degrees of freedom). Blank or NA values leave the base.
 */
public final class AdHocEstimate {
  public record Options(Path input, String measure, String weight, String strata, String psu, String fpc, String by,
      double confidence) {}

  public record GroupEstimate(String group, long n, double estimate, double se, double deff, double nEff, double lower,
      double upper, boolean isProportion) {}

  private AdHocEstimate() {}

  public static List<GroupEstimate> run(Options o) {
    Wilson.z(o.confidence());
    List<String[]> rows;
    String[] header;
    CsvParserSettings parserSettings = new CsvParserSettings();
    parserSettings.setHeaderExtractionEnabled(true);
    parserSettings.setLineSeparatorDetectionEnabled(true);
    parserSettings.setMaxCharsPerColumn(1 << 20);
    try (Reader reader = Files.newBufferedReader(o.input(), StandardCharsets.UTF_8)) {
      CsvParser parser = new CsvParser(parserSettings);
      rows = parser.parseAll(reader);
      header = parser.getRecordMetadata().headers();
    } catch (IOException e) {
      throw new BeaconException("Cannot read " + o.input() + ": " + e.getMessage() + ".", e);
    }
    if (header == null) {
      throw new BeaconException("The file " + o.input() + " is empty: it has no header row.");
    }
    int measure = column(o, header, o.measure(), "--measure");
    int weight = o.weight() == null ? -1 : column(o, header, o.weight(), "--weight");
    int strata = o.strata() == null ? -1 : column(o, header, o.strata(), "--strata");
    int psu = o.psu() == null ? -1 : column(o, header, o.psu(), "--psu");
    int fpc = o.fpc() == null ? -1 : column(o, header, o.fpc(), "--fpc");
    int by = o.by() == null ? -1 : column(o, header, o.by(), "--by");

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
      String[] r = rows.get(i);
      String m = cell(r, measure);
      present[i] = m != null && !m.isBlank() && !m.equalsIgnoreCase("NA");
      if (present[i]) {
        value[i] = number(o, i, o.measure(), m);
        binary &= value[i] == 0 || value[i] == 1;
      }
      w[i] = weight < 0 ? 1 : number(o, i, o.weight(), cell(r, weight));
      if (!(w[i] >= 0)) {
        throw new BeaconException(o.input() + " row " + (i + 2) + " field " + o.weight() + ": a weight must not be negative.");
      }
      if (stratum != null) {
        stratum[i] = cell(r, strata);
      }
      if (cluster != null) {
        // PSU labels need only be unique within their stratum.
        cluster[i] = (stratum == null ? "" : stratum[i] + "/") + cell(r, psu);
      }
      if (fpcs != null) {
        fpcs[i] = number(o, i, o.fpc(), cell(r, fpc));
      }
      group[i] = by < 0 ? "all" : String.valueOf(cell(r, by));
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
    double nEff = binary ? TaylorVariance.effectiveN(est, r.variance(), kish) : (deff > 0 ? r.n() / deff : kish);
    double lower;
    double upper;
    if (binary) {
      lower = Wilson.lower(est * nEff, nEff, confidence);
      upper = Wilson.upper(est * nEff, nEff, confidence);
    } else {
      double t = new TDistribution(null, r.degreesOfFreedom()).inverseCumulativeProbability(1 - (1 - confidence) / 2);
      lower = est - t * r.se();
      upper = est + t * r.se();
    }
    return new GroupEstimate(g, r.n(), est, r.se(), deff, nEff, lower, upper, binary);
  }

  private static int column(Options o, String[] header, String name, String option) {
    for (int i = 0; i < header.length; i++) {
      if (name.equals(header[i])) {
        return i;
      }
    }
    throw new BeaconException(option + " names the column '" + name + "', which " + o.input() + " does not have (it has "
        + Arrays.toString(header) + ").");
  }

  private static String cell(String[] row, int index) {
    return index < row.length ? row[index] : null;
  }

  private static double number(Options o, int row, String field, String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NullPointerException | NumberFormatException e) {
      throw new BeaconException(o.input() + " row " + (row + 2) + " field " + field + ": '" + text + "' is not a number.");
    }
  }
}
