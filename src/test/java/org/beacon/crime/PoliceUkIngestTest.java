package org.beacon.crime;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.geography.OnsGeography;
import org.beacon.runtime.Reconciliation;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Street-level and outcomes files written as data.police.uk publishes them, ingested from a folder of their own. */
class PoliceUkIngestTest {
  private static final String HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
      + "Crime type,Last outcome category,Context\n";
  private static SparkSession spark;
  private static Settings settings;
  private static Path downloads;

  @BeforeAll
  static void ingestRealFormatFiles() throws IOException {
    SharedSpark.session();
    settings = SharedSpark.settings(Map.of());
    spark = SparkSessions.open(settings);
    downloads = Files.createTempDirectory("police-uk-downloads");
    // A byte-order mark, a quoted location with a comma, ASB rows without an id, a row with no location, the
    // pre-2013 type name, and a row whose month cannot be read.
    write("2012-01/2012-01-avon-and-somerset-street.csv", "\uFEFF" + HEADER
        + "aaa1,2012-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.5,51.4,\"On or near Park Street, Bath\","
        + "E01014399,Bath and North East Somerset 001A,Burglary,Under investigation,\n"
        + ",2012-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.5,51.4,On or near High Street,E01014399,"
        + "Bath and North East Somerset 001A,Anti-social behaviour,,\n"
        + ",2012-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.6,51.5,On or near High Street,E01014400,"
        + "Bath and North East Somerset 001B,Anti-social behaviour,,\n"
        + "aaa2,2012-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,,,No Location,,,Vehicle crime,"
        + "Investigation complete; no suspect identified,\n"
        + "aaa3,2012-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.5,51.4,On or near Mill Lane,E01014399,"
        + "Bath and North East Somerset 001A,Public disorder and weapons,,\n"
        + "aaa4,2012-13,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.5,51.4,On or near Mill Lane,E01014399,"
        + "Bath and North East Somerset 001A,Robbery,,\n");
    // The next month's download, gzip-compressed, publishes aaa1 again with a later outcome, and a new crime.
    write("2012-02/2012-02-avon-and-somerset-street.csv.gz", HEADER
        + "aaa1,2012-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.5,51.4,\"On or near Park Street, Bath\","
        + "E01014399,Bath and North East Somerset 001A,Burglary,Awaiting court outcome,\n"
        + "bbb1,2012-02,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.5,51.4,On or near Mill Lane,E01014399,"
        + "Bath and North East Somerset 001A,Burglary,,\n");
    write("2012-03/2012-03-avon-and-somerset-outcomes.csv", "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
        + "LSOA code,LSOA name,Outcome type\n"
        + "bbb1,2012-03,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.5,51.4,On or near Mill Lane,E01014399,"
        + "Bath and North East Somerset 001A,Offender given a caution\n"
        + ",2012-03,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.5,51.4,On or near Mill Lane,E01014399,"
        + "Bath and North East Somerset 001A,Offender given a caution\n");
    Files.writeString(downloads.resolve("README.txt"), "not a data file");
    assertTrue(CrimeIngestJob.run(spark, settings, downloads));
    Reconciliation.write(spark, settings, CrimeIngestJob.loads(settings));
  }

  /** Writes a delivered file; a name ending in .gz gzip-compressed. */
  private static void write(String name, String text) throws IOException {
    Path f = downloads.resolve(name);
    Files.createDirectories(f.getParent());
    try (java.io.OutputStream out = name.endsWith(".gz") ? new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))
        : Files.newOutputStream(f)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Map<String, Row> crimes() {
    Map<String, Row> out = new HashMap<>();
    for (Row r : Tables.read(spark, settings, CrimeTables.SILVER_POLICE_UK_CRIMES).collectAsList()) {
      out.put(r.isNullAt(r.fieldIndex("crime_id")) ? r.getAs("lsoa_code") : r.getAs("crime_id"), r);
    }
    return out;
  }

  @Test
  void everyReadableRowIsKeptAndRepublishedCrimesAreOne() {
    Map<String, Row> c = crimes();
    assertEquals(6, c.size(), "aaa1 (twice), two ASB, aaa2, aaa3, bbb1; the bad month quarantined");
    Row aaa1 = c.get("aaa1");
    assertEquals("On or near Park Street, Bath", aaa1.getAs("location"));
    assertEquals("Awaiting court outcome", aaa1.getAs("last_outcome_category"), "the later publication's outcome");
    assertEquals(2, aaa1.<Integer>getAs("deliveries"));
    assertTrue(aaa1.<Boolean>getAs("is_sanction_detection"));
    assertEquals("2012-01", aaa1.getAs("month"));
    assertEquals("2011/12", aaa1.getAs("financial_year"));
    assertEquals("avon-and-somerset", aaa1.getAs("force_code"), "the force comes from the file name");
    assertFalse(aaa1.<Boolean>getAs("is_mapped"), "no LSOA lookup lists these LSOAs");
    assertEquals("Offender given a caution", c.get("bbb1").getAs("last_outcome_category"), "the outcomes file is later");
    assertEquals("avon-and-somerset", c.get("bbb1").getAs("force_code"), "a compressed file's name gives its force too");
    assertEquals("2012-02/2012-02-avon-and-somerset-street.csv.gz", c.get("bbb1").getAs("_source_file"),
        "a crime of the compressed file names it as delivered");
    assertNull(c.get("aaa2").getAs("lsoa_code"));
    assertEquals("Public disorder and weapons", c.get("aaa3").getAs("crime_type"), "older type names are kept as published");
    Row asb = c.get("E01014400");
    assertTrue(asb.<Boolean>getAs("is_asb"));
    assertNull(asb.getAs("crime_id"));
    assertNull(asb.getAs("last_outcome_category"));
  }

  @Test
  void unreadableRowsAreQuarantinedWithTheirReasonAndCountsReconcile() {
    List<Row> street = Tables.read(spark, settings, CrimeTables.QUARANTINE_POLICE_UK_STREET).collectAsList();
    assertEquals(1, street.size());
    assertEquals("month: '2012-13' is not a month (yyyy-MM)", street.get(0).getAs("quarantine_reason"));
    assertEquals("2012-01/2012-01-avon-and-somerset-street.csv", street.get(0).getAs("_source_file"));
    assertEquals(6L, street.get(0).<Long>getAs("_source_record"));
    assertFalse(List.of(Tables.read(spark, settings, CrimeTables.QUARANTINE_POLICE_UK_STREET).columns()).contains("context"),
        "free text stays in bronze");
    Row outcome = Tables.read(spark, settings, CrimeTables.QUARANTINE_POLICE_UK_OUTCOMES).first();
    assertEquals("crime_id: missing", outcome.getAs("quarantine_reason"));
    Map<String, long[]> byFile = new HashMap<>();
    for (Row r : Tables.read(spark, settings, TableName.OPS_LOAD_RECONCILIATION).collectAsList()) {
      byFile.put(r.getAs("source_file"), new long[] {r.getAs("rows_read"), r.getAs("rows_accepted"), r.getAs("rows_quarantined"),
          r.getAs("rows_merged")});
    }
    assertEquals(List.of(6L, 5L, 1L), List.of(byFile.get("2012-01/2012-01-avon-and-somerset-street.csv")[0],
        byFile.get("2012-01/2012-01-avon-and-somerset-street.csv")[1], byFile.get("2012-01/2012-01-avon-and-somerset-street.csv")[2]));
    assertEquals(List.of(1L, 1L), List.of(byFile.get("2012-02/2012-02-avon-and-somerset-street.csv.gz")[1],
        byFile.get("2012-02/2012-02-avon-and-somerset-street.csv.gz")[3]), "bbb1 is its own record; aaa1 is merged into January's");
    assertEquals(3, byFile.size(), "README.txt is not a data file");
  }

  @Test
  void theRepeatedCrimeIdsOnlyDecideWhichRowsAreGrouped() {
    Dataset<Row> bronze = Tables.read(spark, settings, CrimeTables.BRONZE_POLICE_UK_STREET);
    var validated = PoliceUkConform.withStreetValidation(bronze, PoliceUkConform.vintages(bronze),
        PoliceUkConform.places(spark.createDataFrame(List.of(), StructType.fromDDL("lsoa_code STRING, neighbourhood_code STRING")),
            spark.createDataFrame(List.of(), StructType.fromDDL("neighbourhood_code STRING, sector_code STRING, ocu_code STRING, "
                + "force_code STRING")), spark.createDataFrame(List.of(), OnsGeography.SCHEMA)), "Anti-social behaviour");
    Dataset<Row> repeated = PoliceUkConform.repeatedCrimeIds(validated);
    long aaa1 = spark.sql("SELECT xxhash64('aaa1')").as(Encoders.LONG()).first();
    assertEquals(List.of(aaa1), repeated.as(Encoders.LONG()).collectAsList(), "only aaa1 was published twice");
    Dataset<Row> everyId = validated.filter(trim(col("crime_id")).notEqual("")).select(xxhash64(trim(col("crime_id")))
        .as(PoliceUkConform.CRIME_HASH)).distinct();
    Dataset<Row> outcomes = Tables.read(spark, settings, CrimeTables.SILVER_POLICE_UK_OUTCOMES);
    List<String> silver = rows(Tables.read(spark, settings, CrimeTables.SILVER_POLICE_UK_CRIMES));
    assertEquals(silver, rows(PoliceUkConform.crimes(validated, repeated, outcomes, CrimeSettings.of(settings).sanctionOutcomes())));
    assertEquals(silver, rows(PoliceUkConform.crimes(validated, everyId, outcomes, CrimeSettings.of(settings).sanctionOutcomes())),
        "grouping every crime, as if each were repeated, gives the same crimes");
  }

  private static List<String> rows(Dataset<Row> crimes) {
    return crimes.orderBy("record_key").collectAsList().stream().map(Row::toString).toList();
  }

  @Test
  void aSecondRunAddsNothing() {
    long version = Tables.version(spark, settings, CrimeTables.BRONZE_POLICE_UK_STREET);
    long silver = Tables.version(spark, settings, CrimeTables.SILVER_POLICE_UK_CRIMES);
    CrimeIngestJob.run(spark, settings, downloads);
    assertEquals(version, Tables.version(spark, settings, CrimeTables.BRONZE_POLICE_UK_STREET));
    assertEquals(silver, Tables.version(spark, settings, CrimeTables.SILVER_POLICE_UK_CRIMES));
  }

  @Test
  void forceLevelCountsWorkWithoutALookupAndOcuCountsWithOne() {
    CrimeMartsJob.run(spark, settings);
    Map<String, Long> byType = new HashMap<>();
    Tables.read(spark, settings, CrimeTables.GOLD_CRIME_MONTHLY).filter("level = 'force' AND month = '2012-01'").collectAsList()
        .forEach(r -> byType.put(r.getAs("crime_type"), r.getAs("records")));
    assertEquals(Map.of("Burglary", 1L, "Anti-social behaviour", 2L, "Vehicle crime", 1L, "Public disorder and weapons", 1L), byType);
    Row all = Tables.read(spark, settings, CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)
        .filter("level = 'force' AND group_id = 'all_crime' AND financial_year = '2011/12'").first();
    assertEquals(4L, all.<Long>getAs("records"), "aaa1, aaa2, aaa3, bbb1");
    assertEquals(2L, all.<Long>getAs("sanction_detections"));
    assertEquals(50.0, all.<Double>getAs("sanction_detection_rate_pct"), 1e-12);
    assertEquals(2L, all.<Long>getAs("months"));

    // With a lookup, the same rows are placed in their neighbourhood, sector and OCU; the rest stay at force level.
    StructType placeSchema = StructType.fromDDL("lsoa_code STRING, neighbourhood_code STRING");
    StructType geoSchema = StructType.fromDDL("neighbourhood_code STRING, sector_code STRING, ocu_code STRING, force_code STRING");
    var places = PoliceUkConform.places(spark.createDataFrame(List.of(RowFactory.create("E01014399", "B1S1N1")), placeSchema),
        spark.createDataFrame(List.of(RowFactory.create("B1S1N1", "B1S1", "B1", "avon-and-somerset")), geoSchema),
        spark.createDataFrame(List.of(), OnsGeography.SCHEMA));
    Dataset<Row> bronze = Tables.read(spark, settings, CrimeTables.BRONZE_POLICE_UK_STREET);
    var validated = PoliceUkConform.withStreetValidation(bronze, PoliceUkConform.vintages(bronze), places, "Anti-social behaviour");
    var mapped = PoliceUkConform.crimes(validated, PoliceUkConform.repeatedCrimeIds(validated),
        Tables.read(spark, settings, CrimeTables.SILVER_POLICE_UK_OUTCOMES), CrimeSettings.of(settings).sanctionOutcomes());
    assertEquals(4, mapped.filter("is_mapped AND ocu_code = 'B1'").count(), "aaa1, bbb1, aaa3 and one ASB row are in E01014399");
    List<Row> ocu = CrimeMarts.monthly(mapped, spark.createDataFrame(List.of(RowFactory.create("avon-and-somerset", "B1", 10000L)),
            StructType.fromDDL("force_code STRING, ocu_code STRING, population_all_ages BIGINT")))
        .filter("level = 'ocu' AND month = '2012-01' AND crime_type = 'Burglary'").collectAsList();
    assertEquals(1L, ocu.get(0).<Long>getAs("records"));
    assertEquals(0.1, ocu.get(0).<Double>getAs("rate_per_1000"), 1e-12);
  }
}
