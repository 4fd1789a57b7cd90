package org.beacon.indicators;

import org.beacon.survey.SurveyTables;

import org.beacon.survey.SurveySources;

import static org.apache.spark.sql.functions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Period;
import org.beacon.runtime.Settings;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.TableName;
import org.beacon.runtime.TableStep;
import org.beacon.runtime.Tables;
import org.beacon.survey.SurveySource;
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
    if (SurveySources.all(settings).stream().noneMatch(s -> Tables.exists(settings, SurveyTables.silver(s.id())))) {
      StepRunner.notBuilt(IndicatorTables.GOLD_WEIGHTING_EFFICIENCY, "no survey has been ingested");
      StepRunner.notBuilt(IndicatorTables.GOLD_SURVEY_ESTIMATES, "no survey has been ingested");
      return;
    }
    StepRunner.run(spark, settings, period, steps(settings));
  }

  /** gold.weighting_efficiency, then gold.survey_estimates; the raked weights are computed once for both. */
  static List<TableStep> steps(Settings settings) {
    List<SurveySource> sources = SurveySources.all(settings).stream().filter(s -> !indicators(settings, s).isEmpty()).toList();
    BiFunction<StepRunner.Inputs, SurveySource, Dataset<Row>> responses = responses(new HashMap<>());
    TableStep efficiency = inputs(TableStep.of(IndicatorTables.GOLD_WEIGHTING_EFFICIENCY), sources).as(in -> {
      Dataset<Row> all = null;
      for (SurveySource s : sources) {
        if (s.weighting().isRaked() && in.exists(SurveyTables.silver(s.id()))) {
          Dataset<Row> one = Weighting.efficiency(responses.apply(in, s), s.id());
          all = all == null ? one : all.unionByName(one);
        }
      }
      return all.orderBy("source", "ocu_code", "financial_year");
    });
    return List.of(efficiency, estimates(settings, sources, responses));
  }

  /**
   * `beacon cells`: one source's cells at a level and period type for the whole population or one subgroup type,
   * estimated from silver as a build would if the source's subgroup-cells listed them, in gold.survey_estimates'
   * columns. Analysts get here the cells the build does not keep (see reference.conf, subgroup-cells).
   */
  public static Dataset<Row> cells(SparkSession spark, Settings settings, String sourceId, String level, String periodType,
      String subgroupType) {
    SurveySource source = SurveySources.of(settings, sourceId);
    if (source == null) {
      throw new BeaconException("There is no survey source '" + sourceId + "'; the sources are "
          + SurveySources.byId(settings).keySet() + ".");
    }
    if (indicators(settings, source).isEmpty()) {
      throw new BeaconException("No indicator of the catalogue is estimated from " + sourceId + ".");
    }
    List<String> levels = SurveyEstimates.levels(source);
    if (!levels.contains(level)) {
      throw new BeaconException(sourceId + " is estimated at the levels " + levels + ", not '" + level + "'.");
    }
    if (!SurveySource.periodTypes(level).contains(periodType)) {
      throw new BeaconException(level + " cells have the period types " + SurveySource.periodTypes(level) + ", not '"
          + periodType + "'.");
    }
    boolean all = subgroupType.equals("all");
    if (!all && !source.subgroups().contains(subgroupType)) {
      throw new BeaconException(sourceId + " has the subgroup types " + source.subgroups() + " (or all), not '" + subgroupType + "'.");
    }
    if (!Tables.exists(settings, SurveyTables.silver(sourceId))) {
      throw new BeaconException(SurveyTables.silver(sourceId) + " does not exist yet: ingest " + sourceId + " first.");
    }
    SurveySource asked = source.withSubgroupCells(all ? List.of() : List.of(subgroupType),
        all ? Map.of() : Map.of(level, List.of(periodType)));
    return StepRunner.evaluate(spark, settings, estimates(settings, List.of(asked), responses(new HashMap<>())))
        .filter(col("level").equalTo(level).and(col("period_type").equalTo(periodType))
            .and(col("subgroup_type").equalTo(subgroupType)));
  }

  /** Each source's silver rows with its raked weights (computed once per source and years read). */
  private static BiFunction<StepRunner.Inputs, SurveySource, Dataset<Row>> responses(Map<String, Dataset<Row>> weighted) {
    // Raking is within OCU and year, so a year's weights need that year's rows only.
    return (in, s) -> weighted.computeIfAbsent(s.id() + in.years(), k -> s.weighting().isRaked()
        ? Weighting.withRakedWeights(in.read(SurveyTables.silver(s.id())), in.read(SurveyTables.SILVER_POPULATION), s.weighting()).cache()
        : in.read(SurveyTables.silver(s.id())));
  }

  /** gold.survey_estimates: every source's cells, its subgroups' at the levels and period types it lists. */
  private static TableStep estimates(Settings settings, List<SurveySource> sources,
      BiFunction<StepRunner.Inputs, SurveySource, Dataset<Row>> responses) {
    return inputs(TableStep.of(IndicatorTables.GOLD_SURVEY_ESTIMATES), sources).as(in -> {
      Dataset<Row> all = null;
      for (SurveySource raw : sources) {
        TableName silver = SurveyTables.silver(raw.id());
        if (!in.exists(silver)) {
          continue;
        }
        SurveySource s = raw.weighting().isRaked() ? raw.withDesignWeight(Weighting.WEIGHT) : raw;
        Dataset<Row> units = SurveyEstimates.withDesignAndFlags(responses.apply(in, raw), s, indicators(settings, s)).cache();
        // The observed quarters of the whole survey bound the windows, as in a full build.
        Row range = (in.years().isEmpty() ? units : in.whole(silver).withColumn("_qi",
            FinancialYear.quarterIndex(col("financial_year"), col("quarter")))).agg(min("_qi"), max("_qi")).first();
        Dataset<Row> one = SurveyEstimates.estimate(units, s, indicators(settings, s), range.getInt(0), range.getInt(1),
            settings.interval())
            .withColumn("source_table", lit(silver.qualified()))
            .withColumn("source_version", lit(in.version(silver)));
        all = all == null ? one : all.unionByName(one);
        LOG.info("Estimating {} indicators of {}", indicators(settings, s).size(), s.id());
      }
      return all.join(broadcast(areaNames(in.read(SurveyTables.SILVER_GEOGRAPHY))), "area_code")
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

  /**
   * The inputs of both marts: geography, population, and each survey's silver rows, whose new deliveries alone
   * rebuild the years they touch and the next (rolling four-quarter windows and changes on the year before).
   */
  private static TableStep inputs(TableStep step, List<SurveySource> sources) {
    step = step.requires(SurveyTables.SILVER_GEOGRAPHY).requires(SurveyTables.SILVER_POPULATION).byFinancialYear(1);
    for (SurveySource s : sources) {
      step = step.uses(SurveyTables.silver(s.id()), new TableStep.Delivered(array(col("_batch_id")), s.silverKey()));
    }
    return step;
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
