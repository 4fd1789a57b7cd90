package org.beacon.indicators;

import org.beacon.survey.SurveySources;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Increments;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Period;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.beacon.survey.SurveySource;
import org.beacon.survey.Weighting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** silver -> gold.survey_estimates for every catalogue indicator whose source has been ingested. */
public final class SurveyEstimatesJob {
  private static final Logger LOG = LoggerFactory.getLogger(SurveyEstimatesJob.class);

  private SurveyEstimatesJob() {}

  public static void run(SparkSession spark, Settings settings) {
    run(spark, settings, null);
  }

  /**
   * Builds the estimates. A scheduled run (given a period), when nothing but the survey rows changed since
   * the last build, recomputes only the financial years whose rows changed and the next ones (their rolling
   * windows reach back), replacing those years' rows; every other year stays as it was.
   */
  public static void run(SparkSession spark, Settings settings, Period period) {
    List<SurveySource> sources = new ArrayList<>();
    Lineage lineage = Lineage.of(settings).table(spark, settings, TableName.SILVER_GEOGRAPHY)
        .table(spark, settings, TableName.SILVER_POPULATION);
    for (SurveySource s : SurveySources.all(settings)) {
      if (Tables.exists(settings, TableName.silver(s.id())) && !indicators(settings, s).isEmpty()) {
        sources.add(s);
        lineage.table(spark, settings, TableName.silver(s.id()));
      }
    }
    if (sources.isEmpty()) {
      throw new org.beacon.runtime.BeaconException("No survey has been ingested yet: run jobs/beacon ingest first.");
    }
    boolean current = Tables.isCurrent(spark, settings, TableName.GOLD_SURVEY_ESTIMATES, lineage)
        && Tables.isCurrent(spark, settings, TableName.GOLD_WEIGHTING_EFFICIENCY, lineage);
    Set<String> years = period == null || current ? null : changedYears(spark, settings, lineage, sources);
    if (period != null && !current && years == null) {
      LOG.info("Settings, code or reference data changed since the last build: all years are estimated");
    }
    // Raking is within OCU and year, so a year's weights need that year's rows only; the year before the
    // affected ones feeds their rolling four-quarter windows.
    Column inScope = years == null ? lit(true) : col("financial_year").isin(Increments.withPrecedingYears(years).toArray());
    if (years != null) {
      LOG.info("Estimating the financial years {} only: survey rows changed in them or the year before", years);
    }
    // Raked weights are computed once and serve both the estimates and the efficiency report.
    java.util.Map<String, Dataset<Row>> weighted = new java.util.LinkedHashMap<>();
    java.util.function.Function<SurveySource, Dataset<Row>> responses = s -> weighted.computeIfAbsent(s.id(), id -> {
      Dataset<Row> silver = Tables.read(spark, settings, TableName.silver(id)).filter(inScope);
      return s.weighting().isRaked()
          ? Weighting.withRakedWeights(silver, Tables.read(spark, settings, TableName.SILVER_POPULATION), s.weighting()).cache()
          : silver;
    });
    write(spark, settings, TableName.GOLD_WEIGHTING_EFFICIENCY, lineage, years, () -> {
      Dataset<Row> all = null;
      for (SurveySource s : sources) {
        if (s.weighting().isRaked()) {
          Dataset<Row> one = Weighting.efficiency(responses.apply(s), s.id());
          all = all == null ? one : all.unionByName(one);
        }
      }
      return all.orderBy("source", "ocu_code", "financial_year");
    });
    write(spark, settings, TableName.GOLD_SURVEY_ESTIMATES, lineage, years, () -> {
      Dataset<Row> all = null;
      for (SurveySource raw : sources) {
        SurveySource s = raw.weighting().isRaked() ? raw.withDesignWeight(Weighting.WEIGHT) : raw;
        TableName silver = TableName.silver(s.id());
        Dataset<Row> units = SurveyEstimates.withDesignAndFlags(responses.apply(s), s, indicators(settings, s)).cache();
        // The observed quarters of the whole survey bound the windows, as in a full build.
        Row range = (years == null ? units : Tables.read(spark, settings, silver).withColumn("_qi",
            FinancialYear.quarterIndex(col("financial_year"), col("quarter")))).agg(min("_qi"), max("_qi")).first();
        Dataset<Row> one = SurveyEstimates.estimate(units, s, indicators(settings, s), range.getInt(0), range.getInt(1),
            settings.interval())
            .withColumn("source_table", lit(silver.qualified()))
            .withColumn("source_version", lit(Tables.version(spark, settings, silver)));
        all = all == null ? one : all.unionByName(one);
        LOG.info("Estimating {} indicators of {}", indicators(settings, s).size(), s.id());
      }
      return all.join(broadcast(areaNames(Tables.read(spark, settings, TableName.SILVER_GEOGRAPHY))), "area_code")
          .select("indicator_id", "source", "level", "area_code", "area_name", "period_type", "period", "financial_year",
              "subgroup_type", "subgroup", "n", "weighted_n", "n_eff", "deff", "estimate", "se", "lower_95", "upper_95",
              "lower_998", "upper_998", "method", "is_suppressed", "suppression_reason", "source_table", "source_version")
          // A file per financial year (the table's partitions), its rows in order, without the sampling pass
          // (a second computation of every estimate) that a global sort would make.
          .repartition(col("financial_year"))
          .sortWithinPartitions("financial_year", "indicator_id", "level", "area_code", "period_type", "period",
              "subgroup_type", "subgroup");
    });
  }

  private static List<TableName> silvers(List<SurveySource> sources) {
    return sources.stream().map(s -> TableName.silver(s.id())).toList();
  }

  /**
   * The years to re-estimate: those whose survey rows changed since the marts were built, with the next
   * year (whose rolling windows reach back); null when anything else changed, which needs a full build.
   */
  private static Set<String> changedYears(SparkSession spark, Settings settings, Lineage lineage, List<SurveySource> sources) {
    List<TableName> silvers = silvers(sources);
    String estimates = Tables.lineage(spark, settings, TableName.GOLD_SURVEY_ESTIMATES);
    if (!lineage.differsOnlyIn(estimates, silvers)
        || !lineage.differsOnlyIn(Tables.lineage(spark, settings, TableName.GOLD_WEIGHTING_EFFICIENCY), silvers)) {
      return null;
    }
    Set<String> changed = new java.util.TreeSet<>();
    for (SurveySource s : sources) {
      TableName silver = TableName.silver(s.id());
      changed.addAll(Increments.changedYears(spark, settings, silver, Lineage.recordedVersion(estimates, silver),
          array(col("_batch_id")), s.silverKey()));
    }
    return Increments.withFollowingYears(changed);
  }

  /** Replaces the table, or only the rows of the given years. */
  private static void write(SparkSession spark, Settings settings, TableName table, Lineage lineage, Set<String> years,
      java.util.function.Supplier<Dataset<Row>> data) {
    if (years == null) {
      Tables.replace(spark, settings, table, lineage, data);
    } else if (!Tables.isCurrent(spark, settings, table, lineage)) {
      Tables.replaceWhere(spark, settings, table, lineage, Increments.yearsPredicate(years),
          data.get().filter(col("financial_year").isin(years.toArray())));
    }
  }

  static List<Indicator> indicators(Settings settings, SurveySource source) {
    return Indicator.all(settings).stream().filter(i -> i.source().equals(source.id())).toList();
  }

  private static Dataset<Row> areaNames(Dataset<Row> geography) {
    Dataset<Row> names = null;
    for (String level : SurveySource.LEVELS) {
      Dataset<Row> one = geography.select(col(level + "_code").as("area_code"), col(level + "_name").as("area_name")).distinct();
      names = names == null ? one : names.unionByName(one);
    }
    return names;
  }
}
