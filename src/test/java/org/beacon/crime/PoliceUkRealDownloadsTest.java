package org.beacon.crime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.beacon.SharedSpark;
import org.beacon.crime.PoliceUkDownloads.Outcome;
import org.beacon.crime.PoliceUkDownloads.Street;
import org.beacon.geography.OnsGeography;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Period;
import org.beacon.runtime.Reconciliation;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real-shaped data.police.uk downloads (see {@link PoliceUkDownloads}) of the City of London: two downloads of the
 * same force-month, ingested in either order, in one go or as scheduled deliveries, give the crimes of the later
 * download (by its as-of month), never both; a Crime ID on two rows is one crime; crimes in Metropolitan Police LSOAs
 * stay under the City, flagged; a 2021 LSOA code missing from the 2011 lookup and rows with no location count at
 * force level only; every row read is accounted for.
 */
class PoliceUkRealDownloadsTest {
  private static final String FORCE = "city-of-london";
  private static final String NAME = "City of London Police";
  private static final Period YEAR = Period.parse("period", "2023/24");
  private static SparkSession spark;
  /** Downloaded in June 2025: January and February 2024 with their outcomes settled. */
  private static Path late;
  /** Downloaded in February 2024: February's first publication and an outcomes file. */
  private static Path early;
  /** Downloaded in March 2024: March, with January's c1 published again and a row without a crime type. */
  private static Path march;

  @BeforeAll
  static void download() throws IOException {
    SharedSpark.session();
    spark = SparkSessions.open(SharedSpark.settings(Map.of()));
    late = Files.createTempDirectory("police-uk-2025-06");
    early = Files.createTempDirectory("police-uk-2024-02");
    march = Files.createTempDirectory("police-uk-2024-03");
    PoliceUkDownloads.street(late, "2024-01", FORCE, NAME, List.of(
        new Street("c1", "E01000001", "Burglary", "Offender given a caution"),
        // One Crime ID on two rows of a file: same month and type, another place and outcome.
        new Street("c2", "E01000002", "Theft from the person", "Under investigation"),
        new Street("c2", "E01000003", "Theft from the person", "Unable to prosecute suspect"),
        new Street("c3", "E01035716", "Shoplifting", "Status update unavailable"),
        new Street("", "E01000001", PoliceUkDownloads.ASB, ""),
        new Street("", "E01004736", PoliceUkDownloads.ASB, ""),
        new Street("c4", "", "Other theft", "Investigation complete; no suspect identified")));
    PoliceUkDownloads.street(late, "2024-02", FORCE, NAME, List.of(
        new Street("c5", "E01000001", "Robbery", "Offender sent to prison"),
        new Street("c6", "E01004736", "Shoplifting", "Unable to prosecute suspect"),
        new Street("", "E01000002", PoliceUkDownloads.ASB, ""),
        new Street("", "E01000003", PoliceUkDownloads.ASB, ""),
        new Street("", "", PoliceUkDownloads.ASB, "")));
    PoliceUkDownloads.street(early, "2024-02", FORCE, NAME, List.of(
        new Street("c5", "E01000001", "Robbery", "Under investigation"),
        new Street("c6", "E01004736", "Shoplifting", "Under investigation"),
        new Street("c7", "E01000002", "Burglary", "Under investigation"),
        new Street("", "E01000005", PoliceUkDownloads.ASB, ""),
        new Street("", "E01000005", PoliceUkDownloads.ASB, ""),
        new Street("", "E01000001", PoliceUkDownloads.ASB, "")));
    PoliceUkDownloads.outcomes(early, "2024-02", FORCE, NAME, List.of(
        new Outcome("c1", "E01000001", "Court result unavailable"),
        new Outcome("c2", "", "Under investigation")));
    PoliceUkDownloads.street(march, "2024-03", FORCE, NAME, List.of(
        new Street("c1", "E01000001", "Burglary", "Court result unavailable"),
        new Street("c8", "E01000002", "Robbery", "Under investigation"),
        new Street("c9", "E01000003", "", "Under investigation"),
        new Street("", "E01000001", PoliceUkDownloads.ASB, "")));
  }

  /** A lakehouse holding both downloads, ingested in the given order, as scheduled deliveries when period is set. */
  private static Settings ingest(List<Path> order, Period period) {
    Settings settings = SharedSpark.settings(Map.of());
    for (Path download : order) {
      CrimeIngestJob.run(spark, settings, download, period, download == late ? YearMonth.of(2025, 6) : null);
    }
    Reconciliation.write(spark, settings, CrimeIngestJob.loads(settings));
    return settings;
  }

  /** The crimes as an analyst sees them (lineage aside), ordered. */
  private static List<String> crimes(Settings settings) {
    return Tables.read(spark, settings, CrimeTables.SILVER_POLICE_UK_CRIMES)
        .selectExpr("record_key", "crime_id", "month", "crime_type", "lsoa_code", "is_asb", "last_outcome_category",
            "last_outcome_as_of_month", "deliveries")
        .orderBy("record_key").collectAsList().stream().map(Row::toString).toList();
  }

  /** Records per month and type, counted by hand from the files above: one per Crime ID, one per ASB row. */
  private static Map<String, Long> expectedCounts() {
    Map<String, Long> out = new TreeMap<>();
    out.put("2024-01 Burglary", 1L);
    out.put("2024-01 Theft from the person", 1L);
    out.put("2024-01 Shoplifting", 1L);
    out.put("2024-01 Other theft", 1L);
    out.put("2024-01 Anti-social behaviour", 2L);
    out.put("2024-02 Robbery", 1L);
    out.put("2024-02 Shoplifting", 1L);
    out.put("2024-02 Anti-social behaviour", 3L);
    return out;
  }

  private static Map<String, Long> forceCounts(Settings settings) {
    Map<String, Long> out = new TreeMap<>();
    for (Row r : Tables.read(spark, settings, CrimeTables.SILVER_POLICE_UK_CRIMES).groupBy("month", "crime_type").count()
        .collectAsList()) {
      out.put(r.getString(0) + " " + r.getString(1), r.getLong(2));
    }
    return out;
  }

  @Test
  void theLaterDownloadWinsWhateverTheOrderAndHowItArrives() {
    Settings rightOrder = ingest(List.of(early, late), null);
    List<String> expected = crimes(rightOrder);
    assertEquals(expectedCounts(), forceCounts(rightOrder), "one record per Crime ID and per ASB row, from the later download");
    assertEquals(expected, crimes(ingest(List.of(late, early), null)), "the earlier download ingested last changes nothing");
    assertEquals(expected, crimes(ingest(List.of(early, late), YEAR)), "as scheduled deliveries (a merge), the same crimes");
    assertEquals(expected, crimes(ingest(List.of(late, early), YEAR)), "scheduled, in the wrong order, the same crimes");

    Map<String, Row> byId = new HashMap<>();
    Tables.read(spark, rightOrder, CrimeTables.SILVER_POLICE_UK_CRIMES).filter("crime_id IS NOT NULL").collectAsList()
        .forEach(r -> byId.put(r.getAs("crime_id"), r));
    assertEquals("Offender sent to prison", byId.get("c5").getAs("last_outcome_category"), "June 2025's outcome, not February 2024's");
    assertEquals("Offender given a caution", byId.get("c1").getAs("last_outcome_category"),
        "a street snapshot as of 2025-06 is newer than an outcomes file as of 2024-02");
    assertTrue(!byId.containsKey("c7"), "a crime only the superseded download carried is gone");
    assertEquals("E01000002", byId.get("c2").getAs("lsoa_code"), "of two rows with one Crime ID, the first row's place");
    assertEquals("Unable to prosecute suspect", byId.get("c2").getAs("last_outcome_category"),
        "of two rows with one Crime ID in one file, the later row's outcome");
  }

  @Test
  void everyRowReadIsKeptMergedSupersededOrQuarantined() {
    Settings settings = ingest(List.of(late, early), YEAR);
    Map<String, List<Long>> byFile = new HashMap<>();
    for (Row r : Tables.read(spark, settings, TableName.OPS_LOAD_RECONCILIATION).collectAsList()) {
      byFile.put(r.getAs("source") + " " + r.getAs("batch_id") + " " + r.getAs("source_file"),
          List.of(r.getAs("rows_read"), r.getAs("rows_accepted"), r.getAs("rows_merged"), r.getAs("rows_superseded"),
              r.getAs("rows_quarantined")));
    }
    assertEquals(4, byFile.size(), byFile.toString());
    byFile.forEach((file, n) -> assertEquals(n.get(0), n.get(1) + n.get(2) + n.get(3) + n.get(4), file + " reconciles"));
    List<List<Long>> street = byFile.entrySet().stream().filter(e -> e.getKey().startsWith("police_uk_street"))
        .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    assertTrue(street.contains(List.of(7L, 6L, 1L, 0L, 0L)), "January: c2's second row merged " + street);
    assertTrue(street.contains(List.of(5L, 5L, 0L, 0L, 0L)), "February as of 2025-06: kept " + street);
    assertTrue(street.contains(List.of(6L, 0L, 0L, 6L, 0L)), "February as of 2024-02: superseded " + street);
  }

  /**
   * Counts taken after each scheduled delivery are updated by the rows the tables gained and lost, not counted again:
   * a later vintage turning an earlier file's rows superseded, a Crime ID published again merging into another
   * month's record, a quarantined row. Each time the result is what a count of every row gives.
   */
  @Test
  void countsUpdatedDeliveryByDeliveryAreAWholeCount() {
    for (List<Path> order : List.of(List.of(early, late, march), List.of(late, early, march))) {
      Settings settings = SharedSpark.settings(Map.of());
      List<Reconciliation.Counting> street = new java.util.ArrayList<>();
      for (Path download : order) {
        CrimeIngestJob.run(spark, settings, download, YEAR, download == late ? YearMonth.of(2025, 6) : null);
        street.add(Reconciliation.write(spark, settings, CrimeIngestJob.loads(settings)).get("police_uk_street"));
      }
      assertEquals(List.of(Reconciliation.Counting.COUNTED, Reconciliation.Counting.UPDATED, Reconciliation.Counting.UPDATED), street,
          "the street counts, delivery by delivery, in the order " + order);
      for (Reconciliation.Load l : CrimeIngestJob.loads(settings)) {
        assertEquals(counts(Reconciliation.counted(spark, settings, l)), counts(Tables.read(spark, settings,
            TableName.OPS_LOAD_RECONCILIATION).filter(functions.col("source").equalTo(l.source()))), l.source() + " in the order " + order);
      }
      assertTrue(counts(Tables.read(spark, settings, TableName.OPS_LOAD_RECONCILIATION)).stream()
          .anyMatch(r -> r.contains("2024-03-city-of-london-street.csv,") && r.endsWith(",4,2,1,0,1,{\"crime_type\":1}]")),
          "March: c8 and the ASB row accepted, c1 merged into January's record, c9 quarantined");
    }
  }

  private static List<String> counts(Dataset<Row> reconciliation) {
    return reconciliation.select(functions.col("source"), functions.col("source_file"), functions.col("batch_id"),
            functions.col("rows_read"), functions.col("rows_accepted"), functions.col("rows_merged"), functions.col("rows_superseded"),
            functions.col("rows_quarantined"), functions.to_json(functions.col("quarantined_by_field")))
        .orderBy("source", "source_file", "batch_id").collectAsList().stream().map(Row::toString).toList();
  }

  @Test
  void monthlyCountsByForceAndLocalAuthorityAreTheFilesCountedByHand() {
    Settings settings = SharedSpark.settings(Map.of());
    OnsGeography.ingest(spark, settings, null);
    CrimeIngestJob.run(spark, settings, late, null, YearMonth.of(2025, 6));
    CrimeIngestJob.run(spark, settings, early, null, null);
    CrimeMartsJob.run(spark, settings);
    Map<String, Long> force = new TreeMap<>();
    Map<String, Long> localAuthority = new TreeMap<>();
    Map<String, Long> outside = new TreeMap<>();
    for (Row r : Tables.read(spark, settings, CrimeTables.GOLD_CRIME_MONTHLY).collectAsList()) {
      String key = r.getAs("month") + " " + r.getAs("crime_type");
      assertEquals(FORCE, r.getAs("force_code"), "every record stays under the force that reported it");
      if (r.getAs("level").equals("force")) {
        force.put(key, r.getAs("records"));
        if (r.<Long>getAs("records_outside_force_area") > 0) {
          outside.put(key, r.getAs("records_outside_force_area"));
        }
      } else if (r.getAs("level").equals("local_authority")) {
        localAuthority.put(r.getAs("area_code") + " " + key, r.getAs("records"));
      }
    }
    assertEquals(expectedCounts(), force);
    // By hand from the files: E01000001-5 lie in the City of London (E09000001), E01004736 in Westminster (E09000033),
    // E01035716 (a 2021 code) in no 2011 LSOA, and two rows have no location.
    assertEquals(new TreeMap<>(Map.of(
        "E09000001 2024-01 Burglary", 1L, "E09000001 2024-01 Theft from the person", 1L, "E09000001 2024-01 Anti-social behaviour", 1L,
        "E09000033 2024-01 Anti-social behaviour", 1L,
        "E09000001 2024-02 Robbery", 1L, "E09000001 2024-02 Anti-social behaviour", 2L,
        "E09000033 2024-02 Shoplifting", 1L)), localAuthority);
    assertEquals(Map.of("2024-01 Anti-social behaviour", 1L, "2024-02 Shoplifting", 1L), outside,
        "the rows in Westminster are the City's, flagged");
    Row c6 = Tables.read(spark, settings, CrimeTables.SILVER_POLICE_UK_CRIMES).filter("crime_id = 'c6'").first();
    assertEquals("metropolitan", c6.getAs("area_force_code"), "the area's own force is named");
    assertEquals("E23000001", c6.getAs("pfa_code"));
    assertEquals(1L, Tables.read(spark, settings, CrimeTables.SILVER_POLICE_UK_CRIMES)
        .filter("lsoa_code IS NOT NULL AND local_authority_code IS NULL").count(), "E01035716 is not in the 2011 lookup");
    assertEquals(List.of("[city-of-london,2024-01,E01035716,1]"), Tables.read(spark, settings, CrimeTables.OPS_UNMAPPED_LSOAS)
        .select("force_code", "month", "lsoa_code", "records").collectAsList().stream().map(Row::toString).toList(),
        "the unmapped LSOA is reported per month");
  }

  @Test
  void brokenFilesStayContainedAndEveryRowIsAccountedFor() throws IOException {
    Settings settings = SharedSpark.settings(Map.of("beacon.ingest.schema-drift", "evolve"));
    Path broken = Files.createTempDirectory("police-uk-broken");
    String row = ",2024-03,City of London Police,City of London Police,-0.0921,51.5178,On or near Wood Street,E01000001,"
        + "City of London 001A,Burglary,Under investigation,";
    // Row 2's Context opens a quote it never closes: the reader takes rows 3 to 5 into it.
    Files.createDirectories(broken.resolve("2024-03"));
    Files.writeString(broken.resolve("2024-03/2024-03-city-of-london-street.csv"), PoliceUkDownloads.STREET_HEADER + "\r\n"
        + "b1" + row + "\r\nb2" + row + "\"Seen near the bank\r\nb3" + row + "\r\nb4" + row + "\r\nb5" + row + "\r\n");
    // A header corrupted in transit: not an evolution of the columns, so no junk column reaches bronze.
    Files.createDirectories(broken.resolve("2024-04"));
    Files.writeString(broken.resolve("2024-04/2024-04-city-of-london-street.csv"), PoliceUkDownloads.STREET_HEADER
        .replace("Falls within", "Falls w\uFFFDthin") + "\r\n" + "b6" + row.replace("2024-03", "2024-04") + "\r\n");
    CrimeIngestJob.run(spark, settings, broken, null, null);
    Reconciliation.write(spark, settings, CrimeIngestJob.loads(settings));
    Map<String, List<Long>> byFile = new HashMap<>();
    for (Row r : Tables.read(spark, settings, TableName.OPS_LOAD_RECONCILIATION).collectAsList()) {
      byFile.put(r.getAs("source_file"), List.of(r.getAs("rows_read"), r.getAs("rows_accepted"), r.getAs("rows_quarantined")));
    }
    assertEquals(List.of(2L, 1L, 1L), byFile.get("2024-03/2024-03-city-of-london-street.csv"), "read = accepted + quarantined");
    assertEquals(List.of(1L, 0L, 1L), byFile.get("2024-04/2024-04-city-of-london-street.csv"), "read = accepted + quarantined");
    Map<String, String> reasons = new HashMap<>();
    Tables.read(spark, settings, CrimeTables.QUARANTINE_POLICE_UK_STREET).collectAsList()
        .forEach(r -> reasons.put(r.getAs("_source_file").toString().substring(0, 7), r.getAs(PoliceUkConform.REASON)));
    assertEquals("row: the field context runs on over 3 more lines that read as rows of their own (a quote opened and not "
        + "closed); those rows are inside this one", reasons.get("2024-03"));
    assertTrue(reasons.get("2024-04").contains("missing [Falls within]"), reasons.get("2024-04"));
    assertTrue(List.of(Tables.read(spark, settings, CrimeTables.BRONZE_POLICE_UK_STREET).columns()).stream()
        .noneMatch(c -> c.startsWith("x_")), "no junk column in bronze");
  }

  @Test
  void anAsOfEarlierThanTheFilesIsRefused() {
    Settings settings = SharedSpark.settings(Map.of());
    BeaconException e = assertThrows(BeaconException.class,
        () -> CrimeIngestJob.run(spark, settings, late, null, YearMonth.of(2024, 1)));
    assertTrue(e.getMessage().contains("later than --as-of 2024-01"), e.getMessage());
  }
}
