package org.beacon.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.beacon.generate.WorldCoverage;
import org.beacon.indicators.CoverageStudy;
import org.beacon.runtime.Settings;

/**
 * `beacon coverage`: how often the intervals cover the truth, by simulation: under unequal weights, and on the
 * generated world's FTD and force survey designs.
 */
final class CoverageCommand extends Command {
  CoverageCommand() {
    super("coverage", false, List.of(Option.value("--replications").number(), Option.value("--sample-size").number(), Option.value("--seed").number(),
        Option.FORMAT),
        "coverage [--replications N] [--sample-size N] [--seed N] [--format table|csv]   coverage of the 95% and 99.8%",
        "         intervals, by simulation: an unequal-probability sample, and the generated world's FTD and force survey");
  }

  @Override
  int run(Args args, Settings settings) {
    print(settings, args, System.out);
    return 0;
  }

  static void print(Settings settings, Args a, PrintStream out) {
    int replications = Integer.parseInt(a.get("--replications", "2000"));
    int n = Integer.parseInt(a.get("--sample-size", "400"));
    long seed = Long.parseLong(a.get("--seed", "1927"));
    // Selection sizes lognormal with σ² = ln 1.5: a weighting design effect near 1.5.
    double sigma = Math.sqrt(Math.log(1.5));
    long start = System.nanoTime();
    List<CoverageStudy.Result> results = CoverageStudy.run(replications, n, 0.8, sigma, 0.95, seed);
    System.err.printf("coverage: %d replications of n = %d, true share about 0.8, %.1f s%n", replications, n,
        (System.nanoTime() - start) / 1e9);
    List<List<Object>> rows = new ArrayList<>();
    for (CoverageStudy.Result r : results) {
      rows.add(List.of(r.method(), r.replications(), Output.decimal(100 * r.coverage()), Output.decimal(100 * r.meanWidth()),
          Output.decimal(r.meanDeff())));
    }
    Output.print(out, a.format(), List.of("method", "replications", "coverage_pct", "mean_width_pp", "mean_deff"), rows);
    int worldReplications = Integer.parseInt(a.get("--replications", "1000"));
    start = System.nanoTime();
    List<WorldCoverage.Result> world = WorldCoverage.run(settings, worldReplications, seed);
    System.err.printf("coverage: the generated world's FTD and force survey designs (home force), %d replications, %.1f s%n",
        worldReplications, (System.nanoTime() - start) / 1e9);
    List<List<Object>> worldRows = new ArrayList<>();
    for (WorldCoverage.Result r : world) {
      worldRows.add(List.of(r.design(), r.level(), r.period(), r.replications(), r.cells(), Output.decimal(r.meanN()), Output.decimal(100 * r.coverage95()),
          Output.decimal(100 * r.coverage998()), Output.decimal(100 * r.medianWidth95())));
    }
    out.println();
    Output.print(out, a.format(), List.of("design", "level", "period", "replications", "cells", "mean_n", "coverage_95_pct",
        "coverage_998_pct", "median_width_95_pp"), worldRows);
  }
}
