package org.beacon.workforce;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Settings;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.TableName;
import org.beacon.runtime.TableStep;

/** silver.workforce__ocu_years, the OCU population and the contingency fund -> gold.workforce_indicators. */
public final class WorkforceMartsJob {
  private WorkforceMartsJob() {}

  public static void run(SparkSession spark, Settings settings) {
    StepRunner.run(spark, settings, null, List.of(TableStep.of(TableName.GOLD_WORKFORCE_INDICATORS)
        .requires(TableName.SILVER_WORKFORCE).requires(TableName.SILVER_OCU_POPULATION).uses(TableName.SILVER_CONTINGENCY_FUND)
        .as(in -> WorkforceMarts.indicators(in.read(TableName.SILVER_WORKFORCE), in.read(TableName.SILVER_OCU_POPULATION),
            in.exists(TableName.SILVER_CONTINGENCY_FUND) ? in.read(TableName.SILVER_CONTINGENCY_FUND)
                : in.spark().createDataFrame(List.of(), WorkforceIngestJob.FUND_SCHEMA))
            .orderBy("level", "area_code", "financial_year"))));
  }
}
