package org.beacon.grading;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.indicators.Indicator;
import org.beacon.runtime.Columns;

/**
 * The balanced scorecard: each configured measure per force, OCU and sector per quarter against its target.
 * Status, given polarity: achieved (the whole 95% interval is on the right side of the target), on track
 * (the estimate is, the interval is not), at risk (the estimate is not, the interval reaches the target),
 * missed (the whole interval is on the wrong side), or insufficient data (a suppressed cell).
 */
public final class Scorecard {
  private Scorecard() {}

  public static Dataset<Row> scorecard(Dataset<Row> estimates, List<GradingSettings.ScorecardMeasure> measures,
      List<Indicator> indicators) {
    Columns.require(estimates, "Scorecard.scorecard", List.of("indicator_id", "level", "area_code", "period_type", "period",
        "financial_year", "subgroup_type", "n", "estimate", "lower_95", "upper_95", "is_suppressed"));
    Column target = lit(null).cast("double");
    for (GradingSettings.ScorecardMeasure m : measures) {
      target = when(col("indicator_id").equalTo(m.indicator()), lit(m.targetPct())).otherwise(target);
    }
    Object[] ids = measures.stream().map(GradingSettings.ScorecardMeasure::indicator).toArray();
    Dataset<Row> cells = Comparisons.withIndicatorScale(estimates.filter(col("indicator_id").isin(ids)
        .and(col("level").isin("force", "ocu", "sector")).and(col("period_type").equalTo("quarter"))
        .and(col("subgroup_type").equalTo("all"))), indicators).withColumn("target_pct", target);
    Column sign = col("polarity_sign");
    Column low = when(sign.gt(0), col("lower_95")).otherwise(col("upper_95").multiply(-1));
    Column high = when(sign.gt(0), col("upper_95")).otherwise(col("lower_95").multiply(-1));
    Column value = col("value").multiply(sign);
    Column aim = col("target_pct").multiply(sign);
    return cells.withColumn("status", when(col("is_suppressed"), lit("insufficient data"))
            .when(low.geq(aim), lit("achieved"))
            .when(value.geq(aim), lit("on track"))
            .when(high.geq(aim), lit("at risk"))
            .otherwise(lit("missed")))
        .withColumn("difference_from_target_pp", col("value").minus(col("target_pct")))
        .select(col("indicator_id"), col("level"), col("area_code"), col("period").as("quarter"), col("financial_year"), col("n"),
            col("value").as("value_pct"), col("lower_95"), col("upper_95"), col("target_pct"), col("difference_from_target_pp"),
            col("status"));
  }
}
