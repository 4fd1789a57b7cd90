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
import org.beacon.runtime.Tables;

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
  /** The hash of a row's Crime ID ({@link #repeatedCrimeIds}); null for ASB rows. */
  public static final String CRIME_HASH = "_crime_hash";
  private static final List<String> LINEAGE = List.of("_source_file", "_source_record", "_source_checksum", "_ingested_at",
      "_batch_id");
  private static final String MONTH = "^[0-9]{4}-(0[1-9]|1[0-2])$";

  private PoliceUkConform() {}

  /**
   * Per LSOA, the force's own places (neighbourhood -> sector -> OCU -> force, from its lookup and geography) and the
   * ONS areas (ward, local authority, community safety partnership, police force area and that area's
   * data.police.uk force, from silver.reference__ons_geography); either may be missing.
   */
  public static Dataset<Row> places(Dataset<Row> lookup, Dataset<Row> geography, Dataset<Row> ons) {
    Columns.require(lookup, "PoliceUkConform.places (lookup)", List.of("lsoa_code", "neighbourhood_code"));
    Columns.require(geography, "PoliceUkConform.places (geography)", List.of("neighbourhood_code", "sector_code", "ocu_code",
        "force_code"));
    Columns.require(ons, "PoliceUkConform.places (ONS geography)", List.of("lsoa_code", "ward_code", "local_authority_code",
        "csp_code", "pfa_code", "police_uk_force"));
    Dataset<Row> own = lookup.select(trim(col("lsoa_code")).as("_place_lsoa"), col("neighbourhood_code"))
        .join(geography.select("neighbourhood_code", "sector_code", "ocu_code", "force_code"), "neighbourhood_code")
        .dropDuplicates("_place_lsoa");
    return own.join(ons.select(col("lsoa_code").as("_place_lsoa"), col("ward_code"), col("local_authority_code"), col("csp_code"),
        col("pfa_code"), col("police_uk_force").as("area_force_code")), Columns.seq("_place_lsoa"), "full_outer");
  }

  static Column text(String c) {
    return when(trim(col(c)).equalTo(""), lit(null)).otherwise(trim(col(c)));
  }

  /**
   * The force slug in a data.police.uk file name (2012-01-avon-and-somerset-street.csv -> avon-and-somerset); each
   * bronze table holds files of one kind only (street or outcomes), as its delivery selects them.
   */
  private static Column forceOfFile() {
    Column slug = regexp_extract(col("_source_file"), FILE_NAME, 2);
    Column fromName = regexp_replace(regexp_replace(lower(trim(coalesce(col("falls_within"), lit("")))), "[^a-z0-9]+", "-"),
        "(^-|-$)", "");
    return when(slug.notEqual(""), slug).when(fromName.notEqual(""), fromName).otherwise(lit("unknown"));
  }

  /** The bronze column holding a delivery's as-of month (yyyy-MM). */
  public static final String AS_OF = "_as_of";
  /** True on rows of the latest vintage of their force-month file. */
  public static final String IS_CURRENT = "_is_current_vintage";
  /** A data.police.uk file name, plain or gzip-compressed: its month (group 1), force (2) and kind (3). */
  private static final String FILE_NAME = "([0-9]{4}-[0-9]{2})-([a-z0-9-]+)-(street|outcomes)\\.csv(\\.gz)?$";

  /**
   * Which delivered file is the current vintage of its force-month: per delivered file (_source_file, _batch_id),
   * its as-of month ({@value #AS_OF}; for rows landed before it was recorded, the month in the file's name) and
   * {@value #IS_CURRENT}. A file's force-month is its name (2024-02-city-of-london-street.csv, compressed or not)
   * wherever it was delivered from; of all deliveries of a force-month, the latest as-of wins, then the later ingest (batch), then
   * the later path. A file whose name has no force-month is its own. One small row per file: broadcast it.
   */
  public static Dataset<Row> vintages(Dataset<Row> bronze) {
    Columns.require(bronze, "PoliceUkConform.vintages", List.of("_source_file", "_batch_id", "_ingested_at"));
    Column asOf = List.of(bronze.columns()).contains(AS_OF) ? col(AS_OF) : lit(null).cast("string");
    Column named = regexp_extract(col("_source_file"), FILE_NAME, 0);
    Dataset<Row> files = bronze.select(col("_source_file"), col("_batch_id"), col("_ingested_at"), asOf.as(AS_OF)).distinct()
        .withColumn(AS_OF, coalesce(col(AS_OF), when(named.notEqual(""), regexp_extract(col("_source_file"), FILE_NAME, 1))))
        .withColumn("_force_month", forceMonth(col("_source_file")));
    org.apache.spark.sql.expressions.WindowSpec latest = org.apache.spark.sql.expressions.Window.partitionBy("_force_month")
        .orderBy(col(AS_OF).desc_nulls_last(), col("_ingested_at").desc(), col("_batch_id").desc(), col("_source_file").desc());
    return files.withColumn(IS_CURRENT, row_number().over(latest).equalTo(1)).select("_source_file", "_batch_id", AS_OF,
        "_force_month", IS_CURRENT);
  }

  /**
   * A delivered file's force-month, the files that are vintages of one another: its data.police.uk name without a
   * .gz (2024-02-city-of-london-street.csv) wherever it was delivered from; a file whose name has none is its own.
   */
  public static Column forceMonth(Column file) {
    Column named = regexp_extract(file, FILE_NAME, 0);
    return when(named.notEqual(""), regexp_replace(named, "\\.gz$", "")).otherwise(file);
  }

  /** The bronze rows of files that a later vintage of their force-month superseded. */
  public static Dataset<Row> superseded(Dataset<Row> bronze) {
    return withVintage(bronze, vintages(bronze)).filter(not(col(IS_CURRENT)));
  }

  /** Rows with their file's as-of month and whether it is the current vintage, from {@link #vintages}. */
  static Dataset<Row> withVintage(Dataset<Row> rows, Dataset<Row> vintages) {
    Dataset<Row> v = vintages.select(col("_source_file").as("_v_file"), col("_batch_id").as("_v_batch"), col(AS_OF).as("_v_as_of"),
        col(IS_CURRENT));
    return rows.drop(IS_CURRENT).join(broadcast(v), col("_source_file").equalTo(col("_v_file")).and(col("_batch_id").equalTo(col("_v_batch"))))
        .withColumn("as_of_month", col("_v_as_of")).drop("_v_file", "_v_batch", "_v_as_of");
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

  /**
   * Street rows typed, placed and given their vintage ({@link #vintages} of all of bronze), with the reason a row
   * cannot be used (null when it can).
   */
  public static Dataset<Row> withStreetValidation(Dataset<Row> bronze, Dataset<Row> vintages, Dataset<Row> places, String asbType) {
    requireDelivered(bronze, STREET_COLUMNS, "PoliceUkConform.withStreetValidation");
    Column reason = concat_ws("; ",
        LandingFiles.unreadable(STREET_COLUMNS),
        monthCheck(),
        when(text("crime_type").isNull(), lit("crime_type: missing")),
        coordinateCheck("longitude"),
        coordinateCheck("latitude"));
    Column month = to_date(concat(text("month"), lit("-01")));
    return withVintage(bronze, vintages).join(broadcast(places), text("lsoa_code").equalTo(col("_place_lsoa")), "left")
        .withColumn(REASON, when(reason.equalTo(""), lit(null)).otherwise(reason))
        .withColumn("month_start", month)
        .withColumn("financial_year", FinancialYear.labelOf(month))
        .withColumn("is_mapped", col("neighbourhood_code").isNotNull())
        .withColumn("force_code", coalesce(col("force_code"), forceOfFile()))
        // Kept under the force that reported it; flagged when its LSOA lies in another force's area.
        .withColumn("is_outside_force_area", coalesce(col("area_force_code").notEqual(col("force_code")), lit(false)))
        .withColumn("is_asb", coalesce(text("crime_type").equalTo(asbType), lit(false)));
  }

  /**
   * The hashes (xxhash64, column {@value #CRIME_HASH}) of the Crime IDs that more than one row of a current vintage
   * carries: only these crimes need their rows merged. Rows that cannot be read count too, so the rows need no
   * validating here, and 8-byte hashes are grouped instead of 64-character IDs: the set holds at least every
   * repeated crime, and a crime that only shares its hash with another is merely merged on its own.
   */
  public static Dataset<Row> repeatedCrimeIds(Dataset<Row> validated) {
    Columns.require(validated, "PoliceUkConform.repeatedCrimeIds", List.of(IS_CURRENT, "crime_id"));
    return validated.filter(col(IS_CURRENT)).select(crimeHash(text("crime_id")).as(CRIME_HASH)).filter(col(CRIME_HASH).isNotNull())
        .groupBy(CRIME_HASH).count().filter(col("count").gt(1)).select(CRIME_HASH);
  }

  /** A Crime ID's hash; null without one (xxhash64 would give its seed for null). */
  private static Column crimeHash(Column crimeId) {
    return when(crimeId.isNotNull(), xxhash64(crimeId));
  }

  /**
   * One row per crime, from the current vintage of each force-month (rows of a superseded vintage are left out):
   * rows sharing a Crime ID are one crime (ASB rows, which have none, are each their own record). The first
   * publication gives month and place (of two rows of one file, the first row's); the crime's last outcome is the
   * one with the latest as-of month, from the street rows (a snapshot at their delivery's as-of) or the outcomes
   * files (an event in its month, preferred at the same as-of when not older than the street row's month).
   * _deliveries lists every accepted row merged in.
   * {@code repeated} (from {@link #repeatedCrimeIds}, or any set of hashes holding at least those) names the
   * crimes whose rows are merged by a grouping; every other row, and every row without a Crime ID, is its record
   * as it is, without a shuffle and in the same pass. Broadcast it when it is small.
   */
  public static Dataset<Row> crimes(Dataset<Row> validated, Dataset<Row> repeated, Dataset<Row> outcomes,
      List<String> sanctionOutcomes) {
    Columns.require(validated, "PoliceUkConform.crimes", List.of(REASON, IS_CURRENT, "as_of_month", "month_start", "financial_year", "is_mapped",
        "force_code", "is_asb", "neighbourhood_code", "sector_code", "ocu_code", "ward_code", "local_authority_code", "csp_code",
        "pfa_code", "area_force_code", "is_outside_force_area"));
    Columns.require(repeated, "PoliceUkConform.crimes (repeated Crime IDs)", List.of(CRIME_HASH));
    Columns.require(outcomes, "PoliceUkConform.crimes (outcomes)", List.of("crime_id", "outcome_month", "outcome_type", "as_of_month",
        "_ingested_at", "_source_file", "_source_record"));
    List<String> fields = List.of("month_start", "financial_year", "force_code", "falls_within", "reported_by", "location",
        "lsoa_code", "lsoa_name", "neighbourhood_code", "sector_code", "ocu_code", "is_mapped", "ward_code", "local_authority_code",
        "csp_code", "pfa_code", "area_force_code", "is_outside_force_area", "crime_type", "is_asb",
        "longitude", "latitude", "_source_file", "_source_record", "_batch_id");
    Column record = struct(fields.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    Column outcome = when(text("last_outcome_category").isNotNull(),
        struct(text("last_outcome_category").as("outcome"), col("month_start").as("outcome_month"), col("as_of_month").as("as_of")));
    Column delivery = struct(col("_source_file"), col("_batch_id"));
    Dataset<Row> ok = validated.filter(col(REASON).isNull().and(col(IS_CURRENT)))
        .withColumn("longitude", text("longitude").cast("double"))
        .withColumn("latitude", text("latitude").cast("double"))
        .withColumn("location", text("location")).withColumn("lsoa_code", text("lsoa_code"))
        .withColumn("lsoa_name", text("lsoa_name")).withColumn("crime_type", text("crime_type"))
        .withColumn(CRIME_KEY, text("crime_id")).withColumn(CRIME_HASH, crimeHash(col(CRIME_KEY)));
    Column isRepeated = col(CRIME_HASH).equalTo(col("_repeated"));
    Dataset<Row> repeatedKeys = repeated.select(col(CRIME_HASH).as("_repeated"));
    // A row without a Crime ID (ASB) is its own record, keyed by where it was delivered, and never has outcomes.
    Dataset<Row> once = ok.join(repeatedKeys, isRepeated, "left_anti")
        .select(recordKey().as("record_key"), col(CRIME_KEY).isNotNull().as("_has_id"), record.as("r"), outcome.as("o"),
            array(delivery).as("_deliveries"));
    // Rows sharing a Crime ID are one crime: the first publication's record, the latest outcome it was published with.
    Dataset<Row> merged = ok.join(repeatedKeys, isRepeated, "left_semi")
        .groupBy(col(CRIME_KEY).as("record_key"))
        .agg(min_by(record, struct(col("month_start"), col("_ingested_at"), col("_source_file"), col("_source_record"))).as("r"),
            max_by(outcome, struct(text("last_outcome_category").isNotNull(), coalesce(col("as_of_month"), lit("")),
                col("month_start"), col("_ingested_at"), col("_source_file"), col("_source_record"))).as("o"),
            collect_list(delivery).as("_deliveries"))
        .withColumn("_has_id", lit(true));
    // The outcomes files' latest event per crime overrides an older vintage's, or an earlier one of the same vintage.
    Dataset<Row> latest = outcomes.groupBy(col("crime_id").as("_o_key"))
        .agg(max_by(struct(col("outcome_type").as("outcome"), col("outcome_month"), col("as_of_month").as("as_of")),
            struct(coalesce(col("as_of_month"), lit("")), col("outcome_month"), col("_ingested_at"), col("_source_file"),
                col("_source_record"))).as("f"));
    Column fileAsOf = coalesce(col("f.as_of"), lit(""));
    Column streetAsOf = coalesce(col("o.as_of"), lit(""));
    Column fromFile = col("f").isNotNull().and(col("o").isNull().or(fileAsOf.gt(streetAsOf))
        .or(fileAsOf.equalTo(streetAsOf).and(col("f.outcome_month").geq(col("o.outcome_month")))));
    // Joined on record_key (unique, so rows without a Crime ID do not all meet in one task), matched only with one.
    Dataset<Row> joined = merged.unionByName(once).join(latest, col("record_key").equalTo(col("_o_key")).and(col("_has_id")), "left")
        .withColumn("o", when(fromFile, col("f")).otherwise(col("o"))).drop("_o_key", "f", "_has_id");
    List<Column> out = new ArrayList<>(List.of(col("record_key"), when(col("r.is_asb"), lit(null)).otherwise(col("record_key"))
        .as("crime_id"), date_format(col("r.month_start"), "yyyy-MM").as("month")));
    for (String c : fields.subList(0, fields.size() - 3)) {
      out.add(col("r." + c).as(c));
    }
    out.add(col("o.outcome").as("last_outcome_category"));
    out.add(col("o.outcome_month").as("last_outcome_month"));
    out.add(col("o.as_of").as("last_outcome_as_of_month"));
    out.add(coalesce(col("o.outcome").isin(sanctionOutcomes.toArray()), lit(false)).as("is_sanction_detection"));
    out.add(size(col("_deliveries")).as("deliveries"));
    out.add(col("r._source_file").as("_source_file"));
    out.add(col("r._source_record").as("_source_record"));
    out.add(col("r._batch_id").as("_batch_id"));
    out.add(col("_deliveries"));
    return joined.select(out.toArray(new Column[0]));
  }

  /** A row's record: its Crime ID, or for a row without one (ASB) where it was delivered. */
  private static Column recordKey() {
    return when(text("crime_id").isNull(), sha2(concat(col("_source_file"), lit("#"), col("_source_record").cast("string")), 256))
        .otherwise(text("crime_id"));
  }

  /**
   * The bronze rows a delivery's crimes are rebuilt from: every row of the force-months that its batches deliver, in
   * all their vintages, and every row sharing a Crime ID with those. {@code few} turns the set of Crime IDs into
   * what to join with (broadcast when small).
   */
  public static Dataset<Row> rowsOfForceMonths(Dataset<Row> bronze, Dataset<Row> vintages, Object[] batches,
      java.util.function.UnaryOperator<Dataset<Row>> few) {
    Dataset<Row> forceMonths = vintages.filter(col("_batch_id").isin(batches)).select("_force_month").distinct();
    Dataset<Row> files = vintages.join(forceMonths, "_force_month")
        .select(col("_source_file").as("_f_file"), col("_batch_id").as("_f_batch"), lit(true).as("_f_hit"));
    Column inFiles = col("_source_file").equalTo(col("_f_file")).and(col("_batch_id").equalTo(col("_f_batch")));
    // The same files as literals too, which Delta compares with each data file's statistics: the Crime IDs of a
    // delivery are read from the files that hold its force-months, not from all of bronze.
    List<Row> named = files.collectAsList();
    Column among = col("_batch_id").isin(named.stream().map(r -> r.getString(1)).distinct().toArray())
        .and(col("_source_file").isin(named.stream().map(r -> r.getString(0)).distinct().toArray()));
    Dataset<Row> ids = few.apply(bronze.filter(among).join(broadcast(files), inFiles, "left_semi")
        .select(text("crime_id").as("_id_hit_key")).filter(col("_id_hit_key").isNotNull()).distinct());
    return bronze.join(broadcast(files), inFiles, "left").join(ids, text("crime_id").equalTo(col("_id_hit_key")), "left")
        .filter(coalesce(col("_f_hit"), lit(false)).or(col("_id_hit_key").isNotNull()))
        .drop("_f_file", "_f_batch", "_f_hit", "_id_hit_key");
  }

  /**
   * A delivery's crimes for a merge, with a removal ({@link Tables#IS_DELETED}) for every record that the rows they
   * were built from carried and that no longer exists (it was only in a superseded vintage).
   */
  public static Dataset<Row> withRemovals(Dataset<Row> crimes, Dataset<Row> validated) {
    Dataset<Row> gone = validated.filter(col(REASON).isNull()).select(recordKey().as("record_key")).distinct()
        .join(crimes.select("record_key"), Columns.seq("record_key"), "left_anti").withColumn(Tables.IS_DELETED, lit(true));
    return crimes.withColumn(Tables.IS_DELETED, lit(false)).unionByName(gone, true);
  }

  /** Outcomes-file rows typed and given their vintage, with the reason a row cannot be used. */
  public static Dataset<Row> withOutcomeValidation(Dataset<Row> bronze, Dataset<Row> vintages) {
    requireDelivered(bronze, OUTCOME_COLUMNS, "PoliceUkConform.withOutcomeValidation");
    Column reason = concat_ws("; ",
        LandingFiles.unreadable(OUTCOME_COLUMNS),
        when(text("crime_id").isNull(), lit("crime_id: missing")),
        monthCheck(),
        when(text("outcome_type").isNull(), lit("outcome_type: missing")));
    return withVintage(bronze, vintages).withColumn(REASON, when(reason.equalTo(""), lit(null)).otherwise(reason))
        .withColumn("outcome_month", to_date(concat(text("month"), lit("-01"))))
        .withColumn("force_code", forceOfFile());
  }

  /** Accepted outcome rows of each force-month's current vintage, for silver: one per delivered outcome event. */
  public static Dataset<Row> acceptedOutcomes(Dataset<Row> validated) {
    return validated.filter(col(REASON).isNull().and(col(IS_CURRENT))).select(text("crime_id").as("crime_id"), col("outcome_month"),
        text("outcome_type").as("outcome_type"), col("force_code"), text("lsoa_code").as("lsoa_code"), col("as_of_month"), col("_source_file"),
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
