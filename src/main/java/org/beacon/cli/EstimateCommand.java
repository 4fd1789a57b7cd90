package org.beacon.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.beacon.indicators.AdHocEstimate;
import org.beacon.indicators.CoverageStudy;
import org.beacon.runtime.BeaconException;

/** `beacon estimate`: prints group, n, estimate, se, deff, n_eff and the interval bounds. */
final class EstimateCommand {
  private EstimateCommand() {}

  static void run(Beacon.Options options, PrintStream out) {
    Map<String, String> e = options.estimate;
    double confidence;
    try {
      confidence = Double.parseDouble(e.getOrDefault("confidence", "0.95"));
    } catch (NumberFormatException ex) {
      throw new BeaconException("--confidence needs a number such as 0.95, not '" + e.get("confidence") + "'.");
    }
    List<AdHocEstimate.GroupEstimate> estimates = AdHocEstimate.run(new AdHocEstimate.Options(Path.of(e.get("input")),
        e.get("measure"), e.get("weight"), e.get("strata"), e.get("psu"), e.get("fpc"), e.get("by"), confidence));
    // 0.95 -> 95, 0.998 -> 998: the column names say the level.
    String level = BigDecimal.valueOf(confidence).movePointRight(2).stripTrailingZeros().toPlainString().replace(".", "");
    List<List<Object>> rows = new ArrayList<>();
    for (AdHocEstimate.GroupEstimate g : estimates) {
      rows.add(List.of(g.group(), g.n(), round(g.estimate()), round(g.se()), round(g.deff()), round(g.nEff()),
          round(g.lower()), round(g.upper())));
    }
    Output.print(out, options.format, List.of("group", "n", "estimate", "se", "deff", "n_eff", "lower_" + level,
        "upper_" + level), rows);
  }

  static void coverage(org.beacon.runtime.Settings settings, Beacon.Options options, PrintStream out) {
    Map<String, String> e = options.estimate;
    int replications = Integer.parseInt(e.getOrDefault("replications", "2000"));
    int n = Integer.parseInt(e.getOrDefault("sample-size", "400"));
    long seed = Long.parseLong(e.getOrDefault("seed", "1927"));
    // Selection sizes lognormal with σ² = ln 1.5: a weighting design effect near 1.5.
    double sigma = Math.sqrt(Math.log(1.5));
    long start = System.nanoTime();
    List<CoverageStudy.Result> results = CoverageStudy.run(replications, n, 0.8, sigma, 0.95, seed);
    System.err.printf("coverage: %d replications of n = %d, true share about 0.8, %.1f s%n", replications, n,
        (System.nanoTime() - start) / 1e9);
    List<List<Object>> rows = new ArrayList<>();
    for (CoverageStudy.Result r : results) {
      rows.add(List.of(r.method(), r.replications(), round(100 * r.coverage()), round(100 * r.meanWidth()),
          round(r.meanDeff())));
    }
    Output.print(out, options.format, List.of("method", "replications", "coverage_pct", "mean_width_pp", "mean_deff"), rows);
    int worldReplications = Integer.parseInt(e.getOrDefault("replications", "1000"));
    start = System.nanoTime();
    List<org.beacon.generate.WorldCoverage.Result> world = org.beacon.generate.WorldCoverage.run(settings, worldReplications, seed);
    System.err.printf("coverage: the generated world's FTD and force survey designs (home force), %d replications, %.1f s%n",
        worldReplications, (System.nanoTime() - start) / 1e9);
    List<List<Object>> worldRows = new ArrayList<>();
    for (org.beacon.generate.WorldCoverage.Result r : world) {
      worldRows.add(List.of(r.design(), r.level(), r.period(), r.replications(), r.cells(), round(r.meanN()), round(100 * r.coverage95()),
          round(100 * r.coverage998()), round(100 * r.medianWidth95())));
    }
    out.println();
    Output.print(out, options.format, List.of("design", "level", "period", "replications", "cells", "mean_n", "coverage_95_pct",
        "coverage_998_pct", "median_width_95_pp"), worldRows);
  }

  private static Object round(double v) {
    return Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString() : "NaN";
  }
}
