package org.beacon.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.beacon.runtime.BeaconException;
import org.beacon.grading.GradingSettings;
import org.beacon.runtime.CsvInput;
import org.beacon.runtime.Settings;
import org.beacon.stats.Funnel;
import org.beacon.stats.Levels;

/**
 * `beacon funnel --input file.csv`: the funnel-plot method of the marts on any data. Columns area, numerator
 * and denominator; prints each area's value, the limits at its denominator and its significance.
 */
final class FunnelCommand extends Command {
  FunnelCommand() {
    super("funnel", false, List.of(Option.value("--input"), Option.value("--overdispersion").oneOf("none", "multiplicative", "additive"), Option.FORMAT),
        "funnel   --input file.csv [--overdispersion none|multiplicative|additive] [--format table|csv]",
        "         funnel-plot limits and significance for columns area, numerator, denominator");
  }

  @Override
  void check(Args args) throws Args.UsageException {
    args.require("funnel needs --input.", "--input");
  }

  @Override
  int run(Args args, Settings settings) {
    GradingSettings grading = GradingSettings.of(settings);
    print(args, grading.funnelOverdispersion(), grading.funnelWinsorTail(), System.out);
    return 0;
  }

  static void print(Args args, Funnel.Overdispersion defaultMethod, double winsorTail, PrintStream out) {
    CsvInput csv = CsvInput.read(Path.of(args.get("--input")));
    Funnel.Overdispersion method = args.has("--overdispersion")
        ? Funnel.Overdispersion.valueOf(args.get("--overdispersion").toUpperCase()) : defaultMethod;
    int area = csv.column("area", "funnel");
    int numerator = csv.column("numerator", "funnel");
    int denominator = csv.column("denominator", "funnel");
    int n = csv.rows().size();
    if (n == 0) {
      throw new BeaconException("The file " + csv.file() + " has no data rows.");
    }
    double[] x = new double[n];
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = csv.number(i, numerator);
      d[i] = csv.number(i, denominator);
      if (!(d[i] > 0)) {
        throw new BeaconException(csv.where(i, denominator) + ": a denominator must be positive.");
      }
      if (x[i] < 0 || x[i] > d[i]) {
        throw new BeaconException(csv.where(i, numerator) + ": a numerator must lie between 0 and the denominator.");
      }
    }
    Funnel.Fit fit = Funnel.fit(x, d, method, winsorTail);
    System.err.printf("funnel: %d areas, overall value %.4f, overdispersion %s (phi %.3f, tau2 %.6f)%n", n, fit.target(),
        method.name().toLowerCase(), fit.phi(), fit.tau2());
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] l95 = Funnel.limits(fit, d[i], Levels.P95);
      double[] l998 = Funnel.limits(fit, d[i], Levels.P998);
      rows.add(List.of(csv.cell(i, area), Output.number(x[i]), Output.number(d[i]), Output.number(x[i] / d[i]),
          Output.number(fit.target()), Output.number(l95[0]), Output.number(l95[1]), Output.number(l998[0]),
          Output.number(l998[1]), Funnel.significance(fit, x[i], d[i])));
    }
    Output.print(out, args.format(), List.of("area", "numerator", "denominator", "value", "overall", "lower_95", "upper_95",
        "lower_998", "upper_998", "significance"), rows);
  }
}
