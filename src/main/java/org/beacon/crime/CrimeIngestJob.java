package org.beacon.crime;

import org.beacon.survey.SurveyTables;

import static org.apache.spark.sql.functions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
  /** A Crime ID is 64 characters: at most about 50 MB on the driver and in each executor. */
  private static final int BROADCAST_REPEATED_IDS = 500_000;

  private CrimeIngestJob() {}

  /** Ingests the files under {@code root} (the landing folder's police_uk when null); false when there are none. */
  public static boolean run(SparkSession spark, Settings settings, Path root) {
    return run(spark, settings, root, null);
  }

  /**
   * As above; with a period (a monthly drop), only the street files delivered since the last load are
   * conformed, their rows must lie in the period, and silver gains or updates just the crimes they carry.
   */
  public static boolean run(SparkSession spark, Settings settings, Path root, Period period) {
    CrimeSettings crime = CrimeSettings.of(settings);
    Path dir = root == null ? settings.landing().resolve(crime.landingDir()) : root.toAbsolutePath().normalize();
    Path lineageRoot = root == null ? settings.landing() : dir;
    if (LandingFiles.list(dir).isEmpty() && !Tables.exists(settings, CrimeTables.BRONZE_POLICE_UK_STREET)) {
      LOG.info("No data.police.uk files under {}; skipped", dir);
      return false;
    }
    ingestLookup(spark, settings);
    LandingFiles.appendNew(spark, settings, new LandingFiles.Delivery("police_uk_street", dir, lineageRoot,
        f -> f.getFileName().toString().endsWith("-street.csv"), PoliceUkConform.STREET_HEADER, PoliceUkConform.STREET_COLUMNS,
        CrimeTables.BRONZE_POLICE_UK_STREET));
    LandingFiles.appendNew(spark, settings, new LandingFiles.Delivery("police_uk_outcomes", dir, lineageRoot,
        f -> f.getFileName().toString().endsWith("-outcomes.csv"), PoliceUkConform.OUTCOME_HEADER, PoliceUkConform.OUTCOME_COLUMNS,
        CrimeTables.BRONZE_POLICE_UK_OUTCOMES));
    StepRunner.conform(spark, settings, period, OUTCOMES);
    StepRunner.conform(spark, settings, period, streetStep(settings, crime));
    return true;
  }

  /** The LSOA lookup when the configured file exists; otherwise every row is counted at force level only. */
  private static void ingestLookup(SparkSession spark, Settings settings) {
    Path file = settings.landing().resolve(CrimeSettings.of(settings).lsoaLookup());
    if (!Files.isRegularFile(file)) {
      LOG.warn("No LSOA lookup at {}: crime rows are counted at force level only", file);
      return;
    }
    Dataset<Row> lookup = LandingFiles.readReference(spark, file, List.of("lsoa_code", "lsoa_name", "neighbourhood_code"), Set.of());
    Tables.replace(spark, settings, CrimeTables.SILVER_LSOA_LOOKUP, Lineage.of(settings).file(file.toString(), Checksums.sha256(file)),
        () -> lookup.dropDuplicates("lsoa_code").orderBy("lsoa_code"));
  }

  /** Outcome rows into silver and quarantine, rebuilt whole: an outcome file restates every outcome of its month. */
  private static final ConformStep OUTCOMES = ConformStep.of(CrimeTables.BRONZE_POLICE_UK_OUTCOMES, CrimeTables.SILVER_POLICE_UK_OUTCOMES,
      CrimeTables.QUARANTINE_POLICE_UK_OUTCOMES, null).as((in, rows, d) -> {
        Dataset<Row> validated = PoliceUkConform.withOutcomeValidation(rows);
        return new ConformStep.Conformed(PoliceUkConform.acceptedOutcomes(validated).orderBy("outcome_month", "crime_id"),
            PoliceUkConform.quarantined(validated, PoliceUkConform.OUTCOME_COLUMNS).orderBy("_source_file", "_source_record"), () -> {});
      });

  /**
   * Street rows into crimes (silver) and quarantine. A delivery's crimes are rebuilt from every row that ever carried
   * their Crime ID, exactly as a full rebuild would build them, and merged into silver on record_key (a republished
   * crime's latest outcome replaces the old one).
   */
  private static ConformStep streetStep(Settings settings, CrimeSettings crime) {
    return ConformStep.of(CrimeTables.BRONZE_POLICE_UK_STREET, CrimeTables.SILVER_POLICE_UK_CRIMES, CrimeTables.QUARANTINE_POLICE_UK_STREET,
        List.of(PoliceUkConform.text("crime_id"))).uses(CrimeTables.SILVER_LSOA_LOOKUP).uses(SurveyTables.SILVER_GEOGRAPHY)
        .uses(CrimeTables.SILVER_POLICE_UK_OUTCOMES).mergedOn("record_key").as((in, rows, d) -> {
          Dataset<Row> places = PoliceUkConform.places(in.readOrEmpty(CrimeTables.SILVER_LSOA_LOOKUP, EMPTY_LOOKUP),
              in.readOrEmpty(SurveyTables.SILVER_GEOGRAPHY, EMPTY_GEOGRAPHY));
          // A whole rebuild does not cache: validating bronze again is cheaper than caching every delivered column
          // (measured at 6.5 M rows: 13 s a pass against 42 s to build the cache).
          Dataset<Row> validated = PoliceUkConform.withStreetValidation(rows, places, crime.asbType());
          if (d != null) {
            validated = validated.cache();
            d.requireWithin(validated.filter(col(PoliceUkConform.REASON).isNull()), in.period().orElseThrow(), col("month_start"), "month",
                CrimeTables.SILVER_POLICE_UK_CRIMES);
          }
          Dataset<Row> outcomes = in.readOrEmpty(CrimeTables.SILVER_POLICE_UK_OUTCOMES, StructType.fromDDL("crime_id STRING, "
              + "outcome_month DATE, outcome_type STRING, _ingested_at TIMESTAMP, _source_file STRING, _source_record BIGINT"));
          Dataset<Row> crimes = PoliceUkConform.crimes(validated, repeatedCrimeIds(in.spark(), validated), outcomes, crime.sanctionOutcomes());
          Dataset<Row> cached = validated;
          return new ConformStep.Conformed(d == null ? crimes.sortWithinPartitions("month", "force_code", "record_key") : crimes,
              PoliceUkConform.quarantined(d == null ? validated : validated.filter(col("_batch_id").isin(d.forQuarantine().toArray())),
                  PoliceUkConform.STREET_COLUMNS).orderBy("_source_file", "_source_record"), cached::unpersist);
        });
  }

  /**
   * The Crime IDs delivered more than once, broadcast when there are at most {@value #BROADCAST_REPEATED_IDS}:
   * then every other crime row goes to silver without a shuffle. Above that (many files delivered again with
   * new outcomes) the set stays a join.
   */
  private static Dataset<Row> repeatedCrimeIds(SparkSession spark, Dataset<Row> validated) {
    Dataset<Row> repeated = PoliceUkConform.repeatedCrimeIds(validated);
    List<Row> few = repeated.limit(BROADCAST_REPEATED_IDS + 1).collectAsList();
    return few.size() > BROADCAST_REPEATED_IDS ? repeated : broadcast(spark.createDataFrame(few, repeated.schema()));
  }

  /** The crime loads for ops.load_reconciliation: every accepted street row is one of a crime's deliveries. */
  public static List<Reconciliation.Load> loads(Settings settings) {
    List<Reconciliation.Load> out = new java.util.ArrayList<>();
    if (Tables.exists(settings, CrimeTables.SILVER_POLICE_UK_CRIMES)) {
      out.add(new Reconciliation.Load("police_uk_street", CrimeTables.BRONZE_POLICE_UK_STREET, CrimeTables.SILVER_POLICE_UK_CRIMES,
          CrimeTables.QUARANTINE_POLICE_UK_STREET, PoliceUkConform.REASON, d -> d.select(explode(col("_deliveries")).as("d"))
              .select(col("d._source_file").as("_source_file"), col("d._batch_id").as("_batch_id"))));
    }
    if (Tables.exists(settings, CrimeTables.SILVER_POLICE_UK_OUTCOMES)) {
      out.add(new Reconciliation.Load("police_uk_outcomes", CrimeTables.BRONZE_POLICE_UK_OUTCOMES, CrimeTables.SILVER_POLICE_UK_OUTCOMES,
          CrimeTables.QUARANTINE_POLICE_UK_OUTCOMES, PoliceUkConform.REASON, d -> d));
    }
    return out;
  }
}
