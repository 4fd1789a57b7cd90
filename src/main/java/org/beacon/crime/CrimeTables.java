package org.beacon.crime;

import java.util.List;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.TableSpec;
import org.beacon.runtime.TableSpec.Rule;
import org.beacon.runtime.TableSpec.Suite;

/**
 * The crime marts: partitioning and quality suites. silver.police_uk__crimes has no suite: its conform step makes
 * record_key unique and the load reconciles; a gate would cache and scan its millions of rows twice more.
 */
public final class CrimeTables implements TableSpec.Declarations {
  public static final TableName SILVER_LSOA_LOOKUP = new TableName("silver", "reference__lsoa_lookup");
  public static final TableName BRONZE_POLICE_UK_STREET = new TableName("bronze", "police_uk__street");
  public static final TableName SILVER_POLICE_UK_CRIMES = new TableName("silver", "police_uk__crimes");
  public static final TableName QUARANTINE_POLICE_UK_STREET = new TableName("quarantine", "police_uk__street");
  public static final TableName BRONZE_POLICE_UK_OUTCOMES = new TableName("bronze", "police_uk__outcomes");
  public static final TableName SILVER_POLICE_UK_OUTCOMES = new TableName("silver", "police_uk__outcomes");
  public static final TableName QUARANTINE_POLICE_UK_OUTCOMES = new TableName("quarantine", "police_uk__outcomes");
  public static final TableName GOLD_CRIME_MONTHLY = new TableName("gold", "crime_monthly");
  public static final TableName GOLD_CRIME_FINANCIAL_YEARS = new TableName("gold", "crime_financial_years");
  public static final TableName OPS_UNMAPPED_LSOAS = new TableName("ops", "unmapped_lsoas");

  /**
   * Split by month: a delivery mostly adds its own months' crimes, and a republished Crime ID updates its month's
   * row, so a merge reads and rewrites those months alone; a mart's years are read from their months alone.
   */
  static final TableSpec CRIMES = TableSpec.of(CrimeTables.SILVER_POLICE_UK_CRIMES).partitionedBy("month");

  static final TableSpec MONTHLY = TableSpec.of(CrimeTables.GOLD_CRIME_MONTHLY).partitionedBy("financial_year")
      .gated(new Suite(List.of("level", "area_code", "month", "crime_type"), List.of("force_code", "financial_year", "records"),
          List.of(new Rule("records_positive", "records > 0"),
              new Rule("detections_within_records", "sanction_detections IS NULL OR sanction_detections <= records"))));

  static final TableSpec FINANCIAL_YEARS = TableSpec.of(CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)
      .gated(new Suite(List.of("level", "area_code", "financial_year", "group_id"), List.of("force_code", "records"),
          List.of(new Rule("records_not_negative", "records >= 0"))));

  @Override
  public List<TableSpec> tables(Settings settings) {
    return List.of(CRIMES, MONTHLY, FINANCIAL_YEARS);
  }
}
