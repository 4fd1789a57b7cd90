package org.beacon.cli;

import java.nio.file.Path;
import java.util.List;
import org.beacon.extracts.ExtractJob;
import org.beacon.runtime.Settings;

/** `beacon extract`: the inspection pack of a force (or one OCU) and year, from the gold marts. */
final class ExtractCommand extends Command {
  ExtractCommand() {
    super("extract", true, List.of(Option.value("--force"), Option.value("--ocu"), Option.value("--out"),
        Args.period("--period")),
        "extract  --force CODE --period YYYY/YY [--ocu CODE] [--out DIR]   inspection pack: indicators.csv,",
        "         indicators.xlsx, report.html and manifest.json from the gold marts");
  }

  @Override
  void check(Args args) throws Args.UsageException {
    args.require("extract needs --force and --period.", "--force", "--period");
  }

  @Override
  int run(Args args, Settings settings) {
    Jobs.withSpark(settings, args.job(this), spark -> System.out.println(ExtractJob.run(spark, settings,
        new ExtractJob.Request(args.get("--force"), args.get("--period"), args.get("--ocu"),
            args.has("--out") ? Path.of(args.get("--out")) : null)).toAbsolutePath()));
    return 0;
  }
}
