package org.beacon.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.beacon.indicators.AdHocEstimate;
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

  private static Object round(double v) {
    return Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString() : "NaN";
  }
}
