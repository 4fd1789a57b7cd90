package org.beacon.cli;

import org.beacon.grading.GradingSettings;

import org.beacon.spc.SpcSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.beacon.crime.CrimeIngestJob;
import org.beacon.geography.OnsGeography;
import org.beacon.extracts.ExtractJob;
import org.beacon.generate.Generator;
import org.beacon.ops.JobRuns;
import org.beacon.ops.Vacuum;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.LakehouseLock;
import org.beacon.runtime.Period;
import org.beacon.runtime.QualityGate;
import org.beacon.runtime.Settings;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.SparkSessions;
import org.beacon.sql.Views;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The `beacon` command. Each subcommand loads the settings, opens the session where it needs one and
 * calls a job's run(spark, settings). Exit codes: 0 success, 1 the job failed (one sentence on
 * stderr says what), 2 the command line was wrong.
 */
public final class Beacon {
  private static final Logger LOG = LoggerFactory.getLogger(Beacon.class);
  /** The commands that write to the lakehouse, one at a time (see LakehouseLock). */
  private static final java.util.Set<String> WRITERS = java.util.Set.of("generate", "ingest", "build", "run", "verify-report",
      "extract", "vacuum");
  static final String USAGE = String.join("\n",
      "usage: beacon <command> [options]",
      "  generate [--seed N] [--forces N] [--years N] [--scale X]   write raw landing files",
      "  ingest   [--source police-uk --input DIR [--as-of YYYY-MM]] [PERIOD]   landing -> bronze -> silver; or",
      "           data.police.uk files (YYYY-MM-<force>-street.csv, -outcomes.csv) from any folder, as of the month",
      "           they were downloaded (default: the latest month in their names; the latest as-of wins)",
      "  ingest   --source ons-geography [--input DIR]             ONS lookups (LSOA -> ward -> local authority -> CSP",
      "           -> police force area) from DIR, or Beacon's own copy: crimes then count in those areas too",
      "  build    [PERIOD]                                         silver -> gold",
      "  run      [generate options] [PERIOD]                      generate, ingest and build",
      "  PERIOD: --period YYYY/YY | --quarter YYYY/YY Qn (or YYYYQn, calendar) | --month YYYY-MM: a scheduled",
      "           run for a delivery: only new files are conformed (their rows must lie in the period), and",
      "           only the financial years whose rows changed are rebuilt",
      "  sql      [-e \"query\" | -f file.sql] [--format table|csv|json] [--batch]   query the lakehouse;",
      "           --batch: statements from stdin, each result ended by a line #beacon-end ok|error;",
      "           --connect URL [--user NAME]: run them in the `beacon serve` at that JDBC URL instead of a Spark of",
      "           its own (the password from BEACON_SQL_PASSWORD, or asked for)",
      "  estimate --input file.csv --measure COL [--weight W] [--strata S] [--psu P] [--fpc F] [--by G]",
      "           [--confidence 0.95] [--format table|csv]          design-based estimates for any CSV",
      "  coverage [--replications N] [--sample-size N] [--seed N] [--format table|csv]   coverage of the 95% and 99.8%",
      "           intervals, by simulation: an unequal-probability sample, and the generated world's FTD and force survey",
      "  funnel   --input file.csv [--overdispersion none|multiplicative|additive] [--format table|csv]",
      "           funnel-plot limits and significance for columns area, numerator, denominator",
      "  spc      --input file.csv --chart i|mr|p|pp|c|u [--freeze N] [--rules western-electric|anhoej]",
      "           [--format table|csv]   control chart of columns period, value (and denominator for p, pp, u)",
      "  verify-report [--format table|csv]                        run, then regenerate the seed report's figures",
      "  status   [--format table|csv]                             per table: version, last write, rows, last run",
      "  fingerprint [--format table|csv]                          per silver and gold table: rows and a hash of its",
      "           figures (batch, time and version columns aside), to show two builds hold the same",
      "  marts    [--out FILE]                                      every gold table and column with its description",
      "           (docs/marts.md), as the tables' comments hold them",
      "  serve    [--port N] [--host H]                            SQL endpoint (JDBC/ODBC, HiveServer2 protocol) over",
      "           the lakehouse, read-only, on 127.0.0.1 (another host needs authentication); stops on SIGTERM or Ctrl-C",
      "  users    add NAME | remove NAME | list                    the SQL endpoint's users (beacon.serve.users-file);",
      "           add reads the password without echo (from standard input when it is not a terminal)",
      "  extract  --force CODE --period YYYY/YY [--ocu CODE] [--out DIR]   inspection pack: indicators.csv,",
      "           indicators.xlsx, report.html and manifest.json from the gold marts",
      "  vacuum   [--format table|csv]                             delete data files older than the retention",
      "           that no kept version reads (beacon.retention; every table keeps its versions that long)",
      "jobs that write take the lakehouse's writer lock: a second one stops (or waits, beacon.jobs.lock-wait)",
      "common options: --lakehouse DIR (default ./lakehouse, or BEACON_LAKEHOUSE)");

  private Beacon() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs one command and returns its exit code; used by main and by the end-to-end tests. */
  public static int execute(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      System.err.println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    Options options;
    try {
      options = Options.parse(command, List.of(args).subList(1, args.length));
    } catch (UsageException e) {
      System.err.println("beacon " + command + ": " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    long start = System.nanoTime();
    List<String> job = List.of(args);
    LakehouseLock lock = null;
    try {
      Settings settings = Settings.load(options.overrides);
      if (WRITERS.contains(command)) {
        lock = LakehouseLock.acquire(settings.lakehouse(), command, settings.lockWait());
      }
      switch (command) {
        case "generate" -> Generator.run(settings);
        case "ingest" -> withSpark(settings, job, spark -> {
          if ("ons-geography".equals(options.estimate.get("source"))) {
            OnsGeography.ingest(spark, settings, options.estimate.containsKey("input") ? Path.of(options.estimate.get("input")) : null);
          } else if (options.estimate.containsKey("source")) {
            CrimeIngestJob.run(spark, settings, Path.of(options.estimate.get("input")), options.period(),
                options.estimate.containsKey("as-of") ? java.time.YearMonth.parse(options.estimate.get("as-of")) : null);
            Pipeline.reconcile(spark, settings);
          } else {
            ingest(spark, settings, options.period());
          }
        });
        case "build" -> withSpark(settings, job, spark -> build(spark, settings, options.period()));
        case "run" -> {
          Generator.run(settings);
          withSpark(settings, job, spark -> {
            ingest(spark, settings, options.period());
            build(spark, settings, options.period());
          });
        }
        case "estimate" -> {
          EstimateCommand.run(options, System.out);
          return 0;
        }
        case "coverage" -> {
          EstimateCommand.coverage(settings, options, System.out);
          return 0;
        }
        case "funnel" -> {
          FunnelCommand.run(options, GradingSettings.of(settings).funnelOverdispersion(), GradingSettings.of(settings).funnelWinsorTail(), System.out);
          return 0;
        }
        case "spc" -> {
          SpcCommand.run(options, SpcSettings.of(settings), System.out);
          return 0;
        }
        case "verify-report" -> {
          Generator.run(settings);
          int[] code = {0};
          withSpark(settings, job, spark -> {
            ingest(spark, settings, null);
            build(spark, settings, null);
            code[0] = VerifyReportCommand.run(spark, settings, options.format, System.out);
          });
          return code[0];
        }
        case "status" -> {
          // Spark only when a table's rows cannot be read from its log.
          SparkSession[] opened = {null};
          try {
            StatusCommand.run(settings, () -> opened[0] == null ? (opened[0] = SparkSessions.open(settings)) : opened[0],
                options.format, System.out);
          } finally {
            if (opened[0] != null && !Boolean.getBoolean("org.beacon.sharedSession")) {
              opened[0].stop();
            }
          }
        }
        case "fingerprint" -> withSpark(settings, spark -> FingerprintCommand.run(spark, settings, options.format, System.out));
        case "marts" -> withSpark(settings, spark -> MartsCommand.run(spark, settings,
            options.estimate.containsKey("out") ? Path.of(options.estimate.get("out")) : null));
        case "serve" -> {
          ServeCommand.run(settings);
          return 0;
        }
        case "users" -> {
          UsersCommand.run(settings, options.positional, System.in, System.out);
          return 0;
        }
        case "extract" -> withSpark(settings, job, spark -> {
          Path out = ExtractJob.run(spark, settings, new ExtractJob.Request(options.estimate.get("force"),
              options.estimate.get("period"), options.estimate.get("ocu"),
              options.estimate.containsKey("out") ? Path.of(options.estimate.get("out")) : null));
          System.out.println(out.toAbsolutePath());
        });
        case "vacuum" -> withSpark(settings, job, spark -> Output.print(System.out, options.format,
            List.of("table", "version", "files_deleted"), Vacuum.run(spark, settings).stream()
                .map(r -> List.<Object>of(r.table(), r.version(), r.filesDeleted())).toList()));
        case "sql" -> {
          if (options.connect != null) {
            try (java.sql.Connection c = SqlCommand.connect(options.connect, options.user)) {
              return SqlCommand.run(SqlCommand.jdbc(c), options, System.in, System.out);
            } catch (java.sql.SQLException e) {
              throw new BeaconException("Cannot close the connection to " + options.connect + ": " + e.getMessage() + ".", e);
            }
          }
          int[] code = {0};
          withSpark(settings, spark -> code[0] = SqlCommand.run(SqlCommand.spark(spark), options, System.in, System.out));
          return code[0];
        }
        default -> throw new IllegalStateException(command);
      }
      LOG.info("beacon {} finished in {} s", command, String.format("%.1f", (System.nanoTime() - start) / 1e9));
      return 0;
    } catch (BeaconException e) {
      System.err.println("beacon " + command + " failed: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      LOG.error("Unexpected failure", e);
      System.err.println("beacon " + command + " failed: " + describe(e));
      return 1;
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
  }

  private static void ingest(SparkSession spark, Settings settings, Period period) {
    Pipeline.run(spark, settings, Pipeline.ingest(period));
  }

  /** Builds every mart whose inputs have arrived; each one left out says why, one line each, on stderr. */
  private static void build(SparkSession spark, Settings settings, Period period) {
    if (org.beacon.ops.JobRuns.versions(settings).keySet().stream().noneMatch(t -> t.startsWith("silver."))) {
      throw new BeaconException("Nothing has been ingested into " + settings.lakehouse() + " yet: run jobs/beacon ingest "
          + "(or jobs/beacon run) first.");
    }
    StepRunner.notBuilt();
    Pipeline.run(spark, settings, Pipeline.build(period));
    StepRunner.notBuilt().forEach((table, why) -> System.err.println("beacon: " + table + " not built: " + why));
  }

  private interface SparkWork {
    void run(SparkSession spark);
  }

  private static void withSpark(Settings settings, SparkWork work) {
    withSpark(settings, null, work);
  }

  /** Opens the session, runs the work and, for a job that may write (job not null), records it in ops.job_runs. */
  private static void withSpark(Settings settings, List<String> job, SparkWork work) {
    SparkSession spark = SparkSessions.open(settings);
    // A process that finds the catalog taken by another uses a private one: give it the views too. A shared
    // catalog keeps the views the last build made (about 3 s a process to make again).
    Views.registerMissing(spark, settings);
    java.time.Instant started = java.time.Instant.now();
    Map<String, Long> before = job == null ? null : JobRuns.versions(settings);
    try {
      work.run(spark);
      QualityGate.flush(spark, settings);
      if (job != null) {
        JobRuns.record(spark, settings, job.get(0), job.subList(1, job.size()), started, before, null);
      }
    } catch (RuntimeException e) {
      QualityGate.flush(spark, settings);
      if (job != null) {
        JobRuns.record(spark, settings, job.get(0), job.subList(1, job.size()), started, before, e);
      }
      throw e;
    } finally {
      // Tests share one session per JVM; a real process ends here anyway.
      if (!Boolean.getBoolean("org.beacon.sharedSession")) {
        spark.stop();
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

  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /** Parsed command-line options: config overrides plus the sql command's own. */
  static final class Options {
    private static final List<String> PERIODS = List.of("period", "quarter", "month");
    final Map<String, Object> overrides = new LinkedHashMap<>();
    final List<String> statements = new ArrayList<>();
    final Map<String, String> estimate = new LinkedHashMap<>();
    String file;
    String format = "table";
    boolean batch;
    /** The JDBC URL of a running `beacon serve` that sql sends its statements to, or null for a session of its own. */
    String connect;
    /** The user name sql --connect logs in with (its password from BEACON_SQL_PASSWORD or the terminal). */
    String user;
    /** The words after the command that are not options: users' action and name. */
    final List<String> positional = new ArrayList<>();

    /** The period of a scheduled ingest, build or run, or null for a full one. */
    Period period() {
      return PERIODS.stream().filter(estimate::containsKey).findFirst().map(k -> Period.parse(k, estimate.get(k))).orElse(null);
    }

    static Options parse(String command, List<String> args) throws UsageException {
      if (!List.of("generate", "ingest", "build", "run", "sql", "estimate", "coverage", "funnel", "spc", "verify-report",
          "extract", "serve", "status", "fingerprint", "marts", "vacuum", "users").contains(command)) {
        throw new UsageException("unknown command '" + command + "'.");
      }
      Options o = new Options();
      if (command.equals("users")) {
        args = usersAction(args, o);
      }
      boolean generates = command.equals("generate") || command.equals("run");
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        String v = i + 1 < args.size() ? args.get(i + 1) : null;
        switch (a) {
          case "--lakehouse" -> o.overrides.put("beacon.lakehouse", required(a, v));
          case "--seed", "--forces", "--years", "--scale" -> {
            if (command.equals("coverage") && a.equals("--seed")) {
              o.estimate.put("seed", required(a, v));
              i++;
              continue;
            }
            if (!generates) {
              throw new UsageException(a + " belongs to generate and run.");
            }
            String value = required(a, v);
            try {
              Double.parseDouble(value);
            } catch (NumberFormatException e) {
              throw new UsageException(a + " needs a number, not '" + value + "'.");
            }
            o.overrides.put("beacon.generate." + a.substring(2), value);
          }
          case "-e" -> {
            sqlOnly(command, a);
            o.statements.add(required(a, v));
          }
          case "-f" -> {
            sqlOnly(command, a);
            o.file = required(a, v);
          }
          case "--batch" -> {
            sqlOnly(command, a);
            o.batch = true;
            continue;
          }
          case "--connect" -> {
            sqlOnly(command, a);
            o.connect = required(a, v);
          }
          case "--format" -> {
            if (!List.of("sql", "estimate", "coverage", "funnel", "spc", "verify-report", "status", "fingerprint", "vacuum")
                .contains(command)) {
              throw new UsageException("--format belongs to sql, estimate, coverage, funnel, spc, verify-report, status, fingerprint "
                  + "and vacuum.");
            }
            o.format = required(a, v);
            List<String> formats = command.equals("sql") ? List.of("table", "csv", "json") : List.of("table", "csv");
            if (!formats.contains(o.format)) {
              throw new UsageException("--format must be one of " + formats + ", not '" + o.format + "'.");
            }
          }
          case "--input" -> {
            if (!List.of("estimate", "funnel", "ingest", "spc").contains(command)) {
              throw new UsageException(a + " belongs to estimate, funnel, spc and ingest.");
            }
            o.estimate.put(a.substring(2), required(a, v));
          }
          case "--chart" -> {
            spcOnly(command, a);
            String chart = required(a, v);
            if (!List.of("i", "mr", "p", "pp", "c", "u").contains(chart)) {
              throw new UsageException("--chart must be one of i, mr, p, pp, c, u, not '" + chart + "'.");
            }
            o.estimate.put("chart", chart);
          }
          case "--freeze" -> {
            spcOnly(command, a);
            o.estimate.put("freeze", required(a, v));
          }
          case "--rules" -> {
            spcOnly(command, a);
            String rules = required(a, v);
            if (!List.of("western-electric", "anhoej").contains(rules)) {
              throw new UsageException("--rules must be western-electric or anhoej, not '" + rules + "'.");
            }
            o.estimate.put("rules", rules);
          }
          case "--source" -> {
            if (!command.equals("ingest")) {
              throw new UsageException(a + " belongs to ingest.");
            }
            if (!"police-uk".equals(v) && !"ons-geography".equals(v)) {
              throw new UsageException("--source must be police-uk or ons-geography (the other sources are ingested from the "
                  + "landing folder).");
            }
            o.estimate.put("source", v);
          }
          case "--as-of" -> {
            if (!command.equals("ingest")) {
              throw new UsageException(a + " belongs to ingest --source police-uk.");
            }
            if (v == null || !v.matches("[0-9]{4}-(0[1-9]|1[0-2])")) {
              throw new UsageException("--as-of must be a month, YYYY-MM (the month the files were downloaded), not '" + v + "'.");
            }
            o.estimate.put("as-of", v);
          }
          case "--measure", "--weight", "--strata", "--psu", "--fpc", "--by", "--confidence" -> {
            if (!command.equals("estimate")) {
              throw new UsageException(a + " belongs to estimate.");
            }
            o.estimate.put(a.substring(2), required(a, v));
          }
          case "--overdispersion" -> {
            if (!command.equals("funnel")) {
              throw new UsageException(a + " belongs to funnel.");
            }
            String method = required(a, v);
            if (!List.of("none", "multiplicative", "additive").contains(method)) {
              throw new UsageException("--overdispersion must be none, multiplicative or additive, not '" + method + "'.");
            }
            o.estimate.put("overdispersion", method);
          }
          case "--port" -> {
            if (!command.equals("serve")) {
              throw new UsageException(a + " belongs to serve.");
            }
            String port = required(a, v);
            if (!port.matches("\\d{1,5}")) {
              throw new UsageException("--port needs a TCP port number, not '" + port + "'.");
            }
            o.overrides.put("beacon.serve.port", port);
          }
          case "--host" -> {
            if (!command.equals("serve")) {
              throw new UsageException(a + " belongs to serve.");
            }
            o.overrides.put("beacon.serve.host", required(a, v));
          }
          case "--user" -> {
            sqlOnly(command, a);
            o.user = required(a, v);
          }
          case "--force", "--ocu", "--out" -> {
            if (!command.equals("extract") && !(command.equals("marts") && a.equals("--out"))) {
              throw new UsageException(a + (a.equals("--out") ? " belongs to extract and marts." : " belongs to extract."));
            }
            o.estimate.put(a.substring(2), required(a, v));
          }
          case "--period", "--quarter", "--month" -> {
            if (!(command.equals("extract") && a.equals("--period")) && !List.of("ingest", "build", "run").contains(command)) {
              throw new UsageException(a + " belongs to ingest, build and run (and --period to extract).");
            }
            if (!command.equals("extract") && PERIODS.stream().anyMatch(o.estimate::containsKey)) {
              throw new UsageException("give one of --period, --quarter and --month.");
            }
            o.estimate.put(a.substring(2), required(a, v));
            try {
              Period.parse(a.substring(2), v);
            } catch (BeaconException e) {
              throw new UsageException(e.getMessage());
            }
          }
          case "--replications", "--sample-size" -> {
            if (!command.equals("coverage")) {
              throw new UsageException(a + " belongs to coverage.");
            }
            o.estimate.put(a.substring(2), required(a, v));
          }
          default -> throw new UsageException("unknown option '" + a + "'.");
        }
        i++;
      }
      if (command.equals("extract") && (!o.estimate.containsKey("force") || !o.estimate.containsKey("period"))) {
        throw new UsageException("extract needs --force and --period.");
      }
      if (command.equals("estimate") && (!o.estimate.containsKey("input") || !o.estimate.containsKey("measure"))) {
        throw new UsageException("estimate needs --input and --measure.");
      }
      if (command.equals("ingest") && !"ons-geography".equals(o.estimate.get("source"))
          && o.estimate.containsKey("source") != o.estimate.containsKey("input")) {
        throw new UsageException("ingest --source police-uk needs --input DIR, and --input needs --source.");
      }
      if (o.estimate.containsKey("as-of") && !"police-uk".equals(o.estimate.get("source"))) {
        throw new UsageException("--as-of belongs to ingest --source police-uk --input DIR.");
      }
      if (command.equals("spc") && (!o.estimate.containsKey("input") || !o.estimate.containsKey("chart"))) {
        throw new UsageException("spc needs --input and --chart.");
      }
      if (o.user != null && o.connect == null) {
        throw new UsageException("--user belongs to sql --connect.");
      }
      if (command.equals("funnel") && !o.estimate.containsKey("input")) {
        throw new UsageException("funnel needs --input.");
      }
      return o;
    }

    /** Takes `users add NAME`, `users remove NAME` or `users list` off the front of the arguments. */
    private static List<String> usersAction(List<String> args, Options o) throws UsageException {
      String action = args.isEmpty() ? "" : args.get(0);
      int words = switch (action) {
        case "add", "remove" -> 2;
        case "list" -> 1;
        default -> throw new UsageException("users needs add NAME, remove NAME or list.");
      };
      if (args.size() < words || args.get(words - 1).startsWith("--")) {
        throw new UsageException("users " + action + " needs a user name.");
      }
      o.positional.addAll(args.subList(0, words));
      return args.subList(words, args.size());
    }

    private static void spcOnly(String command, String option) throws UsageException {
      if (!command.equals("spc")) {
        throw new UsageException(option + " belongs to spc.");
      }
    }

    private static void sqlOnly(String command, String option) throws UsageException {
      if (!command.equals("sql")) {
        throw new UsageException(option + " belongs to sql.");
      }
    }

    private static String required(String option, String value) throws UsageException {
      if (value == null) {
        throw new UsageException(option + " needs a value.");
      }
      return value;
    }
  }
}
