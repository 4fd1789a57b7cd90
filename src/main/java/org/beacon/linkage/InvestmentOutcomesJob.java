package org.beacon.linkage;

import org.beacon.indicators.IndicatorTables;

import org.beacon.workforce.WorkforceTables;

import org.beacon.crime.CrimeTables;

import org.beacon.survey.SurveyTables;

import org.beacon.indicators.Indicator;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.Columns;
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
            List<InvestmentModels.Observation> obs = observations(in::exists, in::read, settings, outcome);
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

  /**
   * Each OCU-year's outcome with its staffing share and deprivation proxy, read through the given
   * functions (the latest versions for the job, pinned ones for an extract); null when the outcome's
   * table does not exist.
   */
  public static List<InvestmentModels.Observation> observations(Predicate<TableName> exists,
      Function<TableName, Dataset<Row>> read, Settings settings, String outcome) {
    Dataset<Row> values = outcomeValues(exists, read, settings, outcome);
    if (values == null) {
      return null;
    }
    Dataset<Row> shares = read.apply(WorkforceTables.SILVER_WORKFORCE).select("force_code", "ocu_code", "financial_year", "np_share_pct");
    Dataset<Row> proxy = read.apply(SurveyTables.SILVER_POPULATION).groupBy("ocu_code")
        .agg(sum(when(col("ethnic_group_5").notEqual("White"), col("population_16_plus")).otherwise(0)).multiply(100.0)
            .divide(sum("population_16_plus")).as("minority_share_pct"));
    List<InvestmentModels.Observation> obs = new ArrayList<>();
    for (Row r : values.join(shares, Columns.seq("ocu_code", "financial_year")).join(proxy, "ocu_code")
        .orderBy("ocu_code", "financial_year").collectAsList()) {
      obs.add(new InvestmentModels.Observation(r.getAs("ocu_code"), r.getAs("financial_year"), r.<Double>getAs("value"),
          r.<Double>getAs("np_share_pct"), r.<Double>getAs("minority_share_pct")));
    }
    return obs;
  }

  /** ocu_code, financial_year, value: a survey indicator's OCU estimates, or a crime group's rate per 1,000. */
  private static Dataset<Row> outcomeValues(Predicate<TableName> exists, Function<TableName, Dataset<Row>> read,
      Settings settings, String outcome) {
    if (outcome.startsWith("crime:")) {
      if (!exists.test(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)) {
        return null;
      }
      return read.apply(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)
          .filter(col("level").equalTo("ocu").and(col("group_id").equalTo(outcome.substring(6)))
              .and(col("months").equalTo(12)).and(col("rate_per_1000").isNotNull()))
          .select(col("area_code").as("ocu_code"), col("financial_year"), col("rate_per_1000").as("value"));
    }
    if (!exists.test(IndicatorTables.GOLD_SURVEY_ESTIMATES)) {
      return null;
    }
    boolean mean = Indicator.all(settings).stream().anyMatch(i -> i.id().equals(outcome)
        && i.estimand() == org.beacon.indicators.Indicator.Estimand.MEAN);
    return read.apply(IndicatorTables.GOLD_SURVEY_ESTIMATES)
        .filter(col("indicator_id").equalTo(outcome).and(col("level").equalTo("ocu")).and(col("period_type").equalTo("financial_year"))
            .and(col("subgroup_type").equalTo("all")).and(not(col("is_suppressed"))))
        .select(col("area_code").as("ocu_code"), col("period").as("financial_year"),
            col("estimate").multiply(mean ? 1.0 : 100.0).as("value"));
  }
}
