package org.beacon.indicators;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.beacon.stats.ClopperPearson;
import org.beacon.stats.Levels;
import org.beacon.stats.TaylorVariance;
import org.beacon.stats.Wilson;
import org.beacon.survey.SurveySource;

/**
 * From a cell's estimate and variance ({@link SurveyEstimates}) to what gold.survey_estimates publishes: the design
 * effect, the design-effective n, the standard error, intervals at both of {@link Levels}' levels (Wilson score or
 * Clopper-Pearson on the Korn-Graubard n for proportions, t for means), the method in words, and suppression of
 * cells below the source's publication threshold.
 */
final class CellStatistics {
  private static final UserDefinedFunction WILSON_LOWER = udf(
      (UDF3<Double, Double, Double, Double>) (x, n, c) -> x == null || n == null || !(n > 0) ? null : Wilson.lower(x, n, c),
      DataTypes.DoubleType);
  private static final UserDefinedFunction WILSON_UPPER = udf(
      (UDF3<Double, Double, Double, Double>) (x, n, c) -> x == null || n == null || !(n > 0) ? null : Wilson.upper(x, n, c),
      DataTypes.DoubleType);
  private static final UserDefinedFunction CLOPPER_PEARSON_LOWER = udf(
      (UDF3<Double, Double, Double, Double>) (x, n, c) -> x == null || n == null || !(n > 0) ? null
          : ClopperPearson.lower(x, n, c), DataTypes.DoubleType);
  private static final UserDefinedFunction CLOPPER_PEARSON_UPPER = udf(
      (UDF3<Double, Double, Double, Double>) (x, n, c) -> x == null || n == null || !(n > 0) ? null
          : ClopperPearson.upper(x, n, c), DataTypes.DoubleType);
  private static final UserDefinedFunction T_HALF_WIDTH = udf(
      (UDF3<Double, Integer, Double, Double>) (se, df, c) -> se == null || df == null ? null : se * TaylorVariance.tQuantile(df, c),
      DataTypes.DoubleType);
  private static final UserDefinedFunction KORN_GRAUBARD_N = udf(
      (UDF4<Double, Long, Integer, Double, Double>) (nEff, n, df, c) -> nEff == null || n == null ? null
          : df == null ? nEff : TaylorVariance.kornGraubardN(nEff, n, df, c), DataTypes.DoubleType);

  private CellStatistics() {}

  static Dataset<Row> finish(Dataset<Row> perCell, SurveySource source, String interval) {
    boolean exact = interval.equals("clopper-pearson");
    UserDefinedFunction lower = exact ? CLOPPER_PEARSON_LOWER : WILSON_LOWER;
    UserDefinedFunction upper = exact ? CLOPPER_PEARSON_UPPER : WILSON_UPPER;
    Column p = col("estimate");
    Column n = col("n").cast("double");
    Column v = col("variance");
    Column kish = col("weighted_n").multiply(col("weighted_n")).divide(col("sw2"));
    Column isMean = col("_is_mean");
    Column weightedVariance = col("swyy").divide(col("weighted_n")).minus(p.multiply(p)).multiply(n).divide(greatest(n.minus(1), lit(1.0)));
    Column srs = when(isMean, weightedVariance.divide(n)).otherwise(p.multiply(lit(1.0).minus(p)).divide(n));
    Column deff = when(srs.gt(0), v.divide(srs));
    // Truncated at n, as in TaylorVariance.effectiveN: a design effect below 1 counts as 1.
    Column nEff = when(isMean, when(deff.gt(0), least(n, n.divide(deff))).otherwise(kish))
        .otherwise(when(v.gt(0).and(p.gt(0)).and(p.lt(1)), least(n, p.multiply(lit(1.0).minus(p)).divide(v))).otherwise(kish));
    Column published = col("n").geq(source.minCellSize());
    Dataset<Row> out = perCell
        .withColumn("source", lit(source.id()))
        .withColumn("n_eff", nEff)
        .withColumn("deff", deff)
        .withColumn("se", sqrt(greatest(v, lit(0.0))));
    for (Map.Entry<String, Double> level : Levels.BY_SUFFIX.entrySet()) {
      String suffix = level.getKey();
      double c = level.getValue();
      // Proportions: the design-effective n with Korn and Graubard's adjustment for the design's degrees of freedom.
      Column nStar = KORN_GRAUBARD_N.apply(col("n_eff"), col("n"), col("df"), lit(c));
      Column x = least(greatest(p, lit(0.0)), lit(1.0)).multiply(nStar);
      Column half = T_HALF_WIDTH.apply(col("se"), col("df"), lit(c));
      // Computed for published cells only (most subgroup cells are suppressed, and their bounds are blank anyway).
      out = out.withColumn("lower_" + suffix, when(published, when(isMean, p.minus(half)).otherwise(lower.apply(x, nStar, lit(c)))))
          .withColumn("upper_" + suffix, when(published, when(isMean, p.plus(half)).otherwise(upper.apply(x, nStar, lit(c)))));
    }
    String design = source.design().psu().isEmpty() ? "respondents as PSUs" : "PSUs " + source.design().psu();
    out = out.withColumn("method", when(isMean, lit("weighted mean; Taylor linearisation (strata "
            + source.design().strata() + ", " + design + "); t interval"))
        .otherwise(lit("Hajek ratio; Taylor linearisation (strata " + source.design().strata() + ", " + design
            + "); " + (exact ? "Clopper-Pearson" : "Wilson score") + " on design-effective n, Korn-Graubard df-adjusted")))
        .withColumn("is_suppressed", not(published))
        .withColumn("suppression_reason", when(not(published), lit("fewer than " + source.minCellSize() + " valid responses")));
    for (String c : List.of("estimate", "se", "n_eff", "deff", "weighted_n")) {
      out = out.withColumn(c, when(published, col(c)));
    }
    return out.select("indicator_id", "source", "level", "area_code", "period_type", "period", "financial_year", "subgroup_type",
        "subgroup", "n", "weighted_n", "n_eff", "deff", "estimate", "se", "lower_95", "upper_95", "lower_998", "upper_998",
        "method", "is_suppressed", "suppression_reason");
  }
}
