package org.beacon.cli;

import java.util.List;
import org.beacon.runtime.Settings;

/** `beacon build`: silver -> gold, every mart whose inputs have arrived. */
final class BuildCommand extends Command {
  BuildCommand() {
    super("build", true, Args.PERIODS,
        "build    [PERIOD]                                         silver -> gold");
  }

  @Override
  int run(Args args, Settings settings) {
    Jobs.withSpark(settings, args.job(this), spark -> Jobs.build(spark, settings, args.period()));
    return 0;
  }
}
