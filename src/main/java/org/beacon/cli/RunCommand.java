package org.beacon.cli;

import java.util.ArrayList;
import java.util.List;
import org.beacon.generate.Generator;
import org.beacon.runtime.Settings;

/** `beacon run`: generate, ingest and build, in one process. */
final class RunCommand extends Command {
  RunCommand() {
    super("run", true, optionsOf(),
        "run      [generate options] [PERIOD]                      generate, ingest and build");
  }

  private static List<Option> optionsOf() {
    List<Option> out = new ArrayList<>(GenerateCommand.WORLD);
    out.addAll(Args.PERIODS);
    return out;
  }

  @Override
  int run(Args args, Settings settings) {
    Generator.run(settings);
    Jobs.withSpark(settings, args.job(this), spark -> {
      Jobs.ingest(spark, settings, args.period());
      Jobs.build(spark, settings, args.period());
    });
    return 0;
  }
}
