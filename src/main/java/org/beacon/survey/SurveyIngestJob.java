package org.beacon.survey;

import static org.apache.spark.sql.functions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Checksums;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Survey landing -> bronze -> silver, for every configured source with delivered files. New files (by
 * SHA-256 of their bytes) are appended to bronze in one commit with lineage; silver and quarantine are
 * rebuilt from all of bronze when bronze has changed, so re-running on the same files changes nothing.
 * Every file's rows reconcile: read = accepted + quarantined.
 */
public final class SurveyIngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(SurveyIngestJob.class);
  static final String GEOGRAPHY_FILE = "reference/geography.csv";

  private SurveyIngestJob() {}

  public static void run(SparkSession spark, Settings settings) {
    ingestGeography(spark, settings);
    ingestPopulation(spark, settings);
    ingestMsfGroups(spark, settings);
    List<SurveySource> ingested = new ArrayList<>();
    for (SurveySource source : settings.sources()) {
      appendNewFiles(spark, settings, source);
      if (Tables.exists(settings, TableName.bronze(source.id()))) {
        conform(spark, settings, source);
        ingested.add(source);
      } else {
        LOG.info("No {} files under {}; skipped", source.id(), settings.landing().resolve(source.landingDir()));
      }
    }
    if (ingested.isEmpty()) {
      throw new BeaconException("No survey files were found under " + settings.landing()
          + ": run jobs/beacon generate, or deliver files there.");
    }
    writeReconciliation(spark, settings, ingested);
  }

  /** A reference file read with all columns as text except the named whole-number ones; a missing file is an error. */
  private static Dataset<Row> readReference(SparkSession spark, Settings settings, String relative, List<String> columns,
      Set<String> longs) {
    Path file = settings.landing().resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new BeaconException("The reference file " + file + " is missing: run jobs/beacon generate, or deliver it.");
    }
    checkHeader(file, columns);
    StructType schema = new StructType();
    for (String c : columns) {
      schema = schema.add(c, longs.contains(c) ? DataTypes.LongType : DataTypes.StringType, true);
    }
    return spark.read().option("header", "true").option("mode", "FAILFAST").schema(schema).csv(file.toString());
  }

  private static Lineage referenceLineage(Settings settings, String relative) {
    return Lineage.of(settings).file(relative, Checksums.sha256(settings.landing().resolve(relative)));
  }

  static void ingestGeography(SparkSession spark, Settings settings) {
    Dataset<Row> geography = readReference(spark, settings, GEOGRAPHY_FILE, List.of("force_code", "force_name", "ocu_code",
        "ocu_name", "local_authority", "sector_code", "sector_name", "neighbourhood_code", "neighbourhood_name"), Set.of())
        .orderBy("neighbourhood_code");
    Tables.replace(spark, settings, TableName.SILVER_GEOGRAPHY, referenceLineage(settings, GEOGRAPHY_FILE), () -> {
      long repeated = geography.groupBy("neighbourhood_code").count().filter("count > 1").count();
      if (repeated > 0) {
        throw new BeaconException("The geography file " + settings.landing().resolve(GEOGRAPHY_FILE) + " lists " + repeated
            + " neighbourhood_code(s) more than once; each neighbourhood must appear on one row.");
      }
      return geography;
    },
        "Neighbourhood -> sector -> OCU -> force, with names, from landing/" + GEOGRAPHY_FILE);
  }

  static final String POPULATION_FILE = "reference/population.csv";

  /** Adults by OCU, age band, sex and ethnic group: the raking targets. */
  static void ingestPopulation(SparkSession spark, Settings settings) {
    Dataset<Row> population = readReference(spark, settings, POPULATION_FILE, List.of("force_code", "ocu_code", "age_band",
        "sex", "ethnic_group", "population_16_plus"), Set.of("population_16_plus"))
        .withColumnRenamed("ethnic_group", "ethnic_group_5")
        .orderBy("force_code", "ocu_code", "age_band", "sex", "ethnic_group_5");
    Tables.replace(spark, settings, TableName.SILVER_POPULATION, referenceLineage(settings, POPULATION_FILE), () -> {
      long bad = population.filter(col("population_16_plus").isNull().or(col("population_16_plus").lt(0))).count();
      if (bad > 0) {
        throw new BeaconException("The population file " + settings.landing().resolve(POPULATION_FILE) + " has " + bad
            + " row(s) without a non-negative population_16_plus.");
      }
      return population;
    }, "Adults (16+) by OCU, age band, sex and ethnic group (five groups), from landing/" + POPULATION_FILE
        + "; the raking targets");
  }

  static final String MSF_FILE = "reference/msf_groups.csv";

  /** Each force's most similar forces (MSF), one row per force and peer; every force named must be in the geography. */
  static void ingestMsfGroups(SparkSession spark, Settings settings) {
    Dataset<Row> groups = readReference(spark, settings, MSF_FILE, List.of("force_code", "msf_force_code"), Set.of())
        .orderBy("force_code", "msf_force_code");
    Lineage lineage = referenceLineage(settings, MSF_FILE).table(spark, settings, TableName.SILVER_GEOGRAPHY);
    Tables.replace(spark, settings, TableName.SILVER_MSF_GROUPS, lineage, () -> {
      Dataset<Row> forces = Tables.read(spark, settings, TableName.SILVER_GEOGRAPHY).select("force_code").distinct();
      List<String> unknown = groups.select(col("force_code")).union(groups.select(col("msf_force_code"))).distinct()
          .join(forces, seqOf("force_code"), "left_anti").as(Encoders.STRING()).collectAsList();
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
    }, "Most similar force groups: one row per force and peer, from landing/" + MSF_FILE);
  }

  private static scala.collection.immutable.Seq<String> seqOf(String column) {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(column)).toList();
  }

  private static void appendNewFiles(SparkSession spark, Settings settings, SurveySource source) {
    Path dir = settings.landing().resolve(source.landingDir());
    List<Path> files = list(dir);
    Set<String> seen = new HashSet<>();
    TableName bronzeTable = TableName.bronze(source.id());
    if (Tables.exists(settings, bronzeTable)) {
      Tables.read(spark, settings, bronzeTable).select("_source_checksum").distinct().collectAsList()
          .forEach(r -> seen.add(r.getString(0)));
    }
    Map<String, String> fresh = new LinkedHashMap<>();
    for (Path f : files) {
      String checksum = Checksums.sha256(f);
      if (seen.add(checksum)) {
        checkHeader(f, source.columns());
        fresh.put(settings.landing().relativize(f).toString(), checksum);
      }
    }
    LOG.info("{} {} file(s) in {}: {} new, {} already ingested (same content)", files.size(), source.id(), dir,
        fresh.size(), files.size() - fresh.size());
    if (fresh.isEmpty()) {
      return;
    }
    StructType schema = new StructType();
    for (String c : source.columns()) {
      schema = schema.add(c, DataTypes.StringType, true);
    }
    schema = schema.add("_corrupt_record", DataTypes.StringType, true);
    String[] paths = fresh.keySet().stream().map(p -> settings.landing().resolve(p).toString()).toArray(String[]::new);
    String batchId = source.id() + "-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
    String landingPrefix = settings.landing().toString() + "/";
    Dataset<Row> raw = spark.read()
        .option("header", "true")
        .option("multiLine", "true")
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", "_corrupt_record")
        .option("encoding", "UTF-8")
        .schema(schema)
        .csv(paths)
        // Lineage names the file relative to the landing folder, so a moved lakehouse keeps its meaning.
        .withColumn("_source_file", expr("substring(regexp_replace(input_file_name(), '^file:/+', '/'), "
            + (landingPrefix.length() + 1) + ")"))
        .withColumn("_row_id", monotonically_increasing_id());
    Column checksum = lit(null).cast("string");
    for (Map.Entry<String, String> e : fresh.entrySet()) {
      checksum = when(col("_source_file").equalTo(e.getKey()), lit(e.getValue())).otherwise(checksum);
    }
    // Each multi-line CSV file is read whole by one task, in order, so the row id orders a file's records.
    Dataset<Row> bronze = raw
        .withColumn("_source_record", row_number().over(Window.partitionBy("_source_file").orderBy("_row_id")).cast("long"))
        .withColumn("_source_checksum", checksum)
        .withColumn("_ingested_at", lit(java.sql.Timestamp.from(Instant.now())))
        .withColumn("_batch_id", lit(batchId))
        .drop("_row_id");
    Tables.append(spark, settings, bronzeTable, bronze,
        source.name() + " responses as delivered (all strings, free text included) with lineage; append-only");
    LOG.info("Bronze {}: {} new file(s) appended in batch {}", bronzeTable, fresh.size(), batchId);
  }

  private static void conform(SparkSession spark, Settings settings, SurveySource source) {
    TableName bronzeTable = TableName.bronze(source.id());
    TableName silverTable = TableName.silver(source.id());
    TableName quarantineTable = TableName.quarantine(source.id());
    Lineage lineage = Lineage.of(settings).table(spark, settings, bronzeTable).table(spark, settings, TableName.SILVER_GEOGRAPHY);
    if (Tables.isCurrent(spark, settings, silverTable, lineage) && Tables.isCurrent(spark, settings, quarantineTable, lineage)) {
      LOG.info("{} and {} are up to date with {}", silverTable, quarantineTable, bronzeTable);
      return;
    }
    Dataset<Row> bronze = Tables.read(spark, settings, bronzeTable).cache();
    Dataset<Row> geography = Tables.read(spark, settings, TableName.SILVER_GEOGRAPHY);
    Dataset<Row> validated = SurveyConform.withValidation(bronze, geography, source, settings.pseudonymSalt()).cache();
    Reconciliation.check(Reconciliation.byFile(bronze, validated.filter(col(SurveyConform.REASON).isNull()),
        validated.filter(col(SurveyConform.REASON).isNotNull()), source.id()));
    List<Column> order = new ArrayList<>(List.of(col("financial_year"), col("quarter")));
    source.key().forEach(k -> order.add(col(source.pseudonymise().contains(k) ? SurveySource.pseudonymName(k) : k)));
    Tables.replace(spark, settings, silverTable, lineage, () -> SurveyConform.accepted(validated)
            .orderBy(order.toArray(new Column[0])),
        source.name() + ": typed, answer codes, geography, pseudonymised ids; one row per natural key");
    Tables.replace(spark, settings, quarantineTable, lineage, () -> SurveyConform.quarantined(bronze, validated, source)
            .orderBy("_source_file", "_source_record"),
        source.name() + " rows that failed validation, as delivered without free text, with the reason");
    validated.unpersist();
    bronze.unpersist();
  }

  /** ops.load_reconciliation for every ingested source, counted from the tables as written. */
  private static void writeReconciliation(SparkSession spark, Settings settings, List<SurveySource> sources) {
    Lineage lineage = Lineage.of(settings);
    for (SurveySource s : sources) {
      lineage.table(spark, settings, TableName.silver(s.id())).table(spark, settings, TableName.quarantine(s.id()));
    }
    Tables.replace(spark, settings, TableName.OPS_LOAD_RECONCILIATION, lineage, () -> {
      Dataset<Row> all = null;
      for (SurveySource s : sources) {
        Dataset<Row> one = Reconciliation.byFile(Tables.read(spark, settings, TableName.bronze(s.id())),
            Tables.read(spark, settings, TableName.silver(s.id())), Tables.read(spark, settings, TableName.quarantine(s.id())),
            s.id());
        all = all == null ? one : all.unionByName(one);
      }
      Reconciliation.check(all);
      return all.orderBy("source", "source_file");
    }, "Rows read, accepted and quarantined per source file; read = accepted + quarantined");
  }

  static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".csv")).sorted().toList();
    } catch (IOException e) {
      throw new BeaconException("Cannot list " + dir + ": " + e.getMessage() + ".", e);
    }
  }

  /** The delivered header must be exactly the configured columns (a UTF-8 byte-order mark is allowed). */
  public static void checkHeader(Path file, List<String> expected) {
    String header;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      header = r.readLine();
    } catch (IOException e) {
      throw new BeaconException("Cannot read " + file + ": " + e.getMessage() + ".", e);
    }
    if (header == null) {
      throw new BeaconException("The file " + file + " is empty: it has no header row.");
    }
    List<String> actual = new ArrayList<>();
    for (String h : header.replace("\uFEFF", "").split(",", -1)) {
      actual.add(h.trim().replace("\"", ""));
    }
    if (!actual.equals(expected)) {
      List<String> missing = new ArrayList<>(expected);
      missing.removeAll(actual);
      List<String> extra = new ArrayList<>(actual);
      extra.removeAll(expected);
      throw new BeaconException("The header of " + file + " does not match the configured columns"
          + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra)
          + (missing.isEmpty() && extra.isEmpty() ? "; the columns are in a different order" : "") + ".");
    }
  }
}
