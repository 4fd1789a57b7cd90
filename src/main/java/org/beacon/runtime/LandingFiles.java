package org.beacon.runtime;

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
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivered CSV files into an append-only bronze table: every column as text under its bronze name, plus
 * lineage (_source_file relative to the delivery folder, _source_record, _source_checksum, _ingested_at,
 * _batch_id) and _corrupt_record for rows the CSV reader could not split. A file whose content (SHA-256)
 * was ingested before is skipped, so re-running adds nothing; new content under an old name is a new delivery.
 */
public final class LandingFiles {
  private static final Logger LOG = LoggerFactory.getLogger(LandingFiles.class);

  /**
   * What is delivered: the files under {@code root} that {@code isFile} accepts, the header as it appears in
   * them and the bronze column for each. Lineage names files relative to {@code lineageRoot} (the landing
   * folder, or the folder a user's files came from).
   */
  public record Delivery(String label, Path root, Path lineageRoot, Predicate<Path> isFile, List<String> header,
      List<String> columns, TableName bronze) {}

  private LandingFiles() {}

  /** Appends the files not yet ingested; returns how many were new. */
  public static int appendNew(SparkSession spark, Settings settings, Delivery d) {
    List<Path> files = list(d.root()).stream().filter(d.isFile()).toList();
    Set<String> seen = new HashSet<>();
    if (Tables.exists(settings, d.bronze())) {
      Tables.read(spark, settings, d.bronze()).select("_source_checksum").distinct().collectAsList()
          .forEach(r -> seen.add(r.getString(0)));
    }
    Map<String, String> fresh = new LinkedHashMap<>();
    for (Path f : files) {
      String checksum = Checksums.sha256(f);
      if (seen.add(checksum)) {
        checkHeader(f, d.header());
        fresh.put(d.lineageRoot().relativize(f).toString(), checksum);
      }
    }
    LOG.info("{} {} file(s) in {}: {} new, {} already ingested (same content)", files.size(), d.label(), d.root(),
        fresh.size(), files.size() - fresh.size());
    if (fresh.isEmpty()) {
      return 0;
    }
    StructType schema = new StructType();
    for (String c : d.columns()) {
      schema = schema.add(c, DataTypes.StringType, true);
    }
    schema = schema.add("_corrupt_record", DataTypes.StringType, true);
    String[] paths = fresh.keySet().stream().map(p -> d.lineageRoot().resolve(p).toString()).toArray(String[]::new);
    String batchId = d.label() + "-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
    String rootPrefix = d.lineageRoot().toAbsolutePath().normalize() + "/";
    Dataset<Row> raw = spark.read()
        .option("header", "true")
        .option("multiLine", "true")
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", "_corrupt_record")
        .option("encoding", "UTF-8")
        .schema(schema)
        .csv(paths)
        // Lineage names the file relative to the delivery folder, so a moved lakehouse keeps its meaning.
        .withColumn("_source_file", expr("substring(regexp_replace(input_file_name(), '^file:/+', '/'), "
            + (rootPrefix.length() + 1) + ")"))
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
    Tables.append(spark, settings, d.bronze(), bronze);
    LOG.info("Bronze {}: {} new file(s) appended in batch {}", d.bronze(), fresh.size(), batchId);
    return fresh.size();
  }

  /** A reference file read with all columns as text except the named whole-number ones; a missing file is an error. */
  public static Dataset<Row> readReference(SparkSession spark, Path file, List<String> columns, Set<String> longs) {
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

  /** Every CSV file under a folder, in name order; none when the folder does not exist. */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".csv")).sorted().toList();
    } catch (IOException e) {
      throw new BeaconException("Cannot list " + dir + ": " + e.getMessage() + ".", e);
    }
  }

  /** The delivered header must be exactly the expected one (a UTF-8 byte-order mark and quoting are allowed). */
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
