package org.beacon.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.CsvInput;
import org.beacon.runtime.Settings;
import org.beacon.spc.SpcSettings;
import org.beacon.stats.ControlChart;

/**
 * `beacon spc --input file.csv --chart i|mr|p|pp|c|u`: the control-chart engine of gold.spc_points on any
 * series. Columns period and value (i, mr, c), plus denominator (p, pp, u: value counts events of it).
 */
final class SpcCommand extends Command {
  SpcCommand() {
    super("spc", false, List.of(Option.value("--input"), Option.value("--chart").oneOf("i", "mr", "p", "pp", "c", "u"), Option.value("--freeze"),
        Option.value("--rules").oneOf("western-electric", "anhoej"), Option.FORMAT),
        "spc      --input file.csv --chart i|mr|p|pp|c|u [--freeze N] [--rules western-electric|anhoej]",
        "         [--format table|csv]   control chart of columns period, value (and denominator for p, pp, u)");
  }

  @Override
  void check(Args args) throws Args.UsageException {
    args.require("spc needs --input and --chart.", "--input", "--chart");
  }

  @Override
  int run(Args args, Settings settings) {
    print(args, SpcSettings.of(settings), System.out);
    return 0;
  }

  static void print(Args args, SpcSettings defaults, PrintStream out) {
    ControlChart.Type type = ControlChart.Type.valueOf(args.get("--chart").toUpperCase());
    ControlChart.Rules rules = args.has("--rules") ? SpcSettings.rules(args.get("--rules")) : defaults.rules();
    int freeze = defaults.baselinePoints();
    if (args.has("--freeze")) {
      try {
        freeze = Integer.parseInt(args.get("--freeze"));
      } catch (NumberFormatException e) {
        throw new BeaconException("--freeze needs a whole number of points, not '" + args.get("--freeze") + "'.");
      }
    }
    CsvInput csv = CsvInput.read(Path.of(args.get("--input")));
    boolean rated = type == ControlChart.Type.U || type == ControlChart.Type.P || type == ControlChart.Type.PP;
    int period = csv.column("period", "spc");
    int value = csv.column("value", "spc");
    int denominator = rated ? csv.column("denominator", "spc --chart " + type.name().toLowerCase()) : -1;
    int n = csv.rows().size();
    if (n == 0) {
      throw new BeaconException("The file " + csv.file() + " has no data rows.");
    }
    double[] values = new double[n];
    double[] denominators = rated ? new double[n] : null;
    for (int i = 0; i < n; i++) {
      values[i] = csv.number(i, value);
      if (rated) {
        denominators[i] = csv.number(i, denominator);
        if (!(denominators[i] > 0)) {
          throw new BeaconException(csv.where(i, denominator) + ": a denominator must be positive.");
        }
        if (type != ControlChart.Type.U && (values[i] < 0 || values[i] > denominators[i])) {
          throw new BeaconException(csv.where(i, value) + ": a count of events must lie between 0 and the denominator.");
        }
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    // A moving range belongs to the later of its two values, so every point's index is its row.
    for (ControlChart.Point p : ControlChart.chart(type, values, denominators, freeze, rules, defaults.screenMovingRanges())) {
      rows.add(List.of(csv.cell(p.index(), period), Output.number(p.value()), Output.number(p.centre()), Output.number(p.lower()),
          Output.number(p.upper()), p.isSignal() ? "yes" : "no", String.join("; ", p.rules())));
    }
    Output.print(out, args.format(), List.of("period", "value", "centre_line", "lower_limit", "upper_limit", "signal",
        "rules_broken"), rows);
  }
}
