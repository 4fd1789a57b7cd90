package org.beacon.grading;

import org.beacon.indicators.Indicator;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/**
 * gold.survey_estimates -> gold.indicator_comparisons, gold.indicator_gaps, gold.indicator_grades,
 * gold.scorecard, gold.funnel_points and gold.funnel_limits.
 */
public final class GradingJob {
  private GradingJob() {}

  public static void run(SparkSession spark, Settings settings) {
    if (!Tables.exists(settings, TableName.GOLD_SURVEY_ESTIMATES)) {
      throw new BeaconException("gold.survey_estimates does not exist yet: run jobs/beacon build (or run) first.");
    }
    GradingSettings grading = GradingSettings.of(settings);
    Lineage lineage = Lineage.of(settings).table(spark, settings, TableName.GOLD_SURVEY_ESTIMATES)
        .table(spark, settings, TableName.SILVER_GEOGRAPHY).table(spark, settings, TableName.SILVER_MSF_GROUPS);
    String versions = lineage.tableVersions();
    Dataset<Row> estimates = Tables.read(spark, settings, TableName.GOLD_SURVEY_ESTIMATES);
    Dataset<Row> annual = Comparisons.annualEstimates(estimates, Tables.read(spark, settings, TableName.SILVER_GEOGRAPHY),
        Indicator.all(settings));
    Tables.replace(spark, settings, TableName.GOLD_INDICATOR_COMPARISONS, lineage,
        () -> Comparisons.compare(annual, Tables.read(spark, settings, TableName.SILVER_MSF_GROUPS), grading.msfAverage())
            .withColumn("input_versions", org.apache.spark.sql.functions.lit(versions))
            .orderBy("indicator_id", "level", "area_code", "period", "comparison", "comparator"));
    Tables.replace(spark, settings, TableName.GOLD_INDICATOR_GAPS, lineage,
        () -> Gaps.gaps(estimates, grading.gaps(), Indicator.all(settings))
            .withColumn("input_versions", org.apache.spark.sql.functions.lit(versions))
            .orderBy("gap_id", "level", "area_code", "period_type", "period"));
    Lineage gradeLineage = Lineage.of(settings).table(spark, settings, TableName.GOLD_INDICATOR_COMPARISONS)
        .table(spark, settings, TableName.GOLD_INDICATOR_GAPS);
    Tables.replace(spark, settings, TableName.GOLD_INDICATOR_GRADES, gradeLineage, () -> {
      Dataset<Row> graded = Grades.grade(Grades.positions(Tables.read(spark, settings, TableName.GOLD_INDICATOR_COMPARISONS),
          Tables.read(spark, settings, TableName.GOLD_INDICATOR_GAPS)), grading, gradeLineage.tableVersions());
      return graded.unionByName(Grades.rollUp(graded, grading))
          .orderBy(col("force_code"), col("period"), col("grade_level").desc(), col("inspection_area"), col("indicator_id"));
    });
    Tables.replace(spark, settings, TableName.GOLD_SCORECARD, lineage,
        () -> Scorecard.scorecard(estimates, grading.scorecard(), Indicator.all(settings))
            .orderBy("indicator_id", "level", "area_code", "quarter"));
    Dataset<Row> units = Funnels.units(annual);
    Tables.replace(spark, settings, TableName.GOLD_FUNNEL_POINTS, lineage,
        () -> Funnels.points(units, grading.funnelOverdispersion(), grading.funnelWinsorTail())
            .orderBy("indicator_id", "period", "level", "funnel_group", "area_code"));
    Tables.replace(spark, settings, TableName.GOLD_FUNNEL_LIMITS, lineage,
        () -> Funnels.limits(units, grading.funnelOverdispersion(), grading.funnelWinsorTail(), grading.funnelLimitPoints())
            .orderBy("indicator_id", "period", "level", "funnel_group", "denominator"));
  }
}
