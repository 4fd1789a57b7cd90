package org.beacon.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.beacon.indicators.AdHocEstimate;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Settings;

/** `beacon estimate`: prints group, n, estimate, se, deff, n_eff and the interval bounds. */
final class EstimateCommand extends Command {
  EstimateCommand() {
    super("estimate", false, List.of(Option.value("--input"), Option.value("--measure"), Option.value("--weight"), Option.value("--strata"),
        Option.value("--psu"), Option.value("--fpc"), Option.value("--by"), Option.value("--confidence"), Option.FORMAT),
        "estimate --input file.csv --measure COL [--weight W] [--strata S] [--psu P] [--fpc F] [--by G]",
        "         [--confidence 0.95] [--format table|csv]          design-based estimates for any CSV");
  }

  @Override
  void check(Args args) throws Args.UsageException {
    args.require("estimate needs --input and --measure.", "--input", "--measure");
  }

  @Override
  int run(Args args, Settings settings) {
    print(args, System.out);
    return 0;
  }

  static void print(Args a, PrintStream out) {
    double confidence;
    try {
      confidence = Double.parseDouble(a.get("--confidence", "0.95"));
    } catch (NumberFormatException ex) {
      throw new BeaconException("--confidence needs a number such as 0.95, not '" + a.get("--confidence") + "'.");
    }
    List<AdHocEstimate.GroupEstimate> estimates = AdHocEstimate.run(new AdHocEstimate.Options(Path.of(a.get("--input")),
        a.get("--measure"), a.get("--weight"), a.get("--strata"), a.get("--psu"), a.get("--fpc"), a.get("--by"), confidence));
    // 0.95 -> 95, 0.998 -> 998: the column names say the level.
    String level = BigDecimal.valueOf(confidence).movePointRight(2).stripTrailingZeros().toPlainString().replace(".", "");
    List<List<Object>> rows = new ArrayList<>();
    for (AdHocEstimate.GroupEstimate g : estimates) {
      rows.add(List.of(g.group(), g.n(), Output.decimal(g.estimate()), Output.decimal(g.se()), Output.decimal(g.deff()), Output.decimal(g.nEff()),
          Output.decimal(g.lower()), Output.decimal(g.upper())));
    }
    Output.print(out, a.format(), List.of("group", "n", "estimate", "se", "deff", "n_eff", "lower_" + level,
        "upper_" + level), rows);
  }


}
