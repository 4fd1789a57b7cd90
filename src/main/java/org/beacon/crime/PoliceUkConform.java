package org.beacon.crime;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.runtime.Columns;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.LandingFiles;

/**
 * data.police.uk street-level and outcomes rows, from bronze to silver. What real files contain is handled:
 * a blank Crime ID on every ASB row, empty outcome and context, quoted fields with commas and a byte-order
 * mark (the reader), older crime type names (kept as published; the configured groups list them), rows
 * with no location or no LSOA (kept, at force level), and the same crime published again in later files
 * (one record per Crime ID: the first publication's month and place, the latest outcome). Only rows that
 * cannot be read go to quarantine, each with its reason. Context is free text and stays in bronze.
 */
public final class PoliceUkConform {
  public static final List<String> STREET_HEADER = List.of("Crime ID", "Month", "Reported by", "Falls within", "Longitude",
      "Latitude", "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context");
  public static final List<String> STREET_COLUMNS = List.of("crime_id", "month", "reported_by", "falls_within", "longitude",
      "latitude", "location", "lsoa_code", "lsoa_name", "crime_type", "last_outcome_category", "context");
  public static final List<String> OUTCOME_HEADER = List.of("Crime ID", "Month", "Reported by", "Falls within", "Longitude",
      "Latitude", "Location", "LSOA code", "LSOA name", "Outcome type");
  public static final List<String> OUTCOME_COLUMNS = List.of("crime_id", "month", "reported_by", "falls_within", "longitude",
      "latitude", "location", "lsoa_code", "lsoa_name", "outcome_type");
  public static final String REASON = "quarantine_reason";
  /** A row's Crime ID, trimmed; null for ASB rows. */
  public static final String CRIME_KEY = "_crime_key";
  private static final List<String> LINEAGE = List.of("_source_file", "_source_record", "_source_checksum", "_ingested_at",
      "_batch_id");
  private static final String MONTH = "^[0-9]{4}-(0[1-9]|1[0-2])$";

  private PoliceUkConform() {}

  /** LSOA -> neighbourhood -> sector -> OCU -> force, from the lookup and the geography. */
  public static Dataset<Row> places(Dataset<Row> lookup, Dataset<Row> geography) {
    Columns.require(lookup, "PoliceUkConform.places (lookup)", List.of("lsoa_code", "neighbourhood_code"));
    Columns.require(geography, "PoliceUkConform.places (geography)", List.of("neighbourhood_code", "sector_code", "ocu_code",
        "force_code"));
    return lookup.select(trim(col("lsoa_code")).as("_place_lsoa"), col("neighbourhood_code"))
        .join(geography.select("neighbourhood_code", "sector_code", "ocu_code", "force_code"), "neighbourhood_code")
        .dropDuplicates("_place_lsoa");
  }

  static Column text(String c) {
    return when(trim(col(c)).equalTo(""), lit(null)).otherwise(trim(col(c)));
  }

  /** The force slug in a data.police.uk file name (2012-01-avon-and-somerset-street.csv -> avon-and-somerset). */
  private static Column forceOfFile(String kind) {
    Column slug = regexp_extract(col("_source_file"), "[0-9]{4}-[0-9]{2}-([a-z0-9-]+)-" + kind + "\\.csv$", 1);
    Column fromName = regexp_replace(regexp_replace(lower(trim(coalesce(col("falls_within"), lit("")))), "[^a-z0-9]+", "-"),
        "(^-|-$)", "");
    return when(slug.notEqual(""), slug).when(fromName.notEqual(""), fromName).otherwise(lit("unknown"));
  }

  private static Column coordinateCheck(String c) {
    return when(text(c).isNotNull().and(text(c).cast("double").isNull()),
        concat(lit(c + ": '"), col(c), lit("' is not a number")));
  }

  /** A bronze table of these delivered columns, with lineage and the reader's corrupt-record column. */
  private static void requireDelivered(Dataset<Row> bronze, List<String> columns, String transform) {
    List<String> needed = new ArrayList<>(columns);
    needed.addAll(LINEAGE);
    needed.add("_corrupt_record");
    Columns.require(bronze, transform, needed);
  }

  private static Column monthCheck() {
    return when(not(coalesce(text("month"), lit("")).rlike(MONTH)),
        concat(lit("month: '"), coalesce(col("month"), lit("")), lit("' is not a month (yyyy-MM)")));
  }

  /** Street rows typed and placed, with the reason a row cannot be used (null when it can). */
  public static Dataset<Row> withStreetValidation(Dataset<Row> bronze, Dataset<Row> places, String asbType) {
    requireDelivered(bronze, STREET_COLUMNS, "PoliceUkConform.withStreetValidation");
    Column reason = concat_ws("; ",
        LandingFiles.unreadable(),
        monthCheck(),
        when(text("crime_type").isNull(), lit("crime_type: missing")),
        coordinateCheck("longitude"),
        coordinateCheck("latitude"));
    Column month = to_date(concat(text("month"), lit("-01")));
    return bronze.join(broadcast(places), text("lsoa_code").equalTo(col("_place_lsoa")), "left")
        .withColumn(REASON, when(reason.equalTo(""), lit(null)).otherwise(reason))
        .withColumn("month_start", month)
        .withColumn("financial_year", FinancialYear.labelOf(month))
        .withColumn("is_mapped", col("_place_lsoa").isNotNull())
        .withColumn("force_code", coalesce(col("force_code"), forceOfFile("street")))
        .withColumn("is_asb", coalesce(text("crime_type").equalTo(asbType), lit(false)));
  }

  /**
   * The Crime IDs (column {@value #CRIME_KEY}) of accepted rows that more than one delivered row carries:
   * only these crimes need their rows merged.
   */
  public static Dataset<Row> repeatedCrimeIds(Dataset<Row> validated) {
    Columns.require(validated, "PoliceUkConform.repeatedCrimeIds", List.of(REASON, "crime_id"));
    return validated.filter(col(REASON).isNull()).select(text("crime_id").as(CRIME_KEY)).filter(col(CRIME_KEY).isNotNull())
        .groupBy(CRIME_KEY).count().filter(col("count").gt(1)).select(CRIME_KEY);
  }

  /**
   * One row per crime: rows sharing a Crime ID are one crime (ASB rows, which have none, are each their
   * own record). The first publication gives month and place; the latest outcome, from the street rows
   * or the outcomes file, is the crime's last outcome. _deliveries lists every accepted row merged in.
   * {@code repeated} (from {@link #repeatedCrimeIds}, or any set holding at least those IDs) names the
   * crimes whose rows are merged by a grouping; every other row is its crime's only one and is taken as it
   * is, without a shuffle. Broadcast it when it is small.
   */
  public static Dataset<Row> crimes(Dataset<Row> validated, Dataset<Row> repeated, Dataset<Row> outcomes,
      List<String> sanctionOutcomes) {
    Columns.require(validated, "PoliceUkConform.crimes", List.of(REASON, "month_start", "financial_year", "is_mapped",
        "force_code", "is_asb", "neighbourhood_code", "sector_code", "ocu_code"));
    Columns.require(repeated, "PoliceUkConform.crimes (repeated Crime IDs)", List.of(CRIME_KEY));
    Columns.require(outcomes, "PoliceUkConform.crimes (outcomes)", List.of("crime_id", "outcome_month", "outcome_type",
        "_ingested_at", "_source_file", "_source_record"));
    List<String> fields = List.of("month_start", "financial_year", "force_code", "falls_within", "reported_by", "location",
        "lsoa_code", "lsoa_name", "neighbourhood_code", "sector_code", "ocu_code", "is_mapped", "crime_type", "is_asb",
        "longitude", "latitude", "_source_file", "_source_record", "_batch_id");
    Column record = struct(fields.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    Column outcome = when(text("last_outcome_category").isNotNull(),
        struct(text("last_outcome_category").as("outcome"), col("month_start").as("outcome_month")));
    Column delivery = struct(col("_source_file"), col("_batch_id"));
    Dataset<Row> ok = validated.filter(col(REASON).isNull())
        .withColumn("longitude", text("longitude").cast("double"))
        .withColumn("latitude", text("latitude").cast("double"))
        .withColumn("location", text("location")).withColumn("lsoa_code", text("lsoa_code"))
        .withColumn("lsoa_name", text("lsoa_name")).withColumn("crime_type", text("crime_type"))
        .withColumn(CRIME_KEY, text("crime_id"));
    // Rows without a Crime ID (ASB) are each their own record, keyed by where they were delivered.
    Dataset<Row> single = ok.filter(col(CRIME_KEY).isNull())
        .select(sha2(concat(col("_source_file"), lit("#"), col("_source_record").cast("string")), 256).as("record_key"),
            record.as("r"), outcome.as("o"), array(delivery).as("_deliveries"));
    Dataset<Row> withId = ok.filter(col(CRIME_KEY).isNotNull());
    Column isRepeated = col(CRIME_KEY).equalTo(col("_repeated"));
    Dataset<Row> repeatedKeys = repeated.select(col(CRIME_KEY).as("_repeated"));
    Dataset<Row> once = withId.join(repeatedKeys, isRepeated, "left_anti")
        .select(col(CRIME_KEY).as("record_key"), record.as("r"), outcome.as("o"), array(delivery).as("_deliveries"));
    // Rows sharing a Crime ID are one crime: the first publication's record, the latest outcome it was published with.
    Dataset<Row> merged = withId.join(repeatedKeys, isRepeated, "left_semi")
        .groupBy(col(CRIME_KEY).as("record_key"))
        .agg(min_by(record, struct(col("month_start"), col("_ingested_at"), col("_source_file"), col("_source_record"))).as("r"),
            max_by(outcome, struct(text("last_outcome_category").isNotNull(),
                col("month_start"), col("_ingested_at"), col("_source_file"), col("_source_record"))).as("o"),
            collect_list(delivery).as("_deliveries"));
    // The outcomes files' latest event per crime overrides an earlier one from the street files.
    Dataset<Row> latest = outcomes.groupBy(col("crime_id").as("_o_key"))
        .agg(max_by(struct(col("outcome_type").as("outcome"), col("outcome_month")),
            struct(col("outcome_month"), col("_ingested_at"), col("_source_file"), col("_source_record"))).as("f"));
    Column fromFile = col("f").isNotNull().and(col("o").isNull().or(col("f.outcome_month").geq(col("o.outcome_month"))));
    Dataset<Row> joined = merged.unionByName(once).join(latest, col("record_key").equalTo(col("_o_key")), "left")
        .withColumn("o", when(fromFile, col("f")).otherwise(col("o"))).drop("_o_key", "f")
        .unionByName(single);
    List<Column> out = new ArrayList<>(List.of(col("record_key"), when(col("r.is_asb"), lit(null)).otherwise(col("record_key"))
        .as("crime_id"), date_format(col("r.month_start"), "yyyy-MM").as("month")));
    for (String c : fields.subList(0, fields.size() - 3)) {
      out.add(col("r." + c).as(c));
    }
    out.add(col("o.outcome").as("last_outcome_category"));
    out.add(col("o.outcome_month").as("last_outcome_month"));
    out.add(coalesce(col("o.outcome").isin(sanctionOutcomes.toArray()), lit(false)).as("is_sanction_detection"));
    out.add(size(col("_deliveries")).as("deliveries"));
    out.add(col("r._source_file").as("_source_file"));
    out.add(col("r._source_record").as("_source_record"));
    out.add(col("r._batch_id").as("_batch_id"));
    out.add(col("_deliveries"));
    return joined.select(out.toArray(new Column[0]));
  }

  /** Outcomes-file rows typed, with the reason a row cannot be used. */
  public static Dataset<Row> withOutcomeValidation(Dataset<Row> bronze) {
    requireDelivered(bronze, OUTCOME_COLUMNS, "PoliceUkConform.withOutcomeValidation");
    Column reason = concat_ws("; ",
        LandingFiles.unreadable(),
        when(text("crime_id").isNull(), lit("crime_id: missing")),
        monthCheck(),
        when(text("outcome_type").isNull(), lit("outcome_type: missing")));
    return bronze.withColumn(REASON, when(reason.equalTo(""), lit(null)).otherwise(reason))
        .withColumn("outcome_month", to_date(concat(text("month"), lit("-01"))))
        .withColumn("force_code", forceOfFile("outcomes"));
  }

  /** Accepted outcome rows for silver: one per delivered outcome event. */
  public static Dataset<Row> acceptedOutcomes(Dataset<Row> validated) {
    return validated.filter(col(REASON).isNull()).select(text("crime_id").as("crime_id"), col("outcome_month"),
        text("outcome_type").as("outcome_type"), col("force_code"), text("lsoa_code").as("lsoa_code"), col("_source_file"),
        col("_source_record"), col("_ingested_at"), col("_batch_id"));
  }

  /** Rows that cannot be used, as delivered (without free text), with the reason. */
  public static Dataset<Row> quarantined(Dataset<Row> validated, List<String> columns) {
    List<Column> out = new ArrayList<>();
    columns.stream().filter(c -> !c.equals("context")).forEach(c -> out.add(col(c)));
    LINEAGE.forEach(c -> out.add(col(c)));
    out.add(col(REASON));
    return validated.filter(col(REASON).isNotNull()).select(out.toArray(new Column[0]));
  }
}
