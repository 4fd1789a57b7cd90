package org.beacon.crime;

import org.beacon.geography.OnsGeography;
import org.beacon.survey.SurveyTables;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.Period;
import org.beacon.runtime.Settings;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.TableStep;

/** silver.police_uk__crimes -> gold.crime_monthly and gold.crime_financial_years. */
public final class CrimeMartsJob {
  private CrimeMartsJob() {}

  public static void run(SparkSession spark, Settings settings) {
    run(spark, settings, null);
  }

  /**
   * As above; a scheduled run (given a period), when nothing but the crime rows changed since the last
   * build, recomputes only the financial years holding crimes that new deliveries added or updated, and
   * the year after each (its change on the previous year), of the forces that reported them: every row of
   * these marts counts one reporting force's records (an ONS area's row too), so one force's delivery leaves
   * the other forces' rows as they were.
   */
  public static void run(SparkSession spark, Settings settings, Period period) {
    StepRunner.run(spark, settings, period, steps(settings));
  }

  static List<TableStep> steps(Settings settings) {
    // A merged crime lists every delivery it was built from.
    TableStep.Delivered delivered = new TableStep.Delivered(col("_deliveries._batch_id"), List.of("record_key"));
    return List.of(
        // Monthly counts need their own year's crimes.
        TableStep.of(CrimeTables.GOLD_CRIME_MONTHLY).requires(CrimeTables.SILVER_POLICE_UK_CRIMES, delivered)
            .uses(SurveyTables.SILVER_OCU_POPULATION).byFinancialYear(0, "force_code")
            .as(in -> CrimeMarts.monthly(in.read(CrimeTables.SILVER_POLICE_UK_CRIMES), population(in))
                .transform(CrimeMartsJob::byYear)),
        // A year's change on the previous year needs both.
        TableStep.of(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS).requires(CrimeTables.SILVER_POLICE_UK_CRIMES, delivered)
            .uses(SurveyTables.SILVER_OCU_POPULATION).byFinancialYear(1, "force_code")
            .as(in -> CrimeMarts.financialYears(in.read(CrimeTables.SILVER_POLICE_UK_CRIMES), population(in),
                CrimeSettings.of(settings).groups()).orderBy("level", "area_code", "group_id", "financial_year")),
        // With the ONS geography: per month, the LSOA codes it does not list (new 2021 codes), counted at force level only.
        TableStep.of(CrimeTables.OPS_UNMAPPED_LSOAS).requires(CrimeTables.SILVER_POLICE_UK_CRIMES, delivered)
            .requires(OnsGeography.SILVER_ONS_GEOGRAPHY).byFinancialYear(0, "force_code")
            .as(in -> CrimeMarts.unmappedLsoas(in.read(CrimeTables.SILVER_POLICE_UK_CRIMES))));
  }

  /** The OCUs' populations, or none before they are ingested (rates are then left empty). */
  private static Dataset<Row> population(StepRunner.Inputs in) {
    return in.readOrEmpty(SurveyTables.SILVER_OCU_POPULATION,
        StructType.fromDDL("force_code STRING, ocu_code STRING, population_all_ages BIGINT"));
  }

  /** A file per financial year (the table's partitions), its rows in order, without a global sort's sampling pass. */
  private static Dataset<Row> byYear(Dataset<Row> monthly) {
    return monthly.repartition(col("financial_year")).sortWithinPartitions("financial_year", "level", "area_code", "month", "crime_type");
  }
}
