package org.beacon.workforce;

import org.beacon.survey.SurveyTables;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Settings;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.TableStep;

/** silver.workforce__ocu_years, the OCU population and the contingency fund -> gold.workforce_indicators. */
public final class WorkforceMartsJob {
  private WorkforceMartsJob() {}

  public static void run(SparkSession spark, Settings settings) {
    StepRunner.run(spark, settings, null, List.of(TableStep.of(WorkforceTables.GOLD_WORKFORCE_INDICATORS)
        .requires(WorkforceTables.SILVER_WORKFORCE).requires(SurveyTables.SILVER_OCU_POPULATION).uses(WorkforceTables.SILVER_CONTINGENCY_FUND)
        .as(in -> WorkforceMarts.indicators(in.read(WorkforceTables.SILVER_WORKFORCE), in.read(SurveyTables.SILVER_OCU_POPULATION),
            in.readOrEmpty(WorkforceTables.SILVER_CONTINGENCY_FUND, WorkforceIngestJob.FUND_SCHEMA))
            .orderBy("level", "area_code", "financial_year"))));
  }
}
