package org.beacon.survey;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Columns;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Checksums;
import org.beacon.runtime.ConformStep;
import org.beacon.runtime.LandingFiles;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Period;
import org.beacon.runtime.Reconciliation;
import org.beacon.runtime.Settings;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Survey landing -> bronze -> silver, for every configured source with delivered files. New files (by
 * SHA-256 of their bytes) are appended to bronze in one commit with lineage; silver and quarantine are
 * rebuilt from all of bronze when bronze has changed (or, for a run given a period, gain the new files'
 * rows), so re-running on the same files changes nothing.
 * Every file's rows reconcile: read = accepted + quarantined.
 */
public final class SurveyIngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(SurveyIngestJob.class);
  static final String GEOGRAPHY_FILE = "reference/geography.csv";

  private SurveyIngestJob() {}

  /** Ingests every source in full; see {@link #run(SparkSession, Settings, Period)}. */
  public static void run(SparkSession spark, Settings settings) {
    run(spark, settings, null);
  }

  /**
   * Ingests every source. With a period, only the rows of files delivered since the last load are
   * conformed, and they must lie in the period (a quarterly wave); silver and quarantine gain those rows
   * and keep the rest. Without one, silver and quarantine are rebuilt from all of bronze.
   */
  public static void run(SparkSession spark, Settings settings, Period period) {
    ingestGeography(spark, settings);
    ingestPopulation(spark, settings);
    ingestMsfGroups(spark, settings);
    ingestOcuPopulation(spark, settings);
    List<SurveySource> ingested = new ArrayList<>();
    for (SurveySource source : SurveySources.all(settings)) {
      appendNewFiles(spark, settings, source);
      if (Tables.exists(settings, SurveyTables.bronze(source.id()))) {
        StepRunner.conform(spark, settings, period, conformStep(settings, source));
        ingested.add(source);
      } else {
        LOG.info("No {} files under {}; skipped", source.id(), settings.landing().resolve(source.landingDir()));
      }
    }
    if (ingested.isEmpty()) {
      throw new BeaconException("No survey files were found under " + settings.landing()
          + ": run jobs/beacon generate, or deliver files there.");
    }
  }

  private static Dataset<Row> readReference(SparkSession spark, Settings settings, String relative, List<String> columns,
      Set<String> longs) {
    return LandingFiles.readReference(spark, settings.landing().resolve(relative), columns, longs);
  }

  private static Lineage referenceLineage(Settings settings, String relative) {
    return Lineage.of(settings).file(relative, Checksums.sha256(settings.landing().resolve(relative)));
  }

  static void ingestGeography(SparkSession spark, Settings settings) {
    Dataset<Row> geography = readReference(spark, settings, GEOGRAPHY_FILE, List.of("force_code", "force_name", "ocu_code",
        "ocu_name", "local_authority", "sector_code", "sector_name", "neighbourhood_code", "neighbourhood_name"), Set.of())
        .orderBy("neighbourhood_code");
    Tables.replace(spark, settings, SurveyTables.SILVER_GEOGRAPHY, referenceLineage(settings, GEOGRAPHY_FILE), () -> {
      long repeated = geography.groupBy("neighbourhood_code").count().filter("count > 1").count();
      if (repeated > 0) {
        throw new BeaconException("The geography file " + settings.landing().resolve(GEOGRAPHY_FILE) + " lists " + repeated
            + " neighbourhood_code(s) more than once; each neighbourhood must appear on one row.");
      }
      return geography;
    });
  }

  static final String POPULATION_FILE = "reference/population.csv";

  /** Adults by OCU, age band, sex and ethnic group: the raking targets. */
  static void ingestPopulation(SparkSession spark, Settings settings) {
    Dataset<Row> population = readReference(spark, settings, POPULATION_FILE, List.of("force_code", "ocu_code", "age_band",
        "sex", "ethnic_group", "population_16_plus"), Set.of("population_16_plus"))
        .withColumnRenamed("ethnic_group", "ethnic_group_5")
        .orderBy("force_code", "ocu_code", "age_band", "sex", "ethnic_group_5");
    Tables.replace(spark, settings, SurveyTables.SILVER_POPULATION, referenceLineage(settings, POPULATION_FILE), () -> {
      long bad = population.filter(col("population_16_plus").isNull().or(col("population_16_plus").lt(0))).count();
      if (bad > 0) {
        throw new BeaconException("The population file " + settings.landing().resolve(POPULATION_FILE) + " has " + bad
            + " row(s) without a non-negative population_16_plus.");
      }
      return population;
    });
  }

  static final String OCU_POPULATION_FILE = "reference/ocu_population.csv";

  /** Residents of all ages per OCU: the denominators of crime rates. */
  static void ingestOcuPopulation(SparkSession spark, Settings settings) {
    Dataset<Row> population = readReference(spark, settings, OCU_POPULATION_FILE, List.of("force_code", "ocu_code",
        "population_all_ages"), Set.of("population_all_ages")).orderBy("force_code", "ocu_code");
    Tables.replace(spark, settings, SurveyTables.SILVER_OCU_POPULATION, referenceLineage(settings, OCU_POPULATION_FILE), () -> {
      long bad = population.filter(col("population_all_ages").isNull().or(col("population_all_ages").leq(0))).count();
      if (bad > 0) {
        throw new BeaconException("The population file " + settings.landing().resolve(OCU_POPULATION_FILE) + " has " + bad
            + " row(s) without a positive population_all_ages.");
      }
      return population;
    });
  }

  static final String MSF_FILE = "reference/msf_groups.csv";

  /** Each force's most similar forces (MSF), one row per force and peer; every force named must be in the geography. */
  static void ingestMsfGroups(SparkSession spark, Settings settings) {
    Dataset<Row> groups = readReference(spark, settings, MSF_FILE, List.of("force_code", "msf_force_code"), Set.of())
        .orderBy("force_code", "msf_force_code");
    Lineage lineage = referenceLineage(settings, MSF_FILE).table(spark, settings, SurveyTables.SILVER_GEOGRAPHY);
    Tables.replace(spark, settings, SurveyTables.SILVER_MSF_GROUPS, lineage, () -> {
      Dataset<Row> forces = Tables.read(spark, settings, SurveyTables.SILVER_GEOGRAPHY).select("force_code").distinct();
      List<String> unknown = groups.select(col("force_code")).union(groups.select(col("msf_force_code"))).distinct()
          .join(forces, Columns.seq("force_code"), "left_anti").as(Encoders.STRING()).collectAsList();
      if (!unknown.isEmpty()) {
        throw new BeaconException("The MSF file " + settings.landing().resolve(MSF_FILE) + " names forces that the geography "
            + "does not list: " + String.join(", ", unknown) + ".");
      }
      long self = groups.filter(col("force_code").equalTo(col("msf_force_code"))).count();
      if (self > 0) {
        throw new BeaconException("The MSF file " + settings.landing().resolve(MSF_FILE) + " lists a force as its own most "
            + "similar force on " + self + " row(s).");
      }
      return groups.dropDuplicates();
    });
  }

  private static void appendNewFiles(SparkSession spark, Settings settings, SurveySource source) {
    LandingFiles.appendNew(spark, settings, new LandingFiles.Delivery(source.id(), settings.landing().resolve(source.landingDir()),
        settings.landing(), f -> true, source.columns(), source.columns(), SurveyTables.bronze(source.id())));
  }

  /**
   * A survey's bronze rows validated into silver and quarantine. A delivery's rows are validated together with every
   * earlier row of the same natural keys, so a repeated key is judged exactly as a full rebuild would judge it.
   */
  static ConformStep conformStep(Settings settings, SurveySource source) {
    TableName bronze = SurveyTables.bronze(source.id());
    return ConformStep.of(bronze, SurveyTables.silver(source.id()), SurveyTables.quarantine(source.id()),
        source.key().stream().map(k -> trim(col(k))).toList()).requires(SurveyTables.SILVER_GEOGRAPHY).as((in, rows, d) -> {
          Dataset<Row> delivered = d == null ? rows.cache() : d.fresh();
          Dataset<Row> validated = SurveyConform.withValidation(rows, in.read(SurveyTables.SILVER_GEOGRAPHY), source, settings.pseudonymKey());
          validated = (d == null ? validated : validated.filter(col("_batch_id").isin(d.batches()))).cache();
          Dataset<Row> accepted = SurveyConform.accepted(validated);
          if (d != null) {
            d.requireWithin(accepted, in.period(), col(source.dateColumn()), source.dateColumn(), SurveyTables.silver(source.id()));
          }
          Reconciliation.check(Reconciliation.byFile(delivered, validated.filter(col(SurveyConform.REASON).isNull()),
              validated.filter(col(SurveyConform.REASON).isNotNull()), source.id()));
          Dataset<Row> forQuarantine = d == null ? delivered : delivered.filter(col("_batch_id").isin(d.forQuarantine().toArray()));
          Dataset<Row> cached = validated;
          return new ConformStep.Conformed(
              (d == null ? accepted : accepted.filter(col("_batch_id").isin(d.forSilver().toArray()))).orderBy(silverOrder(source)),
              LandingFiles.inDeliveredOrder(SurveyConform.quarantined(forQuarantine, validated, source)), () -> {
                cached.unpersist();
                if (d == null) {
                  delivered.unpersist();
                }
              });
        });
  }

  private static Column[] silverOrder(SurveySource source) {
    List<Column> order = new ArrayList<>(List.of(col("financial_year"), col("quarter")));
    source.silverKey().forEach(k -> order.add(col(k)));
    return order.toArray(new Column[0]);
  }

  /** The survey sources ingested so far, for ops.load_reconciliation. */
  public static List<Reconciliation.Load> loads(Settings settings) {
    List<Reconciliation.Load> out = new ArrayList<>();
    for (SurveySource s : SurveySources.all(settings)) {
      if (Tables.exists(settings, SurveyTables.silver(s.id())) && Tables.exists(settings, SurveyTables.quarantine(s.id()))) {
        out.add(Reconciliation.Load.plain(s.id(), SurveyTables.bronze(s.id()), SurveyTables.silver(s.id()),
            SurveyTables.quarantine(s.id()), "reason"));
      }
    }
    return out;
  }
}
