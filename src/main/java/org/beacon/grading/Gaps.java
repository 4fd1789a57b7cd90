package org.beacon.grading;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.indicators.Indicator;
import org.beacon.runtime.Columns;

/**
 * Gaps between two subgroups of an indicator (SPI 3b: white minus minority-ethnic users; ASB reporters minus
 * crime victims), per force and OCU, by financial year and year to date. The gap's interval is the MOVER
 * difference of the two subgroups' intervals (Newcombe 1998, method 10, for proportions), treating the two
 * disjoint groups as independent samples; its change against two years earlier is the MOVER difference of
 * the two years' gap intervals.
 */
public final class Gaps {
  private static final StructType DEFINITIONS = new StructType().add("gap_id", DataTypes.StringType, false)
      .add("gap_name", DataTypes.StringType, false).add("indicator_id", DataTypes.StringType, false)
      .add("subgroup_type", DataTypes.StringType, false).add("group_name", DataTypes.StringType, false)
      .add("versus_name", DataTypes.StringType, false).add("gap_polarity_sign", DataTypes.IntegerType, false);

  private Gaps() {}

  public static Dataset<Row> gaps(Dataset<Row> estimates, List<GradingSettings.Gap> gaps, List<Indicator> indicators) {
    Columns.require(estimates, "Gaps.gaps", List.of("indicator_id", "level", "area_code", "period_type", "period",
        "financial_year", "subgroup_type", "subgroup", "n", "estimate", "se", "lower_95", "upper_95", "lower_998", "upper_998",
        "is_suppressed"));
    Dataset<Row> scaled = Comparisons.withIndicatorScale(estimates.filter(col("level").isin("force", "ocu")
        .and(col("period_type").isin("financial_year", "year_to_date")).and(not(col("is_suppressed")))), indicators);
    // Every gap's two sides come from one read of the estimates, joined to the gaps' definitions.
    List<Row> definitions = gaps.stream().map(g -> RowFactory.create(g.id(), g.name(), g.indicator(), g.subgroupType(), g.group(),
        g.versus(), g.polarity() == Indicator.Polarity.LOWER_IS_BETTER ? -1 : 1)).toList();
    Dataset<Row> cells = scaled.join(broadcast(estimates.sparkSession().createDataFrame(definitions, DEFINITIONS)),
        Columns.seq("indicator_id", "subgroup_type"));
    Column sameCell = List.of("gap_id", "level", "area_code", "period_type", "period", "financial_year").stream()
        .map(c -> col("a_" + c).equalTo(col("b_" + c))).reduce(Column::and).orElseThrow();
    Dataset<Row> all = side(cells.filter(col("subgroup").equalTo(col("group_name"))), "a_")
        .join(side(cells.filter(col("subgroup").equalTo(col("versus_name"))), "b_"), sameCell)
        .select(col("a_gap_id").as("gap_id"), col("a_gap_name").as("gap_name"), col("a_indicator_id").as("indicator_id"),
            col("a_level").as("level"), col("a_area_code").as("area_code"), col("a_period_type").as("period_type"),
            col("a_period").as("period"), col("a_financial_year").as("financial_year"), col("a_subgroup_type").as("subgroup_type"),
            col("a_group_name").as("group_name"), col("a_versus_name").as("versus_name"), col("a_n").as("group_n"),
            col("a_value").as("group_value"), col("b_n").as("versus_n"), col("b_value").as("versus_value"),
            col("a_value").minus(col("b_value")).as("gap"),
            sqrt(col("a_se").multiply(col("a_se")).plus(col("b_se").multiply(col("b_se")))).as("gap_se"),
            Comparisons.MOVER_DIFFERENCE.apply(col("a_value"), col("a_lower_95"), col("a_upper_95"), col("b_value"), col("b_lower_95"),
                col("b_upper_95")).as("_m95"),
            Comparisons.MOVER_DIFFERENCE.apply(col("a_value"), col("a_lower_998"), col("a_upper_998"), col("b_value"), col("b_lower_998"),
                col("b_upper_998")).as("_m998"),
            col("a_gap_polarity_sign").as("polarity_sign"));
    Dataset<Row> out = all.withColumn("gap_lower_95", col("_m95").getItem(1)).withColumn("gap_upper_95", col("_m95").getItem(2))
        .withColumn("gap_lower_998", col("_m998").getItem(1)).withColumn("gap_upper_998", col("_m998").getItem(2))
        .drop("_m95", "_m998")
        .withColumn("is_significant_95", col("gap_lower_95").gt(0).or(col("gap_upper_95").lt(0)))
        .withColumn("is_significant_998", col("gap_lower_998").gt(0).or(col("gap_upper_998").lt(0)));
    Column signed = col("gap").multiply(col("polarity_sign"));
    out = out.withColumn("position", when(not(col("is_significant_95")), lit("same")).when(signed.gt(0), lit("better"))
            .otherwise(lit("worse")))
        .withColumn("statement", when(not(col("is_significant_95")), lit("no significant gap"))
            .otherwise(concat(lit("significant gap ("), when(col("gap").lt(0), col("group_name")).otherwise(col("versus_name")),
                lit(" significantly lower)"))));
    return withChange(out);
  }

  private static Dataset<Row> side(Dataset<Row> cells, String prefix) {
    List<Column> cols = new ArrayList<>();
    for (String c : List.of("gap_id", "gap_name", "indicator_id", "subgroup_type", "group_name", "versus_name", "gap_polarity_sign",
        "level", "area_code", "period_type", "period", "financial_year", "n", "value", "se", "lower_95", "upper_95", "lower_998",
        "upper_998")) {
      cols.add(col(c).as(prefix + c));
    }
    return cells.select(cols.toArray(new Column[0]));
  }

  /** For financial years: the gap two years earlier, the change, its 95% interval and direction given the gap's polarity. */
  private static Dataset<Row> withChange(Dataset<Row> gaps) {
    Dataset<Row> before = gaps.filter(col("period_type").equalTo("financial_year"))
        .select(col("gap_id").as("e_gap_id"), col("level").as("e_level"), col("area_code").as("e_area_code"),
            substring(col("period"), 1, 4).cast("int").plus(2).as("e_year"), col("period").as("earlier_period"),
            col("gap").as("earlier_gap"), col("gap_lower_95").as("e_lower"), col("gap_upper_95").as("e_upper"));
    Column join = col("gap_id").equalTo(col("e_gap_id")).and(col("level").equalTo(col("e_level")))
        .and(col("area_code").equalTo(col("e_area_code"))).and(col("period_type").equalTo("financial_year"))
        .and(substring(col("period"), 1, 4).cast("int").equalTo(col("e_year")));
    Column change = col("gap").minus(col("earlier_gap")).multiply(col("polarity_sign"));
    return gaps.join(before, join, "left")
        .withColumn("_c", when(col("earlier_gap").isNotNull(), Comparisons.MOVER_DIFFERENCE.apply(col("gap"), col("gap_lower_95"),
            col("gap_upper_95"), col("earlier_gap"), col("e_lower"), col("e_upper"))))
        .withColumn("change", col("_c").getItem(0))
        .withColumn("change_lower_95", col("_c").getItem(1))
        .withColumn("change_upper_95", col("_c").getItem(2))
        .withColumn("change_direction", when(col("_c").isNull(), lit("none"))
            .when(col("change_lower_95").gt(0).or(col("change_upper_95").lt(0)),
                when(change.gt(0), lit("improved")).otherwise(lit("deteriorated")))
            .otherwise(lit("unchanged")))
        .withColumn("change_movement", Comparisons.movement(change))
        .drop("_c", "e_gap_id", "e_level", "e_area_code", "e_year", "e_lower", "e_upper");
  }
}
