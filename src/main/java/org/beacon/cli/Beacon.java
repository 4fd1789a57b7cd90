package org.beacon.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.LakehouseLock;
import org.beacon.runtime.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The `beacon` command: finds the subcommand, parses its options against what it declares, takes the writer lock for
 * a command that writes, and runs it. Exit codes: 0 success, 1 the job failed (one sentence on stderr says what),
 * 2 the command line was wrong.
 */
public final class Beacon {
  private static final Logger LOG = LoggerFactory.getLogger(Beacon.class);
  /** Every command, in the order the usage lists them. */
  static final List<Command> COMMANDS = List.of(new GenerateCommand(), new IngestCommand(), new BuildCommand(), new RunCommand(),
      new SqlCommand(), new CellsCommand(), new EstimateCommand(), new CoverageCommand(), new FunnelCommand(), new SpcCommand(),
      new VerifyReportCommand(), new StatusCommand(), new FingerprintCommand(), new MartsCommand(), new ServeCommand(), new MetastoreCommand(),
      new UsersCommand(), new ExtractCommand(), new VacuumCommand());

  private Beacon() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** The usage text: each command's own lines, then what they share. */
  static String usage() {
    List<String> lines = new ArrayList<>(List.of("usage: beacon <command> [options]"));
    for (Command c : COMMANDS) {
      c.help().forEach(l -> lines.add("  " + l));
      if (c instanceof RunCommand) {
        lines.add("  PERIOD: --period YYYY/YY | --quarter YYYY/YY Qn (or YYYYQn, calendar) | --month YYYY-MM: a scheduled");
        lines.add("         run for a delivery: only new files are conformed (their rows must lie in the period), and");
        lines.add("         only the financial years whose rows changed are rebuilt");
      }
    }
    lines.add("jobs that write take the lakehouse's writer lock: a second one stops (or waits, beacon.jobs.lock-wait)");
    lines.add("common options: --lakehouse DIR (default ./lakehouse, or BEACON_LAKEHOUSE)");
    return String.join("\n", lines);
  }

  /** Runs one command and returns its exit code; used by main and by the end-to-end tests. */
  public static int execute(String[] words) {
    if (words.length == 0 || words[0].equals("--help") || words[0].equals("help")) {
      System.err.println(usage());
      return words.length == 0 ? 2 : 0;
    }
    String name = words[0];
    Optional<Command> found = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst();
    Args args;
    try {
      if (found.isEmpty()) {
        throw new Args.UsageException("unknown command '" + name + "'.");
      }
      args = Args.parse(found.get(), List.of(words).subList(1, words.length), COMMANDS);
    } catch (Args.UsageException e) {
      System.err.println("beacon " + name + ": " + e.getMessage());
      System.err.println(usage());
      return 2;
    }
    Command command = found.get();
    long start = System.nanoTime();
    LakehouseLock lock = null;
    try {
      Settings settings = Settings.load(args.overrides());
      if (command.writes()) {
        lock = LakehouseLock.acquire(settings.lakehouse(), name, settings.lockWait());
      }
      int code = command.run(args, settings);
      LOG.info("beacon {} finished in {} s", name, String.format("%.1f", (System.nanoTime() - start) / 1e9));
      return code;
    } catch (BeaconException e) {
      System.err.println("beacon " + name + " failed: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      LOG.error("Unexpected failure", e);
      System.err.println("beacon " + name + " failed: " + describe(e));
      return 1;
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
    return message + " (" + root.getClass().getSimpleName() + "; the log above has the details).";
  }
}
