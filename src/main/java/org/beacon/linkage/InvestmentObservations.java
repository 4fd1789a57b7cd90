package org.beacon.linkage;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.crime.CrimeTables;
import org.beacon.indicators.Indicator;
import org.beacon.indicators.IndicatorTables;
import org.beacon.runtime.Columns;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.survey.Population;
import org.beacon.survey.SurveyTables;
import org.beacon.workforce.WorkforceTables;

/**
 * What the investment models fit ({@link InvestmentModels.Observation}): each OCU-year's outcome beside the
 * OCU's neighbourhood staffing share that year and its minority-ethnic share of adults (the deprivation proxy).
 * The transforms are pure; {@link #read} applies them to the tables the job (latest versions) or an extract
 * (pinned versions) reads.
 */
public final class InvestmentObservations {
  private InvestmentObservations() {}

  /** Each OCU-year's outcome, or null when the outcome's table does not exist. */
  public static List<InvestmentModels.Observation> read(Predicate<TableName> exists, Function<TableName, Dataset<Row>> read,
      Settings settings, String outcome) {
    Dataset<Row> values;
    if (outcome.startsWith("crime:")) {
      if (!exists.test(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)) {
        return null;
      }
      values = crimeOutcome(read.apply(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS), outcome.substring(6));
    } else {
      if (!exists.test(IndicatorTables.GOLD_SURVEY_ESTIMATES)) {
        return null;
      }
      boolean mean = Indicator.all(settings).stream().anyMatch(i -> i.id().equals(outcome) && i.estimand() == Indicator.Estimand.MEAN);
      values = surveyOutcome(read.apply(IndicatorTables.GOLD_SURVEY_ESTIMATES), outcome, mean);
    }
    return observations(values, read.apply(WorkforceTables.SILVER_WORKFORCE), read.apply(SurveyTables.SILVER_POPULATION));
  }

  /** ocu_code, financial_year, value: a crime group's records per 1,000 residents in OCU-years with twelve months of data. */
  static Dataset<Row> crimeOutcome(Dataset<Row> crimeYears, String group) {
    Columns.require(crimeYears, "InvestmentObservations.crimeOutcome", List.of("level", "area_code", "group_id", "months",
        "financial_year", "rate_per_1000"));
    return crimeYears.filter(col("level").equalTo("ocu").and(col("group_id").equalTo(group)).and(col("months").equalTo(12))
            .and(col("rate_per_1000").isNotNull()))
        .select(col("area_code").as("ocu_code"), col("financial_year"), col("rate_per_1000").as("value"));
  }

  /** ocu_code, financial_year, value: an indicator's published OCU estimates by financial year, proportions in percent. */
  static Dataset<Row> surveyOutcome(Dataset<Row> estimates, String indicator, boolean mean) {
    Columns.require(estimates, "InvestmentObservations.surveyOutcome", List.of("indicator_id", "level", "period_type",
        "subgroup_type", "is_suppressed", "area_code", "period", "estimate"));
    return estimates.filter(col("indicator_id").equalTo(indicator).and(col("level").equalTo("ocu"))
            .and(col("period_type").equalTo("financial_year")).and(col("subgroup_type").equalTo("all")).and(not(col("is_suppressed"))))
        .select(col("area_code").as("ocu_code"), col("period").as("financial_year"),
            col("estimate").multiply(mean ? 1.0 : 100.0).as("value"));
  }

  /** The outcome values joined with the OCU-year's staffing share and the OCU's minority share in percent, by OCU and year. */
  static List<InvestmentModels.Observation> observations(Dataset<Row> values, Dataset<Row> workforce, Dataset<Row> population) {
    Dataset<Row> shares = workforce.select("force_code", "ocu_code", "financial_year", "np_share_pct");
    Dataset<Row> proxy = Population.minorityAdultsByOcu(population)
        .select(col("ocu_code"), col("minority_adults").multiply(100.0).divide(col("adults")).as("minority_share_pct"));
    List<InvestmentModels.Observation> obs = new ArrayList<>();
    for (Row r : values.join(shares, Columns.seq("ocu_code", "financial_year")).join(proxy, "ocu_code")
        .orderBy("ocu_code", "financial_year").collectAsList()) {
      obs.add(new InvestmentModels.Observation(r.getAs("ocu_code"), r.getAs("financial_year"), r.<Double>getAs("value"),
          r.<Double>getAs("np_share_pct"), r.<Double>getAs("minority_share_pct")));
    }
    return obs;
  }
}
