package org.beacon.linkage;

import org.beacon.indicators.IndicatorTables;

import org.beacon.workforce.WorkforceTables;

import org.beacon.crime.CrimeTables;
import org.beacon.survey.SurveyTables;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.TableStep;

/**
 * silver.workforce__ocu_years with gold.survey_estimates and gold.crime_financial_years ->
 * gold.investment_outcomes: for each configured outcome, the models of {@link InvestmentModels} over the
 * OCUs that have both the outcome and their staffing share.
 */
public final class InvestmentOutcomesJob {
  public static final TableName GOLD_INVESTMENT_OUTCOMES = new TableName("gold", "investment_outcomes");

  private static final StructType SCHEMA = StructType.fromDDL("outcome STRING, specification STRING, term STRING, "
      + "estimate DOUBLE, se DOUBLE, lower_95 DOUBLE, upper_95 DOUBLE, p_value DOUBLE, r_squared DOUBLE, n INT, "
      + "n_clusters INT, conclusion STRING, model STRING, input_versions STRING");

  private InvestmentOutcomesJob() {}

  public static void run(SparkSession spark, Settings settings) {
    InvestmentSettings config = InvestmentSettings.of(settings);
    StepRunner.run(spark, settings, null, List.of(TableStep.of(InvestmentOutcomesJob.GOLD_INVESTMENT_OUTCOMES)
        .requires(WorkforceTables.SILVER_WORKFORCE).requires(SurveyTables.SILVER_POPULATION)
        .uses(IndicatorTables.GOLD_SURVEY_ESTIMATES).uses(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS).as(in -> {
          List<Row> rows = new ArrayList<>();
          for (String outcome : config.outcomes()) {
            List<InvestmentModels.Observation> obs = InvestmentObservations.read(in::exists, in::read, settings, outcome);
            if (obs == null) {
              continue;
            }
            for (InvestmentModels.Result m : InvestmentModels.fit(obs, config.changeFrom(), config.changeTo())) {
              rows.add(RowFactory.create(outcome, m.specification(), m.term(), m.estimate(), nan(m.se()), m.lower(), m.upper(),
                  nan(m.pValue()), nan(m.rSquared()), m.n(), m.clusters(), m.conclusion(), m.model(), in.versions()));
            }
          }
          return in.spark().createDataFrame(rows, SCHEMA);
        })));
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
