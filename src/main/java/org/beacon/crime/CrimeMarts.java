package org.beacon.crime;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.runtime.Columns;

/**
 * Crime marts from silver.police_uk__crimes. Every record counts at force level (the force that reported it);
 * records placed through the force's LSOA lookup also count at OCU, sector and neighbourhood level, and records
 * whose LSOA the ONS geography lists at ward, local authority, community safety partnership and police force area
 * level (ONS codes; a record in another force's area counts there under the force that reported it). Rates are per
 * 1,000 residents of all ages where the population is known (forces and OCUs).
 */
public final class CrimeMarts {
  /** The force's own levels, each placed through its LSOA lookup (but force, which every record has). */
  static final List<String> FORCE_LEVELS = List.of("force", "ocu", "sector", "neighbourhood");
  /** The ONS levels and the silver column holding each one's code. */
  static final Map<String, String> ONS_LEVELS = new LinkedHashMap<>();

  static {
    ONS_LEVELS.put("ward", "ward_code");
    ONS_LEVELS.put("local_authority", "local_authority_code");
    ONS_LEVELS.put("community_safety_partnership", "csp_code");
    ONS_LEVELS.put("police_force_area", "pfa_code");
  }
  private static final List<String> NEEDED = List.of("month", "financial_year", "force_code", "ocu_code", "sector_code",
      "neighbourhood_code", "is_mapped", "ward_code", "local_authority_code", "csp_code", "pfa_code", "is_outside_force_area",
      "crime_type", "is_asb", "is_sanction_detection");

  private CrimeMarts() {}

  /** Each record once per level it counts at (the force's levels given, and every ONS level), with that level's area code. */
  static Dataset<Row> byLevel(Dataset<Row> crimes, List<String> levels) {
    Columns.require(crimes, "CrimeMarts", NEEDED);
    List<Column> areas = new ArrayList<>();
    for (String level : levels) {
      Column code = col(level + "_code");
      areas.add(struct(lit(level).as("level"), (level.equals("force") ? code : when(col("is_mapped"), code)).as("area_code")));
    }
    ONS_LEVELS.forEach((level, code) -> areas.add(struct(lit(level).as("level"), col(code).as("area_code"))));
    return crimes.withColumn("_a", explode(array(areas.toArray(new Column[0]))))
        .filter(col("_a.area_code").isNotNull())
        .withColumn("level", col("_a.level")).withColumn("area_code", col("_a.area_code")).drop("_a");
  }

  /** ops.unmapped_lsoas: per force, month and LSOA code the ONS geography does not list, the records placed there. */
  public static Dataset<Row> unmappedLsoas(Dataset<Row> crimes) {
    Columns.require(crimes, "CrimeMarts.unmappedLsoas", List.of("force_code", "month", "financial_year", "lsoa_code",
        "local_authority_code"));
    return crimes.filter(col("lsoa_code").isNotNull().and(col("local_authority_code").isNull()))
        .groupBy("force_code", "financial_year", "month", "lsoa_code").agg(count(lit(1)).as("records"))
        .orderBy("force_code", "month", "lsoa_code");
  }

  /** Residents per force and OCU (forces as the sum of their OCUs). */
  static Dataset<Row> population(Dataset<Row> ocuPopulation) {
    Columns.require(ocuPopulation, "CrimeMarts.population", List.of("force_code", "ocu_code", "population_all_ages"));
    return ocuPopulation.select(lit("ocu").as("_p_level"), col("ocu_code").as("_p_area"), col("population_all_ages"))
        .unionByName(ocuPopulation.groupBy(col("force_code").as("_p_area")).agg(sum("population_all_ages").as("population_all_ages"))
            .withColumn("_p_level", lit("force")));
  }

  private static Dataset<Row> withRate(Dataset<Row> counts, Dataset<Row> population, String count) {
    return counts.join(population, col("level").equalTo(col("_p_level")).and(col("area_code").equalTo(col("_p_area"))), "left")
        .withColumn("rate_per_1000", col(count).multiply(1000.0).divide(col("population_all_ages")))
        .drop("_p_level", "_p_area");
  }

  /** gold.crime_monthly: records per level, area, month and crime type (ASB as its own type, flagged). */
  public static Dataset<Row> monthly(Dataset<Row> crimes, Dataset<Row> ocuPopulation) {
    Dataset<Row> counts = byLevel(crimes, FORCE_LEVELS)
        .groupBy("level", "area_code", "force_code", "month", "financial_year", "crime_type", "is_asb")
        .agg(count(lit(1)).as("records"), sum(when(col("is_sanction_detection"), 1).otherwise(0)).cast("long")
            .as("sanction_detections"), sum(when(col("is_outside_force_area"), 1).otherwise(0)).cast("long")
            .as("records_outside_force_area"));
    return withRate(counts, population(ocuPopulation), "records")
        .select("level", "area_code", "force_code", "month", "financial_year", "crime_type", "is_asb", "records",
            "sanction_detections", "records_outside_force_area", "population_all_ages", "rate_per_1000");
  }

  /**
   * gold.crime_financial_years: records per force and OCU, financial year and configured group (plus ASB),
   * with the change against the previous year in percent and in fewer victims (previous minus current),
   * the monthly average over the months present, and sanction detections.
   */
  public static Dataset<Row> financialYears(Dataset<Row> crimes, Dataset<Row> ocuPopulation, List<CrimeSettings.Group> groups) {
    List<Column> members = new ArrayList<>();
    for (CrimeSettings.Group g : groups) {
      Column in = g.isAll() ? not(col("is_asb")) : col("crime_type").isin(g.types().toArray());
      members.add(when(in, lit(g.id())));
    }
    members.add(when(col("is_asb"), lit("anti_social_behaviour")));
    Dataset<Row> grouped = byLevel(crimes, List.of("force", "ocu"))
        .withColumn("group_id", explode(array(members.toArray(new Column[0])))).filter(col("group_id").isNotNull())
        .groupBy("level", "area_code", "force_code", "financial_year", "group_id")
        .agg(count(lit(1)).as("records"), countDistinct("month").as("months"),
            sum(when(col("is_sanction_detection"), 1).otherwise(0)).cast("long").as("sanction_detections"));
    Dataset<Row> previous = grouped.select(col("level").as("_v_level"), col("area_code").as("_v_area"),
        col("group_id").as("_v_group"), substring(col("financial_year"), 1, 4).cast("int").plus(1).as("_v_year"),
        col("records").as("previous_records"));
    Dataset<Row> joined = grouped.join(previous, col("level").equalTo(col("_v_level")).and(col("area_code").equalTo(col("_v_area")))
            .and(col("group_id").equalTo(col("_v_group")))
            .and(substring(col("financial_year"), 1, 4).cast("int").equalTo(col("_v_year"))), "left")
        .drop("_v_level", "_v_area", "_v_group", "_v_year");
    Column name = lit("Anti-social behaviour");
    for (CrimeSettings.Group g : groups) {
      name = when(col("group_id").equalTo(g.id()), lit(g.name())).otherwise(name);
    }
    return withRate(joined, population(ocuPopulation), "records")
        .withColumn("group_name", name)
        .withColumn("change_pct", when(col("previous_records").gt(0),
            col("records").minus(col("previous_records")).multiply(100.0).divide(col("previous_records"))))
        .withColumn("fewer_victims", col("previous_records").minus(col("records")))
        .withColumn("monthly_average", col("records").divide(col("months")))
        .withColumn("sanction_detection_rate_pct", when(col("group_id").notEqual("anti_social_behaviour"),
            col("sanction_detections").multiply(100.0).divide(col("records"))))
        .select("level", "area_code", "force_code", "financial_year", "group_id", "group_name", "records", "months",
            "monthly_average", "previous_records", "change_pct", "fewer_victims", "sanction_detections",
            "sanction_detection_rate_pct", "population_all_ages", "rate_per_1000");
  }
}
