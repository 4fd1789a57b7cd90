package org.beacon.survey;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.runtime.Columns;

/** Transforms of silver.reference__population for the marts that use an OCU's population as a covariate. */
public final class Population {
  private Population() {}

  /**
   * ocu_code, minority_adults, adults: per OCU, residents aged 16 and over outside the census's White group, and
   * all of them. Callers divide (the share, or in percent) so that each keeps its own order of operations.
   */
  public static Dataset<Row> minorityAdultsByOcu(Dataset<Row> population) {
    Columns.require(population, "Population.minorityAdultsByOcu", List.of("ocu_code", "ethnic_group_5", "population_16_plus"));
    return population.groupBy("ocu_code").agg(
        sum(when(col("ethnic_group_5").notEqual("White"), col("population_16_plus")).otherwise(0)).as("minority_adults"),
        sum("population_16_plus").as("adults"));
  }
}
