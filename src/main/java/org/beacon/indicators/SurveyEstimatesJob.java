package org.beacon.indicators;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/** silver -> gold.survey_estimates for every catalogue indicator whose source has been ingested. */
public final class SurveyEstimatesJob {
  private SurveyEstimatesJob() {}

  public static void run(SparkSession spark, Settings settings) {
    List<Indicator> ftd = settings.indicators().stream().filter(i -> i.source().equals("ftd")).toList();
    Dataset<Row> responses = Tables.read(spark, settings, TableName.SILVER_FTD);
    long silverVersion = Tables.version(spark, settings, TableName.SILVER_FTD);
    Lineage lineage = Lineage.of(settings).table(spark, settings, TableName.SILVER_FTD)
        .table(spark, settings, TableName.SILVER_GEOGRAPHY);
    Dataset<Row> geography = Tables.read(spark, settings, TableName.SILVER_GEOGRAPHY);
    Dataset<Row> names = geography.select(col("force_code").as("area_code"), col("force_name").as("area_name")).distinct()
        .unionByName(geography.select(col("ocu_code").as("area_code"), col("ocu_name").as("area_name")).distinct())
        .unionByName(geography.select(col("sector_code").as("area_code"), col("sector_name").as("area_name")).distinct());
    Dataset<Row> estimates = SurveyEstimates.estimate(SurveyEstimates.withIndicatorFlags(responses, ftd),
            settings.confidence(), settings.minCellSize())
        .join(broadcast(names), "area_code")
        .withColumn("method", lit("unweighted; Wilson score interval"))
        .withColumn("source_table", lit(TableName.SILVER_FTD.qualified()))
        .withColumn("source_version", lit(silverVersion))
        .select("indicator_id", "level", "force_code", "area_code", "area_name", "period_type", "period", "financial_year",
            "valid_n", "positive_n", "estimate_pct", "ci_lower_pct", "ci_upper_pct", "confidence_level", "is_suppressed",
            "suppression_reason", "method", "source_table", "source_version")
        .orderBy("indicator_id", "level", "area_code", "period_type", "period");
    Tables.replace(spark, settings, TableName.GOLD_SURVEY_ESTIMATES, lineage, () -> estimates,
        "Survey indicator estimates by area (force, OCU, sector) and period (financial year, quarter), "
            + "with Wilson score intervals; small cells suppressed");
  }
}
