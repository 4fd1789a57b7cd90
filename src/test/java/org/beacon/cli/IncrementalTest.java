package org.beacon.cli;

import org.beacon.survey.SurveyTables;

import org.beacon.indicators.IndicatorTables;

import org.beacon.crime.CrimeTables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.beacon.SharedSpark;
import org.beacon.crime.CrimeIngestJob;
import org.beacon.crime.CrimeMartsJob;
import org.beacon.generate.Generator;
import org.beacon.indicators.SurveyEstimatesJob;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Period;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.beacon.survey.SurveyIngestJob;
import org.junit.jupiter.api.Test;

/**
 * A scheduled run (a quarterly survey wave, one force's monthly crime file) touches only what the delivery changed
 * (the crime marts: only that force's year), and leaves exactly the rows a full rebuild from the same files gives.
 */
class IncrementalTest {
  private static final Period WAVE = Period.parse("quarter", "2005/06 Q4");
  private static final Period MONTH = Period.parse("month", "2006-03");
  private static final String WAVE_FILE = "ftd/west-midlands/ftd_2005-06_q4.csv";
  /** One force's month: the other force's file for it arrived with the rest. */
  private static final String MONTH_FILE = "police_uk/2006-03/2006-03-west-midlands-street.csv";

  private static Settings settings(Path lakehouse) {
    // A small world of two forces, each with its own crime files; FTD estimated without subgroups, which take the same
    // path as the whole sample.
    return Settings.load(Map.of("beacon.lakehouse", lakehouse.toString(), "beacon.generate.forces", 2,
        "beacon.generate.years", 2, "beacon.generate.scale", 0.1, "beacon.sources.ftd.subgroups", List.of(),
        "beacon.generate.local-sources-forces", "all"));
  }

  private static void move(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void copyTree(Path from, Path to) {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static long version(SparkSession spark, Settings settings, TableName table) {
    return Tables.version(spark, settings, table);
  }

  /** The table's rows without the columns that name a delivery's batch or time, or a table version; doubles to 10 digits. */
  private static Dataset<Row> content(SparkSession spark, Settings settings, TableName table) {
    Dataset<Row> t = Tables.read(spark, settings, table);
    return t.select(org.beacon.Comparable.columns(t, List.of("_batch_id", "_ingested_at", "_deliveries", "source_version")));
  }

  private static void assertSameRows(SparkSession spark, Settings scheduled, Settings full, TableName table) {
    Dataset<Row> a = content(spark, scheduled, table);
    Dataset<Row> b = content(spark, full, table);
    assertEquals(b.count(), a.count(), table + ": rows");
    assertEquals(0, a.exceptAll(b).count(), table + ": rows of the scheduled run that a full rebuild does not have");
  }

  /** The table's current data files that hold rows of the financial year (every file for ""), sorted. */
  private static List<String> files(SparkSession spark, Settings settings, TableName table, String financialYear) {
    return files(spark, settings, table).stream().filter(f -> f.contains("financial_year=" + financialYear.replace("/", "%2F"))).toList();
  }

  private static List<String> files(SparkSession spark, Settings settings, TableName table) {
    return java.util.Arrays.stream(Tables.read(spark, settings, table).inputFiles()).sorted().toList();
  }

  private static String lastOperation(SparkSession spark, Settings settings, TableName table) {
    Row r = spark.sql("DESCRIBE HISTORY delta.`" + Tables.location(settings, table) + "` LIMIT 1")
        .select("operation", "operationParameters").head();
    return r.getString(0) + " " + r.getJavaMap(1);
  }

  @Test
  void aWaveAndAMonthChangeOnlyTheirYearsAndMatchAFullRebuild() throws IOException {
    SharedSpark.session();
    Path root = Files.createTempDirectory("beacon-incremental");
    Settings scheduled = settings(root.resolve("scheduled"));
    Generator.run(scheduled);
    SparkSession spark = SparkSessions.open(scheduled);
    // FTD and crime only, to keep the test short; the other surveys take the same path.
    for (String other : List.of("user_satisfaction", "force_survey", "tracker_panel")) {
      deleteTree(scheduled.landing().resolve(other));
    }
    // The last wave and the last month arrive later.
    Path held = root.resolve("held");
    move(scheduled.landing().resolve(WAVE_FILE), held.resolve(WAVE_FILE));
    assertTrue(Files.list(scheduled.landing().resolve(MONTH_FILE).getParent()).count() > 1, "another force delivered the month too");
    move(scheduled.landing().resolve(MONTH_FILE), held.resolve(MONTH_FILE));
    SurveyIngestJob.run(spark, scheduled);
    CrimeIngestJob.run(spark, scheduled, null);
    Pipeline.reconcile(spark, scheduled);
    SurveyEstimatesJob.run(spark, scheduled);
    CrimeMartsJob.run(spark, scheduled);

    Settings full = settings(root.resolve("full"));
    copyTree(root.resolve("scheduled"), root.resolve("full"));
    for (Settings s : List.of(scheduled, full)) {
      copyTree(held, s.landing());
    }
    TableName ftd = SurveyTables.silver("ftd");
    long ftdRows = Tables.read(spark, scheduled, ftd).count();
    long estimatesVersion = version(spark, scheduled, IndicatorTables.GOLD_SURVEY_ESTIMATES);
    Dataset<Row> earlierYear = content(spark, scheduled, IndicatorTables.GOLD_SURVEY_ESTIMATES).filter("financial_year = '2004/05'").cache();
    earlierYear.count();
    List<String> earlierFiles = files(spark, scheduled, IndicatorTables.GOLD_SURVEY_ESTIMATES, "2004/05");
    assertTrue(!earlierFiles.isEmpty() && earlierFiles.size() < files(spark, scheduled, IndicatorTables.GOLD_SURVEY_ESTIMATES, "").size(),
        "the estimates are split in files by year: " + earlierFiles);

    // A delivery outside the period given is refused before silver changes.
    BeaconException outside = assertThrows(BeaconException.class,
        () -> SurveyIngestJob.run(spark, scheduled, Period.parse("quarter", "2005/06 Q3")));
    assertTrue(outside.getMessage().startsWith("The delivery ftd/west-midlands/ftd_2005-06_q4.csv row ")
        && outside.getMessage().contains("outside 2005/06 Q3, the period this run was given"), outside.getMessage());
    assertEquals(ftdRows, Tables.read(spark, scheduled, ftd).count());

    List<String> crimeFiles = files(spark, scheduled, CrimeTables.SILVER_POLICE_UK_CRIMES);
    assertTrue(crimeFiles.stream().allMatch(f -> f.contains("/month=")), "the crimes are split in files by month: " + crimeFiles);

    // The counts are taken after each delivery: the crime loads' counts stand while only the wave came, the survey
    // loads' while only the month came.
    SurveyIngestJob.run(spark, scheduled, WAVE);
    Pipeline.reconcile(spark, scheduled);
    CrimeIngestJob.run(spark, scheduled, null, MONTH);
    Pipeline.reconcile(spark, scheduled);
    SurveyEstimatesJob.run(spark, scheduled, WAVE);
    CrimeMartsJob.run(spark, scheduled, MONTH);
    assertTrue(lastOperation(spark, scheduled, ftd).startsWith("WRITE {mode=Append"), lastOperation(spark, scheduled, ftd));
    List<String> crimeFilesAfter = files(spark, scheduled, CrimeTables.SILVER_POLICE_UK_CRIMES);
    assertTrue(crimeFilesAfter.containsAll(crimeFiles) && crimeFilesAfter.stream().filter(f -> !crimeFiles.contains(f))
        .allMatch(f -> f.contains("/month=2006-03/")), "the month's crimes are merged into its own files, every other file kept: "
        + lastOperation(spark, scheduled, CrimeTables.SILVER_POLICE_UK_CRIMES));
    assertTrue(lastOperation(spark, scheduled, CrimeTables.SILVER_POLICE_UK_CRIMES).startsWith("MERGE"),
        lastOperation(spark, scheduled, CrimeTables.SILVER_POLICE_UK_CRIMES));
    String estimates = lastOperation(spark, scheduled, IndicatorTables.GOLD_SURVEY_ESTIMATES);
    assertTrue(estimates.contains("financial_year IN ('2005/06', '2006/07')"), "only the wave's year and the next: " + estimates);
    assertEquals(estimatesVersion + 1, version(spark, scheduled, IndicatorTables.GOLD_SURVEY_ESTIMATES));
    assertEquals(0, earlierYear.exceptAll(content(spark, scheduled, IndicatorTables.GOLD_SURVEY_ESTIMATES)
        .filter("financial_year = '2004/05'")).count(), "the earlier year is untouched");
    assertEquals(earlierFiles, files(spark, scheduled, IndicatorTables.GOLD_SURVEY_ESTIMATES, "2004/05"),
        "the earlier year's files are kept, not rewritten");
    assertTrue(lastOperation(spark, scheduled, CrimeTables.GOLD_CRIME_MONTHLY)
        .contains("financial_year IN ('2005/06') AND force_code IN ('west-midlands')"),
        "only the year of the force that delivered: " + lastOperation(spark, scheduled, CrimeTables.GOLD_CRIME_MONTHLY));
    assertTrue(lastOperation(spark, scheduled, CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)
        .contains("financial_year IN ('2005/06', '2006/07') AND force_code IN ('west-midlands')"),
        "and its change on the year before: " + lastOperation(spark, scheduled, CrimeTables.GOLD_CRIME_FINANCIAL_YEARS));

    // The same run again finds nothing new and writes nothing.
    Map<TableName, Long> versions = new java.util.HashMap<>();
    List<TableName> tables = List.of(ftd, SurveyTables.quarantine("ftd"), CrimeTables.SILVER_POLICE_UK_CRIMES,
        IndicatorTables.GOLD_SURVEY_ESTIMATES, CrimeTables.GOLD_CRIME_MONTHLY, CrimeTables.GOLD_CRIME_FINANCIAL_YEARS,
        TableName.OPS_LOAD_RECONCILIATION);
    tables.forEach(t -> versions.put(t, version(spark, scheduled, t)));
    SurveyIngestJob.run(spark, scheduled, WAVE);
    CrimeIngestJob.run(spark, scheduled, null, MONTH);
    Pipeline.reconcile(spark, scheduled);
    SurveyEstimatesJob.run(spark, scheduled, WAVE);
    CrimeMartsJob.run(spark, scheduled, MONTH);
    tables.forEach(t -> assertEquals(versions.get(t), version(spark, scheduled, t), t + " after a repeated run"));

    // The same bronze batches, and every later layer built again from all of bronze: any ingest once silver exists takes
    // new files as a delivery, so those layers are removed first (and the process's cached logs of their tables).
    SparkSessions.open(full);
    SurveyIngestJob.run(spark, full);
    CrimeIngestJob.run(spark, full, null);
    for (String layer : List.of("silver", "quarantine", "gold")) {
      deleteTree(full.lakehouse().resolve(layer));
    }
    org.apache.spark.sql.delta.DeltaLog.clearCache();
    SurveyIngestJob.run(spark, full);
    CrimeIngestJob.run(spark, full, null);
    Pipeline.reconcile(spark, full);
    SurveyEstimatesJob.run(spark, full);
    CrimeMartsJob.run(spark, full);
    for (TableName t : List.of(ftd, SurveyTables.quarantine("ftd"), CrimeTables.SILVER_POLICE_UK_CRIMES,
        CrimeTables.QUARANTINE_POLICE_UK_STREET, CrimeTables.GOLD_CRIME_MONTHLY, CrimeTables.GOLD_CRIME_FINANCIAL_YEARS,
        IndicatorTables.GOLD_WEIGHTING_EFFICIENCY)) {
      assertSameRows(spark, scheduled, full, t);
    }
    // Per file, the counts kept and those taken again are a whole count's (each file's batch differs between the two).
    Dataset<Row> counted = Tables.read(spark, scheduled, TableName.OPS_LOAD_RECONCILIATION).drop("batch_id")
        .withColumn("quarantined_by_field", functions.to_json(functions.col("quarantined_by_field")));
    Dataset<Row> recounted = Tables.read(spark, full, TableName.OPS_LOAD_RECONCILIATION).drop("batch_id")
        .withColumn("quarantined_by_field", functions.to_json(functions.col("quarantined_by_field")));
    assertEquals(recounted.count(), counted.count(), "files reconciled");
    assertEquals(0, counted.exceptAll(recounted).count(), "reconciliation rows that a full count does not have");
    // Estimates are sums of doubles, whose order Spark does not fix: equal within 1e-12.
    String[] key = {"indicator_id", "level", "area_code", "period_type", "period", "subgroup_type", "subgroup"};
    Dataset<Row> a = Tables.read(spark, scheduled, IndicatorTables.GOLD_SURVEY_ESTIMATES);
    Dataset<Row> b = Tables.read(spark, full, IndicatorTables.GOLD_SURVEY_ESTIMATES);
    assertEquals(b.count(), a.count(), "estimates");
    Dataset<Row> paired = a.alias("a").join(b.alias("b"), org.beacon.runtime.Columns.seq(key), "full_outer");
    assertEquals(0, paired.filter("a.n IS NULL OR b.n IS NULL OR a.n <> b.n OR a.is_suppressed <> b.is_suppressed "
        + "OR abs(coalesce(a.estimate, 0) - coalesce(b.estimate, 0)) > 1e-12 OR abs(coalesce(a.se, 0) - coalesce(b.se, 0)) > 1e-12 "
        + "OR abs(coalesce(a.lower_95, 0) - coalesce(b.lower_95, 0)) > 1e-12").count(), "estimates that differ from a full rebuild");
  }
}
