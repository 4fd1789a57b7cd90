package org.beacon.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.beacon.crime.CrimeIngestJob;
import org.beacon.crime.CrimeMartsJob;
import org.beacon.grading.GradingJob;
import org.beacon.grading.Judgements;
import org.beacon.indicators.PanelChangesJob;
import org.beacon.indicators.SmallAreaEstimatesJob;
import org.beacon.indicators.SurveyEstimatesJob;
import org.beacon.linkage.InvestmentOutcomesJob;
import org.beacon.runtime.Period;
import org.beacon.runtime.Reconciliation;
import org.beacon.runtime.Settings;
import org.beacon.runtime.Tables;
import org.beacon.spc.SpcJob;
import org.beacon.sql.Views;
import org.beacon.survey.SurveyIngestJob;
import org.beacon.workforce.WorkforceIngestJob;
import org.beacon.workforce.WorkforceMartsJob;

/**
 * The jobs of `ingest` and `build`, in the order they depend on each other, as named steps: the CLI runs
 * them in turn, and the benchmark times each one.
 */
public final class Pipeline {
  /** One job of the pipeline. */
  public record Step(String name, Work work) {}

  /** A job run on an open session. */
  public interface Work {
    void run(SparkSession spark, Settings settings);
  }

  private Pipeline() {}

  /** landing -> bronze -> silver for every source; with a period, only the files delivered since the last run. */
  public static List<Step> ingest(Period period) {
    return List.of(
        new Step("ingest surveys", (spark, settings) -> SurveyIngestJob.run(spark, settings, period)),
        new Step("ingest workforce", WorkforceIngestJob::run),
        new Step("ingest crime", (spark, settings) -> CrimeIngestJob.run(spark, settings, null, period)),
        new Step("ingest moderated judgements", Judgements::ingest),
        new Step("reconcile loads", Pipeline::reconcile));
  }

  /** ops.load_reconciliation over every source loaded so far. */
  static void reconcile(SparkSession spark, Settings settings) {
    List<Reconciliation.Load> loads = new ArrayList<>(SurveyIngestJob.loads(settings));
    loads.addAll(CrimeIngestJob.loads(settings));
    Reconciliation.write(spark, settings, loads);
  }

  /**
   * silver -> gold, in dependency order. With a period the two large marts rebuild only the financial
   * years whose rows changed; the marts computed from them (comparisons, grades, charts) are small and
   * are rebuilt whole whenever their inputs moved.
   */
  public static List<Step> build(Period period) {
    return List.of(
        new Step("survey estimates", (spark, settings) -> SurveyEstimatesJob.run(spark, settings, period)),
        new Step("comparisons and grades", GradingJob::run),
        new Step("crime marts", (spark, settings) -> CrimeMartsJob.run(spark, settings, period)),
        new Step("control charts", SpcJob::run),
        new Step("workforce marts", WorkforceMartsJob::run),
        new Step("investment models", InvestmentOutcomesJob::run),
        // After the crime marts: recorded crime is one of the small-area covariates.
        new Step("small-area estimates", SmallAreaEstimatesJob::run),
        new Step("panel changes", PanelChangesJob::run),
        new Step("views", Views::register));
  }

  /**
   * Runs the steps in turn; after each, one line on stderr says how far the job has got: the step's number out of
   * the phase's, how long it took, the rows written so far and the time since the command started.
   */
  static void run(SparkSession spark, Settings settings, String phase, List<Step> steps) {
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      long start = System.nanoTime();
      step.work().run(spark, settings);
      System.err.printf(java.util.Locale.UK, "beacon: %s step %d/%d (%s) done in %.1f s; %,d rows written so far; %s elapsed%n",
          phase, i + 1, steps.size(), step.name(), (System.nanoTime() - start) / 1e9, Tables.rowsWrittenSoFar(),
          Output.duration(java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()));
    }
  }
}
