package org.beacon.cli;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.beacon.ops.JobRuns;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Period;
import org.beacon.runtime.QualityGate;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.StepRunner;
import org.beacon.sql.Views;

/** What the commands that run Spark share: a session for the work, the run log, and the pipeline's two halves. */
final class Jobs {
  private Jobs() {}

  interface SparkWork {
    void run(SparkSession spark);
  }

  /** Opens the session and runs the work (a command that only reads: nothing is recorded). */
  static void withSpark(Settings settings, SparkWork work) {
    withSpark(settings, null, work);
  }

  /** Opens the session, runs the work and, for a job that may write (job not null), records it in ops.job_runs. */
  static void withSpark(Settings settings, List<String> job, SparkWork work) {
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

  /** landing -> bronze -> silver for every source; with a period, a scheduled delivery. */
  static void ingest(SparkSession spark, Settings settings, Period period) {
    Pipeline.run(spark, settings, "ingest", Pipeline.ingest(period));
  }

  /** Builds every mart whose inputs have arrived; each one left out says why, one line each, on stderr. */
  static void build(SparkSession spark, Settings settings, Period period) {
    if (JobRuns.versions(settings).keySet().stream().noneMatch(t -> t.startsWith("silver."))) {
      throw new BeaconException("Nothing has been ingested into " + settings.lakehouse() + " yet: run jobs/beacon ingest "
          + "(or jobs/beacon run) first.");
    }
    StepRunner.notBuilt();
    Pipeline.run(spark, settings, "build", Pipeline.build(period));
    StepRunner.notBuilt().forEach((table, why) -> System.err.println("beacon: " + table + " not built: " + why));
  }

  /**
   * For a service command: prints where it listens (the one line on stdout a script reads), then waits until the
   * process is told to stop (SIGTERM, SIGINT), when {@code stop} runs.
   */
  static void serveUntilStopped(String command, String address, Runnable stop) {
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("beacon " + command + ": stopping");
      stop.run();
      stopped.countDown();
    }, "beacon-" + command + "-stop"));
    System.out.println(address);
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
