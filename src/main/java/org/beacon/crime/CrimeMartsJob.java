package org.beacon.crime;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/** silver.police_uk__crimes -> gold.crime_monthly and gold.crime_financial_years. */
public final class CrimeMartsJob {
  private CrimeMartsJob() {}

  /** Builds the crime marts when crime has been ingested; false otherwise. */
  public static boolean run(SparkSession spark, Settings settings) {
    if (!Tables.exists(settings, TableName.SILVER_POLICE_UK_CRIMES)) {
      return false;
    }
    Lineage lineage = Lineage.of(settings).table(spark, settings, TableName.SILVER_POLICE_UK_CRIMES);
    Dataset<Row> population;
    if (Tables.exists(settings, TableName.SILVER_OCU_POPULATION)) {
      lineage.table(spark, settings, TableName.SILVER_OCU_POPULATION);
      population = Tables.read(spark, settings, TableName.SILVER_OCU_POPULATION);
    } else {
      population = spark.createDataFrame(java.util.List.of(),
          StructType.fromDDL("force_code STRING, ocu_code STRING, population_all_ages BIGINT"));
    }
    Dataset<Row> crimes = Tables.read(spark, settings, TableName.SILVER_POLICE_UK_CRIMES);
    Tables.replace(spark, settings, TableName.GOLD_CRIME_MONTHLY, lineage,
        () -> CrimeMarts.monthly(crimes, population).orderBy("level", "area_code", "month", "crime_type"));
    Tables.replace(spark, settings, TableName.GOLD_CRIME_FINANCIAL_YEARS, lineage,
        () -> CrimeMarts.financialYears(crimes, population, settings.crime().groups())
            .orderBy("level", "area_code", "group_id", "financial_year"));
    return true;
  }
}
