package org.beacon.cli;

import java.util.List;
import org.beacon.runtime.Settings;

/**
 * One command of the CLI: its name, its help, the options it takes and what it does. {@link Beacon} lists the
 * commands once and dispatches to them; everything a command needs to know about its options is here.
 */
abstract class Command {
  private final String name;
  private final boolean writes;
  private final List<Option> options;
  private final List<String> help;

  /**
   * @param writes true for a command that writes to the lakehouse: it takes the writer lock first
   * @param options the options it takes besides --lakehouse
   * @param help its lines of the usage text, the first starting with its name
   */
  Command(String name, boolean writes, List<Option> options, String... help) {
    this.name = name;
    this.writes = writes;
    this.options = List.copyOf(options);
    this.help = List.of(help);
  }

  final String name() {
    return name;
  }

  final boolean writes() {
    return writes;
  }

  final List<Option> options() {
    return options;
  }

  final List<String> help() {
    return help;
  }

  /** True for a command that takes words that are not options (users add NAME). */
  boolean takesWords() {
    return false;
  }

  /** Rules over several options (one needs another), checked before anything runs. */
  void check(Args args) throws Args.UsageException {}

  /** Runs the command; returns its exit code (0 done; failures are thrown as BeaconException). */
  abstract int run(Args args, Settings settings);
}
