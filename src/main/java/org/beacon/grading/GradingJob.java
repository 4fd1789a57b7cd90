package org.beacon.grading;

import org.beacon.survey.SurveyTables;

import org.beacon.indicators.IndicatorTables;

import org.beacon.indicators.Indicator;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Settings;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.TableName;
import org.beacon.runtime.TableStep;

/**
 * gold.survey_estimates -> gold.indicator_comparisons, gold.indicator_gaps, gold.indicator_grades,
 * gold.scorecard, gold.funnel_points and gold.funnel_limits.
 */
public final class GradingJob {
  private GradingJob() {}

  public static void run(SparkSession spark, Settings settings) {
    StepRunner.run(spark, settings, null, steps(settings));
  }

  static List<TableStep> steps(Settings settings) {
    GradingSettings grading = GradingSettings.of(settings);
    TableName estimates = IndicatorTables.GOLD_SURVEY_ESTIMATES;
    TableStep annual = TableStep.of(GradingTables.GOLD_INDICATOR_COMPARISONS).requires(estimates).requires(SurveyTables.SILVER_GEOGRAPHY);
    return List.of(
        annual.requires(SurveyTables.SILVER_MSF_GROUPS).as(in -> Comparisons.compare(annual(in), in.read(SurveyTables.SILVER_MSF_GROUPS),
                grading.msfAverage())
            .withColumn("input_versions", lit(in.versions()))
            .orderBy("indicator_id", "level", "area_code", "period", "comparison", "comparator")),
        TableStep.of(GradingTables.GOLD_INDICATOR_GAPS).requires(estimates).as(in -> Gaps.gaps(in.read(estimates), grading.gaps(),
                Indicator.all(settings))
            .withColumn("input_versions", lit(in.versions()))
            .orderBy("gap_id", "level", "area_code", "period_type", "period")),
        TableStep.of(GradingTables.GOLD_INDICATOR_GRADES).requires(GradingTables.GOLD_INDICATOR_COMPARISONS)
            .requires(GradingTables.GOLD_INDICATOR_GAPS).as(in -> {
              Dataset<Row> graded = Grades.grade(Grades.positions(in.read(GradingTables.GOLD_INDICATOR_COMPARISONS),
                  in.read(GradingTables.GOLD_INDICATOR_GAPS)), grading, in.versions());
              return graded.unionByName(Grades.rollUp(graded, grading))
                  .orderBy(col("force_code"), col("period"), col("grade_level").desc(), col("inspection_area"), col("indicator_id"));
            }),
        TableStep.of(GradingTables.GOLD_SCORECARD).requires(estimates).as(in -> Scorecard.scorecard(in.read(estimates),
                grading.scorecard(), Indicator.all(settings))
            .orderBy("indicator_id", "level", "area_code", "quarter")),
        annual.withOutput(GradingTables.GOLD_FUNNEL_POINTS).as(in -> Funnels.points(Funnels.units(annual(in)),
                grading.funnelOverdispersion(), grading.funnelWinsorTail())
            .orderBy("indicator_id", "period", "level", "funnel_group", "area_code")),
        annual.withOutput(GradingTables.GOLD_FUNNEL_LIMITS).as(in -> Funnels.limits(Funnels.units(annual(in)),
                grading.funnelOverdispersion(), grading.funnelWinsorTail(), grading.funnelLimitPoints())
            .orderBy("indicator_id", "period", "level", "funnel_group", "denominator")),
        TableStep.of(GradingTables.GOLD_AREA_JUDGEMENTS).requires(GradingTables.GOLD_INDICATOR_GRADES)
            .uses(GradingTables.SILVER_MODERATED_JUDGEMENTS).as(in -> Judgements.sideBySide(in.read(GradingTables.GOLD_INDICATOR_GRADES),
                in.readOrEmpty(GradingTables.SILVER_MODERATED_JUDGEMENTS, Judgements.SCHEMA))
            .orderBy("force_code", "period", "inspection_area")));
  }

  /** Each indicator's annual estimates with the areas' groups (what comparisons and funnels start from). */
  private static Dataset<Row> annual(StepRunner.Inputs in) {
    return Comparisons.annualEstimates(in.read(IndicatorTables.GOLD_SURVEY_ESTIMATES), in.read(SurveyTables.SILVER_GEOGRAPHY),
        Indicator.all(in.settings()));
  }
}
