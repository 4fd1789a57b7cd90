package org.beacon.cli;

import java.util.List;
import org.beacon.generate.Generator;
import org.beacon.runtime.Settings;

/** `beacon generate`: the raw landing files of every source, for the given world. */
final class GenerateCommand extends Command {
  /** The world's options, which run takes too. */
  static final List<Option> WORLD = List.of("--seed", "--forces", "--years", "--scale").stream()
      .map(o -> Option.value(o).number().sets("beacon.generate." + o.substring(2))).toList();

  GenerateCommand() {
    super("generate", true, WORLD,
        "generate [--seed N] [--forces N] [--years N] [--scale X]   write raw landing files");
  }

  @Override
  int run(Args args, Settings settings) {
    Generator.run(settings);
    return 0;
  }
}
