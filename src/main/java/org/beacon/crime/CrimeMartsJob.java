package org.beacon.crime;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.Increments;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Period;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/** silver.police_uk__crimes -> gold.crime_monthly and gold.crime_financial_years. */
public final class CrimeMartsJob {
  private CrimeMartsJob() {}

  /** Builds the crime marts when crime has been ingested; false otherwise. */
  public static boolean run(SparkSession spark, Settings settings) {
    return run(spark, settings, null);
  }

  /**
   * As above; a scheduled run (given a period), when nothing but the crime rows changed since the last
   * build, recomputes only the financial years holding crimes that new deliveries added or updated, and
   * the year after each (its change on the previous year).
   */
  public static boolean run(SparkSession spark, Settings settings, Period period) {
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
    List<TableName> silver = List.of(TableName.SILVER_POLICE_UK_CRIMES);
    String monthly = Tables.lineage(spark, settings, TableName.GOLD_CRIME_MONTHLY);
    if (period == null || Tables.isCurrent(spark, settings, TableName.GOLD_CRIME_MONTHLY, lineage)
        || !lineage.differsOnlyIn(monthly, silver)
        || !lineage.differsOnlyIn(Tables.lineage(spark, settings, TableName.GOLD_CRIME_FINANCIAL_YEARS), silver)) {
      Tables.replace(spark, settings, TableName.GOLD_CRIME_MONTHLY, lineage,
          () -> CrimeMarts.monthly(crimes, population).transform(CrimeMartsJob::byYear));
      Tables.replace(spark, settings, TableName.GOLD_CRIME_FINANCIAL_YEARS, lineage,
          () -> CrimeMarts.financialYears(crimes, population, CrimeSettings.of(settings).groups())
              .orderBy("level", "area_code", "group_id", "financial_year"));
      return true;
    }
    Set<String> changed = Increments.changedYears(spark, settings, silver.get(0), Lineage.recordedVersion(monthly, silver.get(0)),
        col("_deliveries._batch_id"), List.of("record_key"));
    // Monthly counts need their own year's crimes; a year's change on the previous year needs both.
    Set<String> years = Increments.withFollowingYears(changed);
    Tables.replaceWhere(spark, settings, TableName.GOLD_CRIME_MONTHLY, lineage, Increments.yearsPredicate(changed),
        CrimeMarts.monthly(crimes.filter(col("financial_year").isin(changed.toArray())), population)
            .transform(CrimeMartsJob::byYear));
    Tables.replaceWhere(spark, settings, TableName.GOLD_CRIME_FINANCIAL_YEARS, lineage, Increments.yearsPredicate(years),
        CrimeMarts.financialYears(crimes.filter(col("financial_year").isin(Increments.withPrecedingYears(years).toArray())),
            population, CrimeSettings.of(settings).groups()).filter(col("financial_year").isin(years.toArray()))
            .orderBy("level", "area_code", "group_id", "financial_year"));
    return true;
  }

  /** A file per financial year (the table's partitions), its rows in order, without a global sort's sampling pass. */
  private static Dataset<Row> byYear(Dataset<Row> monthly) {
    return monthly.repartition(col("financial_year")).sortWithinPartitions("financial_year", "level", "area_code", "month", "crime_type");
  }
}
