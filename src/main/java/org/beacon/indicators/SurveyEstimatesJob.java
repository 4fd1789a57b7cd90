package org.beacon.indicators;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Lineage;
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
    List<SurveySource> sources = new ArrayList<>();
    Lineage lineage = Lineage.of(settings).table(spark, settings, TableName.SILVER_GEOGRAPHY)
        .table(spark, settings, TableName.SILVER_POPULATION);
    for (SurveySource s : settings.sources()) {
      if (Tables.exists(settings, TableName.silver(s.id())) && !indicators(settings, s).isEmpty()) {
        sources.add(s);
        lineage.table(spark, settings, TableName.silver(s.id()));
      }
    }
    if (sources.isEmpty()) {
      throw new org.beacon.runtime.BeaconException("No survey has been ingested yet: run jobs/beacon ingest first.");
    }
    // Raked weights are computed once and serve both the estimates and the efficiency report.
    java.util.Map<String, Dataset<Row>> weighted = new java.util.LinkedHashMap<>();
    java.util.function.Function<SurveySource, Dataset<Row>> responses = s -> weighted.computeIfAbsent(s.id(), id -> {
      Dataset<Row> silver = Tables.read(spark, settings, TableName.silver(id));
      return s.weighting().isRaked()
          ? Weighting.withRakedWeights(silver, Tables.read(spark, settings, TableName.SILVER_POPULATION), s.weighting()).cache()
          : silver;
    });
    Tables.replace(spark, settings, TableName.GOLD_WEIGHTING_EFFICIENCY, lineage, () -> {
      Dataset<Row> all = null;
      for (SurveySource s : sources) {
        if (s.weighting().isRaked()) {
          Dataset<Row> one = Weighting.efficiency(responses.apply(s), s.id());
          all = all == null ? one : all.unionByName(one);
        }
      }
      return all.orderBy("source", "ocu_code", "financial_year");
    });
    Tables.replace(spark, settings, TableName.GOLD_SURVEY_ESTIMATES, lineage, () -> {
      Dataset<Row> all = null;
      for (SurveySource raw : sources) {
        SurveySource s = raw.weighting().isRaked() ? raw.withDesignWeight(Weighting.WEIGHT) : raw;
        TableName silver = TableName.silver(s.id());
        Dataset<Row> units = SurveyEstimates.withDesignAndFlags(responses.apply(s), s, indicators(settings, s)).cache();
        Row range = units.agg(min("_qi"), max("_qi")).first();
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
          .orderBy("indicator_id", "level", "area_code", "period_type", "period", "subgroup_type", "subgroup");
    });
  }

  static List<Indicator> indicators(Settings settings, SurveySource source) {
    return settings.indicators().stream().filter(i -> i.source().equals(source.id())).toList();
  }

  private static Dataset<Row> areaNames(Dataset<Row> geography) {
    Dataset<Row> names = null;
    for (String level : List.of("neighbourhood", "sector", "ocu", "force")) {
      Dataset<Row> one = geography.select(col(level + "_code").as("area_code"), col(level + "_name").as("area_name")).distinct();
      names = names == null ? one : names.unionByName(one);
    }
    return names;
  }
}
