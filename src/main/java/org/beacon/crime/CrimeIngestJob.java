package org.beacon.crime;

import org.beacon.geography.OnsGeography;
import org.beacon.survey.SurveyTables;

import static org.apache.spark.sql.functions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Checksums;
import org.beacon.runtime.LandingFiles;
import org.beacon.runtime.ConformStep;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Period;
import org.beacon.runtime.Reconciliation;
import org.beacon.runtime.Settings;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * data.police.uk files -> bronze.police_uk__street / __outcomes (as delivered, append-only) ->
 * silver.police_uk__crimes (one row per crime, placed through the LSOA lookup) and silver.police_uk__outcomes,
 * with quarantines for rows that cannot be read.
 */
public final class CrimeIngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(CrimeIngestJob.class);
  private static final StructType EMPTY_LOOKUP = StructType.fromDDL("lsoa_code STRING, lsoa_name STRING, neighbourhood_code STRING");
  private static final StructType EMPTY_GEOGRAPHY = StructType.fromDDL(
      "neighbourhood_code STRING, sector_code STRING, ocu_code STRING, force_code STRING");
  private static final Pattern FILE_MONTH = Pattern.compile("^([0-9]{4}-(0[1-9]|1[0-2]))-");

  private CrimeIngestJob() {}

  /** Ingests the files under {@code root} (the landing folder's police_uk when null); false when there are none. */
  public static boolean run(SparkSession spark, Settings settings, Path root) {
    return run(spark, settings, root, null);
  }

  /**
   * As above; with a period (a monthly drop), the rows delivered must lie in it. Either way, once silver exists, only
   * the files delivered since the last load are conformed, and silver gains or updates just the crimes they carry.
   */
  public static boolean run(SparkSession spark, Settings settings, Path root, Period period) {
    return run(spark, settings, root, period, null);
  }

  /**
   * As above, the files delivered now being data.police.uk's information as of {@code asOf}; null for the latest
   * month among them (by their names). Of the deliveries of a force-month, the latest as-of is used, whatever the
   * order they were ingested in.
   */
  public static boolean run(SparkSession spark, Settings settings, Path root, Period period, YearMonth asOf) {
    CrimeSettings crime = CrimeSettings.of(settings);
    Path dir = root == null ? settings.landing().resolve(crime.landingDir()) : root.toAbsolutePath().normalize();
    Path lineageRoot = root == null ? settings.landing() : dir;
    if (LandingFiles.list(dir).isEmpty() && !Tables.exists(settings, CrimeTables.BRONZE_POLICE_UK_STREET)) {
      LOG.info("No data.police.uk files under {}; skipped", dir);
      return false;
    }
    ingestLookup(spark, settings);
    Path ons = settings.landing().resolve(crime.onsGeography());
    if (root == null && !LandingFiles.list(ons).isEmpty()) {
      OnsGeography.ingest(spark, settings, ons);
    }
    LandingFiles.Delivery street = new LandingFiles.Delivery("police_uk_street", dir, lineageRoot,
        f -> LandingFiles.name(f).endsWith("-street.csv"), PoliceUkConform.STREET_HEADER, PoliceUkConform.STREET_COLUMNS,
        CrimeTables.BRONZE_POLICE_UK_STREET);
    LandingFiles.Delivery outcomes = new LandingFiles.Delivery("police_uk_outcomes", dir, lineageRoot,
        f -> LandingFiles.name(f).endsWith("-outcomes.csv"), PoliceUkConform.OUTCOME_HEADER, PoliceUkConform.OUTCOME_COLUMNS,
        CrimeTables.BRONZE_POLICE_UK_OUTCOMES);
    List<LandingFiles.NewFile> newStreet = LandingFiles.newFiles(spark, settings, street);
    List<LandingFiles.NewFile> newOutcomes = LandingFiles.newFiles(spark, settings, outcomes);
    List<LandingFiles.NewFile> together = new ArrayList<>(newStreet);
    together.addAll(newOutcomes);
    if (!together.isEmpty()) {
      Map<String, String> vintage = Map.of(PoliceUkConform.AS_OF, asOf(together, asOf).toString());
      LOG.info("data.police.uk delivery of {} file(s) as of {}", together.size(), vintage.get(PoliceUkConform.AS_OF));
      LandingFiles.append(spark, settings, street, newStreet, vintage);
      LandingFiles.append(spark, settings, outcomes, newOutcomes, vintage);
    }
    StepRunner.conform(spark, settings, period, OUTCOMES);
    StepRunner.conform(spark, settings, period, streetStep(settings, crime));
    return true;
  }

  /**
   * The delivery's as-of month: the one given, or the latest month in the names of the files delivered together
   * (data.police.uk names every file yyyy-MM-force-kind.csv). A file later than a given as-of is an error.
   */
  static YearMonth asOf(List<LandingFiles.NewFile> files, YearMonth given) {
    YearMonth latest = null;
    Path latestFile = null;
    for (LandingFiles.NewFile f : files) {
      Matcher m = FILE_MONTH.matcher(f.path().getFileName().toString());
      if (m.find()) {
        YearMonth month = YearMonth.parse(m.group(1));
        if (latest == null || month.isAfter(latest)) {
          latest = month;
          latestFile = f.path();
        }
      }
    }
    if (given != null && latest != null && latest.isAfter(given)) {
      throw new BeaconException("The delivery holds " + latestFile + ", a month later than --as-of " + given + ": give the "
          + "month the files were downloaded in (or leave --as-of out to take the latest month of the files).");
    }
    if (given == null && latest == null) {
      throw new BeaconException("Cannot tell which month this data.police.uk delivery is as of: no file name starts with "
          + "yyyy-MM (as data.police.uk names them, e.g. " + files.get(0).path().getFileName() + "). Give --as-of YYYY-MM.");
    }
    return given != null ? given : latest;
  }

  /** The LSOA lookup when the configured file exists; otherwise every row is counted at force level only. */
  private static void ingestLookup(SparkSession spark, Settings settings) {
    Path file = settings.landing().resolve(CrimeSettings.of(settings).lsoaLookup());
    if (!Files.isRegularFile(file)) {
      LOG.warn("No LSOA lookup at {}: crime rows are counted at force level only", file);
      return;
    }
    Dataset<Row> lookup = LandingFiles.readReference(spark, file, List.of("lsoa_code", "lsoa_name", "neighbourhood_code"), Set.of());
    // Named relative to the landing folder, as every landed file is, so a moved lakehouse finds its lookup current.
    Tables.replace(spark, settings, CrimeTables.SILVER_LSOA_LOOKUP, Lineage.of(settings).file(CrimeSettings.of(settings).lsoaLookup(),
        Checksums.sha256(file)),
        () -> lookup.dropDuplicates("lsoa_code").orderBy("lsoa_code"));
  }

  /**
   * Outcome rows into silver (the current vintage of each force-month) and quarantine, rebuilt whole: an outcome
   * file restates every outcome of its month.
   */
  private static final ConformStep OUTCOMES = ConformStep.of(CrimeTables.BRONZE_POLICE_UK_OUTCOMES, CrimeTables.SILVER_POLICE_UK_OUTCOMES,
      CrimeTables.QUARANTINE_POLICE_UK_OUTCOMES, null).as((in, rows, d) -> {
        Dataset<Row> validated = PoliceUkConform.withOutcomeValidation(rows, PoliceUkConform.vintages(rows));
        return new ConformStep.Conformed(PoliceUkConform.acceptedOutcomes(validated).orderBy("outcome_month", "crime_id"),
            LandingFiles.inDeliveredOrder(PoliceUkConform.quarantined(validated, PoliceUkConform.OUTCOME_COLUMNS)), () -> {});
      });

  /**
   * Street rows into crimes (silver) and quarantine. A delivery's crimes are rebuilt exactly as a full rebuild would
   * build them, from every row of the force-months it delivers (all their vintages, so the current one is chosen as
   * a full rebuild chooses it) and every row sharing a Crime ID with those, then merged into silver on record_key:
   * a republished crime's latest outcome replaces the old one, and a record that only a superseded vintage carried
   * is removed.
   */
  private static ConformStep streetStep(Settings settings, CrimeSettings crime) {
    return ConformStep.of(CrimeTables.BRONZE_POLICE_UK_STREET, CrimeTables.SILVER_POLICE_UK_CRIMES, CrimeTables.QUARANTINE_POLICE_UK_STREET,
        List.of(PoliceUkConform.text("crime_id"))).uses(CrimeTables.SILVER_LSOA_LOOKUP).uses(SurveyTables.SILVER_GEOGRAPHY)
        .uses(OnsGeography.SILVER_ONS_GEOGRAPHY).uses(CrimeTables.SILVER_POLICE_UK_OUTCOMES).mergedOn("record_key").as((in, rows, d) -> {
          // Tens of thousands of LSOAs at most: computed once (two joins, one of them full outer) and broadcast from
          // the driver, not again in each pass over the rows.
          Dataset<Row> places = small(in.spark(), PoliceUkConform.places(in.readOrEmpty(CrimeTables.SILVER_LSOA_LOOKUP, EMPTY_LOOKUP),
              in.readOrEmpty(SurveyTables.SILVER_GEOGRAPHY, EMPTY_GEOGRAPHY),
              in.readOrEmpty(OnsGeography.SILVER_ONS_GEOGRAPHY, OnsGeography.SCHEMA)));
          Dataset<Row> bronze = in.read(CrimeTables.BRONZE_POLICE_UK_STREET);
          Dataset<Row> vintages = small(in.spark(), PoliceUkConform.vintages(bronze));
          // A whole rebuild does not cache: validating bronze again is cheaper than caching every delivered column
          // (measured at 6.5 M rows: 13 s a pass against 42 s to build the cache).
          Dataset<Row> validated = PoliceUkConform.withStreetValidation(d == null ? rows
              : PoliceUkConform.rowsOfForceMonths(bronze, vintages, d.batches(), ids -> fewBroadcast(in.spark(), ids, crime)), vintages,
              places, crime.asbType());
          if (d != null) {
            validated = validated.cache();
            d.requireWithin(validated.filter(col(PoliceUkConform.REASON).isNull()), in.period(), col("month_start"), "month",
                CrimeTables.SILVER_POLICE_UK_CRIMES);
          }
          Dataset<Row> outcomes = in.readOrEmpty(CrimeTables.SILVER_POLICE_UK_OUTCOMES, StructType.fromDDL("crime_id STRING, "
              + "outcome_month DATE, outcome_type STRING, as_of_month STRING, _ingested_at TIMESTAMP, _source_file STRING, "
              + "_source_record BIGINT"));
          Dataset<Row> crimes = PoliceUkConform.crimes(validated, fewBroadcast(in.spark(), PoliceUkConform.repeatedCrimeIds(validated), crime),
              outcomes, crime.sanctionOutcomes());
          Dataset<Row> cached = validated;
          // A crime's row lies in the earliest month of the rows it is built from, all of which are among these rows
          // (every row sharing a delivered Crime ID is), so the months they hold bound what the merge can touch.
          List<String> months = d == null ? null : validated.filter(col(PoliceUkConform.REASON).isNull())
              .select(date_format(col("month_start"), "yyyy-MM")).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
          // A whole rebuild is left to the writer, which sorts by month for the partitions it writes: a sort of our
          // own (by month, force and record) cost 28 s more at 6.5 million rows (measured 2026-12-06).
          return new ConformStep.Conformed(d == null ? crimes : PoliceUkConform.withRemovals(crimes, validated),
              LandingFiles.inDeliveredOrder(PoliceUkConform.quarantined(d == null ? validated
                  : validated.filter(col("_batch_id").isin(d.forQuarantine().toArray())), PoliceUkConform.STREET_COLUMNS)), months,
              cached::unpersist);
        });
  }

  /** A small result computed once, on the driver, so the plans that use it do not compute it again. */
  private static Dataset<Row> small(SparkSession spark, Dataset<Row> rows) {
    return spark.createDataFrame(rows.collectAsList(), rows.schema());
  }

  /**
   * A set of Crime IDs (or their hashes), broadcast when there are at most beacon.crime.broadcast-crime-ids: then
   * the rows it is joined with need no shuffle. Above that (many files delivered again) the set stays a join.
   */
  private static Dataset<Row> fewBroadcast(SparkSession spark, Dataset<Row> ids, CrimeSettings crime) {
    List<Row> few = ids.limit(Math.addExact(crime.broadcastCrimeIds(), 1)).collectAsList();
    return few.size() > crime.broadcastCrimeIds() ? ids : broadcast(spark.createDataFrame(few, ids.schema()));
  }

  private static final Reconciliation.Vintages VINTAGES = new Reconciliation.Vintages(PoliceUkConform::superseded,
      PoliceUkConform::forceMonth);

  /**
   * The crime loads for ops.load_reconciliation: every accepted street row is one of a crime's deliveries, or in a
   * force-month file that a later vintage superseded.
   */
  public static List<Reconciliation.Load> loads(Settings settings) {
    List<Reconciliation.Load> out = new ArrayList<>();
    if (Tables.exists(settings, CrimeTables.SILVER_POLICE_UK_CRIMES)) {
      out.add(new Reconciliation.Load("police_uk_street", CrimeTables.BRONZE_POLICE_UK_STREET, CrimeTables.SILVER_POLICE_UK_CRIMES,
          CrimeTables.QUARANTINE_POLICE_UK_STREET, PoliceUkConform.REASON, d -> d.select(explode(col("_deliveries")).as("d"))
              .select(col("d._source_file").as("_source_file"), col("d._batch_id").as("_batch_id")), VINTAGES));
    }
    if (Tables.exists(settings, CrimeTables.SILVER_POLICE_UK_OUTCOMES)) {
      out.add(new Reconciliation.Load("police_uk_outcomes", CrimeTables.BRONZE_POLICE_UK_OUTCOMES, CrimeTables.SILVER_POLICE_UK_OUTCOMES,
          CrimeTables.QUARANTINE_POLICE_UK_OUTCOMES, PoliceUkConform.REASON, d -> d, VINTAGES));
    }
    return out;
  }
}
