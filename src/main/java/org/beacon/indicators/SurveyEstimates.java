package org.beacon.indicators;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.runtime.Columns;

/**
 * Unweighted survey estimates: for each indicator, area (force, OCU, sector) and period (financial
 * year, quarter) the valid n, positive n, proportion and Wilson score interval. Cells with fewer valid
 * responses than the disclosure threshold are kept but published as suppressed.
 */
public final class SurveyEstimates {
  static final List<String> LEVELS = List.of("force", "ocu", "sector");

  private SurveyEstimates() {}

  /** One row per respondent and indicator: area codes, periods, is_valid and is_positive (one scan, no unions). */
  public static Dataset<Row> withIndicatorFlags(Dataset<Row> responses, List<Indicator> indicators) {
    List<String> needed = new ArrayList<>(List.of("force_code", "ocu_code", "sector_code", "financial_year", "wave"));
    indicators.forEach(i -> needed.add(i.question()));
    Columns.require(responses, "SurveyEstimates.withIndicatorFlags", needed);
    List<Column> perIndicator = new ArrayList<>();
    for (Indicator i : indicators) {
      Column answer = col(i.question());
      Column valid = answer.isNotNull().and(not(answer.isin(i.excluded().toArray())));
      perIndicator.add(struct(lit(i.id()).as("indicator_id"), valid.as("is_valid"),
          valid.and(answer.isin(i.positive().toArray())).as("is_positive")));
    }
    return responses
        .select(col("force_code"), col("ocu_code"), col("sector_code"), col("financial_year"), col("wave"),
            explode(array(perIndicator.toArray(new Column[0]))).as("f"))
        .select(col("f.indicator_id"), col("force_code"), col("ocu_code"), col("sector_code"), col("financial_year"),
            col("wave"), col("f.is_valid"), col("f.is_positive"));
  }

  /** Aggregates the flags into estimates at every level and period, with the interval at {@code confidence}. */
  public static Dataset<Row> estimate(Dataset<Row> flags, double confidence, int minCellSize) {
    Columns.require(flags, "SurveyEstimates.estimate", List.of("indicator_id", "force_code", "ocu_code", "sector_code",
        "financial_year", "wave", "is_valid", "is_positive"));
    // Each row counts once in every (level, period type) cell it belongs to: one aggregation for all of them.
    List<Column> cells = new ArrayList<>();
    for (String level : LEVELS) {
      for (String periodType : List.of("financial_year", "quarter")) {
        cells.add(struct(lit(level).as("level"), col(level + "_code").as("area_code"), lit(periodType).as("period_type"),
            (periodType.equals("quarter") ? col("wave") : col("financial_year")).as("period")));
      }
    }
    Dataset<Row> out = flags
        .select(col("indicator_id"), col("force_code"), col("financial_year"), col("is_valid"), col("is_positive"),
            explode(array(cells.toArray(new Column[0]))).as("cell"))
        .groupBy(col("indicator_id"), col("cell.level").as("level"), col("force_code"), col("cell.area_code").as("area_code"),
            col("cell.period_type").as("period_type"), col("cell.period").as("period"), col("financial_year"))
        .agg(sum(when(col("is_valid"), 1).otherwise(0)).cast("long").as("valid_n"),
            sum(when(col("is_positive"), 1).otherwise(0)).cast("long").as("positive_n"));
    Column n = col("valid_n").cast("double");
    Column x = col("positive_n").cast("double");
    Column c = lit(confidence);
    Column published = col("valid_n").geq(minCellSize);
    return out.filter(col("valid_n").gt(0))
        .withColumn("is_suppressed", not(published))
        .withColumn("estimate_pct", when(published, round(x.divide(n).multiply(100), 4)))
        .withColumn("ci_lower_pct", when(published, round(call_udf("wilson_lower", x, n, c).multiply(100), 4)))
        .withColumn("ci_upper_pct", when(published, round(call_udf("wilson_upper", x, n, c).multiply(100), 4)))
        .withColumn("confidence_level", c)
        .withColumn("positive_n", when(published, col("positive_n")))
        .withColumn("suppression_reason", when(not(published),
            concat(lit("fewer than " + minCellSize + " valid responses"))));
  }
}
