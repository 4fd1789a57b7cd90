package org.beacon.indicators;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.beacon.runtime.Columns;
import org.beacon.runtime.FinancialYear;
import org.beacon.stats.McNemar;
import org.beacon.stats.Newcombe;

/**
 * Tracker panels: wave-to-wave change among the members answering in both waves, tested with
 * McNemar's test for paired proportions (McNemar 1947; continuity-corrected χ² and the exact binomial
 * p-value), with attrition and replacement; and the panel against the random FTD sample of the same OCU
 * and quarter by Newcombe's hybrid score interval for independent proportions (Newcombe 1998, method 10).
 */
public final class PanelChanges {
  private static final UserDefinedFunction MCNEMAR_P = udf(
      (UDF2<Long, Long, Double>) (b, c) -> McNemar.pValue(b, c, true), DataTypes.DoubleType);
  private static final UserDefinedFunction MCNEMAR_EXACT_P = udf(
      (UDF2<Long, Long, Double>) McNemar::exactPValue, DataTypes.DoubleType);
  private static final UserDefinedFunction NEWCOMBE_LOWER = udf(
      (UDF5<Double, Double, Double, Double, Double, Double>) Newcombe::lower, DataTypes.DoubleType);
  private static final UserDefinedFunction NEWCOMBE_UPPER = udf(
      (UDF5<Double, Double, Double, Double, Double, Double>) Newcombe::upper, DataTypes.DoubleType);

  private PanelChanges() {}

  /** Per member, wave and indicator: whether the answer is valid and positive (from the unit frame's flags). */
  public static Dataset<Row> memberAnswers(Dataset<Row> responses, List<Indicator> indicators) {
    Columns.require(responses, "PanelChanges.memberAnswers", List.of("panel_member_key", "ocu_code", "force_code",
        "financial_year", "quarter", "wave", "is_replacement"));
    List<Column> flags = indicators.stream().map(i -> {
      Column answer = col(i.question());
      Column valid = answer.isNotNull().and(not(answer.isin(i.excluded().toArray())));
      return struct(lit(i.id()).as("indicator_id"), valid.as("is_valid"), valid.and(answer.isin(i.positive().toArray())).as("is_positive"));
    }).toList();
    return responses.select(col("panel_member_key"), col("force_code"), col("ocu_code"), col("wave"), col("is_replacement"),
            FinancialYear.quarterIndex(col("financial_year"), col("quarter")).as("qi"),
            explode(array(flags.toArray(new Column[0]))).as("f"))
        .select(col("f.indicator_id").as("indicator_id"), col("panel_member_key"), col("force_code"), col("ocu_code"),
            col("wave"), col("qi"), col("is_replacement"), col("f.is_valid").as("is_valid"), col("f.is_positive").as("is_positive"));
  }

  /** One row per indicator, OCU and pair of consecutive waves. */
  public static Dataset<Row> waveChanges(Dataset<Row> answers, double confidence) {
    Columns.require(answers, "PanelChanges.waveChanges", List.of("indicator_id", "panel_member_key", "ocu_code", "force_code",
        "wave", "qi", "is_replacement", "is_valid", "is_positive"));
    Dataset<Row> before = answers.select(col("indicator_id"), col("panel_member_key"), col("force_code"), col("ocu_code"),
        col("qi").as("qi_from"), col("wave").as("wave_from"), col("is_valid").as("valid_from"),
        col("is_positive").as("positive_from"));
    Dataset<Row> after = answers.select(col("indicator_id").as("i2"), col("panel_member_key").as("m2"), col("ocu_code").as("o2"),
        col("qi").as("qi_to"), col("wave").as("wave_to"), col("is_valid").as("valid_to"), col("is_positive").as("positive_to"),
        col("is_replacement").as("replacement_to"));
    // Every member of the earlier wave, matched to the same member one quarter later if still in the panel.
    Dataset<Row> pairs = before.join(after, col("indicator_id").equalTo(col("i2")).and(col("panel_member_key").equalTo(col("m2")))
        .and(col("ocu_code").equalTo(col("o2"))).and(col("qi_to").equalTo(col("qi_from").plus(1))), "left");
    Column both = col("valid_from").and(coalesce(col("valid_to"), lit(false)));
    Dataset<Row> counts = pairs.groupBy("indicator_id", "force_code", "ocu_code", "qi_from", "wave_from")
        .agg(count(lit(1)).as("members_from"), sum(when(col("m2").isNull(), 1).otherwise(0)).cast("long").as("members_lost"),
            sum(when(both, 1).otherwise(0)).cast("long").as("n_pairs"),
            sum(when(both.and(col("positive_from")).and(col("positive_to")), 1).otherwise(0)).cast("long").as("a"),
            sum(when(both.and(col("positive_from")).and(not(col("positive_to"))), 1).otherwise(0)).cast("long").as("b"),
            sum(when(both.and(not(col("positive_from"))).and(col("positive_to")), 1).otherwise(0)).cast("long").as("c"));
    // The next wave must exist in that OCU (the last wave has nothing to compare with); replacements are
    // the members who joined in it.
    Dataset<Row> next = answers.groupBy(col("indicator_id").as("ni"), col("ocu_code").as("no"), col("qi").as("nq"),
            col("wave").as("wave_to"))
        .agg(sum(when(col("is_replacement"), 1).otherwise(0)).cast("long").as("replacements_to"));
    Column n = col("n_pairs").cast("double");
    double z = org.beacon.stats.Wilson.z(confidence);
    return counts.join(next, col("indicator_id").equalTo(col("ni")).and(col("ocu_code").equalTo(col("no")))
            .and(col("nq").equalTo(col("qi_from").plus(1))), "inner")
        .withColumn("proportion_from", col("a").plus(col("b")).divide(n))
        .withColumn("proportion_to", col("a").plus(col("c")).divide(n))
        .withColumn("change", col("c").minus(col("b")).divide(n))
        .withColumn("mcnemar_chi2", when(col("b").plus(col("c")).gt(0), pow(greatest(abs(col("b").minus(col("c"))).minus(1), lit(0)), 2)
            .divide(col("b").plus(col("c")))).otherwise(lit(0.0)))
        .withColumn("p_value", MCNEMAR_P.apply(col("b"), col("c")))
        .withColumn("p_value_exact", MCNEMAR_EXACT_P.apply(col("b"), col("c")))
        .withColumn("is_significant", col("mcnemar_chi2").gt(lit(z * z)))
        .select("indicator_id", "force_code", "ocu_code", "wave_from", "wave_to", "members_from", "members_lost",
            "replacements_to", "n_pairs", "a", "b", "c", "proportion_from", "proportion_to", "change", "mcnemar_chi2", "p_value",
            "p_value_exact", "is_significant");
  }

  /**
   * The panel against the FTD sample of the same OCU and quarter: panel proportion (members as a
   * simple random sample), FTD estimate on its design-effective n, and the Newcombe interval of the
   * difference. {@code ftd} is gold.survey_estimates filtered to the FTD indicator, OCU level, quarters.
   */
  public static Dataset<Row> panelVersusSample(Dataset<Row> answers, Dataset<Row> ftd, String panelIndicator, double confidence) {
    Columns.require(ftd, "PanelChanges.panelVersusSample", List.of("indicator_id", "area_code", "period", "estimate", "n_eff"));
    Dataset<Row> panel = answers.filter(col("indicator_id").equalTo(panelIndicator)).groupBy("ocu_code", "wave")
        .agg(sum(when(col("is_valid"), 1).otherwise(0)).cast("double").as("panel_n"),
            sum(when(col("is_positive"), 1).otherwise(0)).cast("double").as("panel_positive"));
    Column x1 = col("panel_positive");
    Column n1 = col("panel_n");
    Column x2 = col("estimate").multiply(col("n_eff"));
    Column n2 = col("n_eff");
    return panel.join(ftd.filter(col("estimate").isNotNull()), panel.col("ocu_code").equalTo(ftd.col("area_code"))
            .and(panel.col("wave").equalTo(ftd.col("period"))))
        .filter(col("panel_n").gt(0))
        .select(lit(panelIndicator).as("panel_indicator_id"), col("indicator_id").as("sample_indicator_id"), col("ocu_code"),
            col("wave"), col("panel_n").cast("long").as("panel_n"), x1.divide(n1).as("panel_proportion"),
            col("n_eff").as("sample_n_eff"), col("estimate").as("sample_estimate"),
            x1.divide(n1).minus(col("estimate")).as("difference"),
            NEWCOMBE_LOWER.apply(x1, n1, x2, n2, lit(confidence)).as("difference_lower"),
            NEWCOMBE_UPPER.apply(x1, n1, x2, n2, lit(confidence)).as("difference_upper"))
        .withColumn("is_significant", col("difference_lower").gt(0).or(col("difference_upper").lt(0)));
  }
}
