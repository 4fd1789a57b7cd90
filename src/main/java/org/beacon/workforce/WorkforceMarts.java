package org.beacon.workforce;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.runtime.Columns;

/**
 * gold.workforce_indicators: per OCU and force and financial year, the neighbourhood share of officers,
 * PCSOs and specials per 10,000 residents, neighbourhood officers per sergeant and per inspector, and the
 * contingency fund in total and per resident.
 */
public final class WorkforceMarts {
  private WorkforceMarts() {}

  public static Dataset<Row> indicators(Dataset<Row> workforce, Dataset<Row> ocuPopulation, Dataset<Row> fund) {
    Columns.require(workforce, "WorkforceMarts.indicators", List.of("financial_year", "force_code", "ocu_code", "officers",
        "np_officers", "np_sergeants", "np_inspectors", "np_pcsos", "np_specials"));
    Columns.require(ocuPopulation, "WorkforceMarts.indicators (population)", List.of("ocu_code", "population_all_ages"));
    Columns.require(fund, "WorkforceMarts.indicators (fund)", List.of("financial_year", "ocu_code", "amount_gbp"));
    Dataset<Row> perOcu = workforce.join(ocuPopulation.select("ocu_code", "population_all_ages"), "ocu_code")
        .join(fund.groupBy("ocu_code", "financial_year").agg(sum("amount_gbp").as("contingency_fund_gbp")),
            Columns.seq("ocu_code", "financial_year"), "left")
        .withColumn("level", lit("ocu")).withColumn("area_code", col("ocu_code"));
    List<String> sums = List.of("officers", "np_officers", "np_sergeants", "np_inspectors", "np_pcsos", "np_specials",
        "population_all_ages", "contingency_fund_gbp");
    Dataset<Row> perForce = perOcu.groupBy("force_code", "financial_year")
        .agg(sum(sums.get(0)).as(sums.get(0)), sums.subList(1, sums.size()).stream().map(c -> sum(c).as(c)).toArray(Column[]::new))
        .withColumn("level", lit("force")).withColumn("area_code", col("force_code"));
    List<String> keep = new java.util.ArrayList<>(List.of("level", "area_code", "force_code", "financial_year"));
    keep.addAll(sums);
    Dataset<Row> all = perOcu.select(keep.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
        .unionByName(perForce.select(keep.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)));
    Column perTenThousand = col("population_all_ages").divide(10000.0);
    return all
        .withColumn("np_share_pct", when(col("officers").gt(0), col("np_officers").multiply(100.0).divide(col("officers"))))
        .withColumn("pcsos_per_10000", col("np_pcsos").divide(perTenThousand))
        .withColumn("specials_per_10000", col("np_specials").divide(perTenThousand))
        .withColumn("np_officers_per_sergeant", when(col("np_sergeants").gt(0), col("np_officers").divide(col("np_sergeants"))))
        .withColumn("np_officers_per_inspector", when(col("np_inspectors").gt(0), col("np_officers").divide(col("np_inspectors"))))
        .withColumn("contingency_fund_gbp", coalesce(col("contingency_fund_gbp"), lit(0.0)))
        .withColumn("fund_per_resident_gbp", col("contingency_fund_gbp").divide(col("population_all_ages")));
  }
}
