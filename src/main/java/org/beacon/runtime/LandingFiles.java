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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivered CSV files into an append-only bronze table: every column as text under its bronze name, plus
 * lineage (_source_file relative to the delivery folder, _source_record, _source_checksum, _ingested_at,
 * _batch_id) and _corrupt_record for rows the CSV reader could not split. A file whose content (SHA-256)
 * was ingested before is skipped, so re-running adds nothing; new content under an old name is a new delivery.
 * A file that is not UTF-8 is read in the configured fallback encoding; a file whose header differs from the
 * configured one fails the run, or is read by column name (beacon.ingest.schema-drift). A file may arrive
 * gzip-compressed ({@code .csv.gz}, as bulk downloads often do): Spark and the checks here read it as it is.
 */
public final class LandingFiles {
  private static final Logger LOG = LoggerFactory.getLogger(LandingFiles.class);
  private static final String CORRUPT = "_corrupt_record";
  /** Marks a _corrupt_record that holds a file-level reason (schema drift) rather than the text of an unreadable row. */
  private static final String DRIFT = "beacon-drift:";
  private static final String GZIP = ".gz";

  /**
   * What is delivered: the files under {@code root} that {@code isFile} accepts, the header as it appears in
   * them and the bronze column for each. Lineage names files relative to {@code lineageRoot} (the landing
   * folder, or the folder a user's files came from).
   */
  public record Delivery(String label, Path root, Path lineageRoot, Predicate<Path> isFile, List<String> header,
      List<String> columns, TableName bronze) {}

  private LandingFiles() {}

  /** A delivered file not ingested before (its content is new), with rows to read. */
  public record NewFile(Path path, String checksum) {}

  /** Appends the files not yet ingested; returns how many were new. */
  public static int appendNew(SparkSession spark, Settings settings, Delivery d) {
    return append(spark, settings, d, newFiles(spark, settings, d), Map.of());
  }

  /**
   * The files under the delivery's root whose content (SHA-256) bronze does not hold yet, in name order. A file
   * with a header and no rows has nothing to read, so nothing to account for; it is left out.
   */
  public static List<NewFile> newFiles(SparkSession spark, Settings settings, Delivery d) {
    List<Path> files = list(d.root()).stream().filter(d.isFile()).toList();
    Set<String> seen = new HashSet<>();
    if (Tables.exists(settings, d.bronze())) {
      Tables.read(spark, settings, d.bronze()).select("_source_checksum").distinct().collectAsList()
          .forEach(r -> seen.add(r.getString(0)));
    }
    List<NewFile> out = new ArrayList<>();
    for (Path f : files) {
      String checksum = Checksums.sha256(f);
      if (!seen.add(checksum)) {
        continue;
      }
      if (!head(f, "UTF-8").hasRows()) {
        LOG.info("{} has a header and no rows: nothing to read", f);
        continue;
      }
      out.add(new NewFile(f, checksum));
    }
    LOG.info("{} {} file(s) in {}: {} new, {} already ingested or empty", files.size(), d.label(), d.root(), out.size(),
        files.size() - out.size());
    return out;
  }

  /**
   * Appends the given new files of a delivery in one batch; {@code attributes} are columns every row of the batch
   * carries (a delivery's as-of month). Returns how many files were appended.
   */
  public static int append(SparkSession spark, Settings settings, Delivery d, List<NewFile> files, Map<String, String> attributes) {
    if (files.isEmpty()) {
      return 0;
    }
    Map<String, String> fresh = new LinkedHashMap<>();
    List<Dataset<Row>> parts = new ArrayList<>();
    Map<String, List<String>> conforming = new LinkedHashMap<>();
    for (NewFile file : files) {
      Path f = file.path();
      String encoding = encoding(f, settings.ingest().fallbackEncoding());
      fresh.put(d.lineageRoot().relativize(f).toString(), file.checksum());
      List<String> header = head(f, encoding).columns();
      String drift = drift(f, header, d.header());
      if (drift == null) {
        conforming.computeIfAbsent(encoding, e -> new ArrayList<>()).add(f.toString());
      } else if (settings.ingest().schemaDrift().equals("fail")) {
        throw new BeaconException(drift + " Deliver it with the configured columns, or set beacon.ingest.schema-drift "
            + "to evolve or quarantine.");
      } else {
        // A header that both lacks configured columns and has others is renamed or corrupted, not evolved: its
        // unknown names would become junk columns of bronze, so its rows go to quarantine instead.
        boolean evolves = settings.ingest().schemaDrift().equals("evolve")
            && (d.header().stream().allMatch(header::contains) || header.stream().allMatch(d.header()::contains));
        LOG.warn("{} Its rows are read by column name ({}).", drift, evolves
            ? "schema-drift = evolve: missing columns are empty and new ones are kept in bronze"
            : settings.ingest().schemaDrift().equals("evolve")
                ? "schema-drift = evolve, but the header both lacks columns and has others: every row goes to quarantine"
                : "schema-drift = quarantine: every row goes to quarantine");
        parts.add(byName(spark, d, f, encoding, header, evolves ? null : drift));
      }
    }
    conforming.forEach((encoding, paths) -> parts.add(csv(spark, encoding, d.columns()).csv(paths.toArray(String[]::new))));
    Dataset<Row> raw = parts.stream().reduce((a, b) -> a.unionByName(b, true)).orElseThrow();
    String batchId = d.label() + "-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14);
    String rootPrefix = d.lineageRoot().toAbsolutePath().normalize() + "/";
    // Lineage names the file relative to the delivery folder, so a moved lakehouse keeps its meaning.
    raw = raw.withColumn("_source_file", expr("substring(regexp_replace(input_file_name(), '^file:/+', '/'), "
            + (rootPrefix.length() + 1) + ")"));
    // A join, not a CASE over the files: that took 30 s for 240 files of 6.5 M rows, and grows with both.
    Dataset<Row> checksums = spark.createDataFrame(fresh.entrySet().stream()
        .map(e -> RowFactory.create(e.getKey(), e.getValue())).toList(), StructType.fromDDL("_checksum_of STRING, _source_checksum STRING"));
    Dataset<Row> bronze = raw.mapPartitions(new RecordNumbers(raw.schema().fieldIndex("_source_file")),
            Encoders.row(raw.schema().add("_source_record", DataTypes.LongType, false)))
        .join(broadcast(checksums), col("_source_file").equalTo(col("_checksum_of")), "left").drop("_checksum_of")
        .withColumn("_ingested_at", lit(java.sql.Timestamp.from(Instant.now())))
        .withColumn("_batch_id", lit(batchId));
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      bronze = bronze.withColumn(a.getKey(), lit(a.getValue()));
    }
    Tables.append(spark, settings, d.bronze(), bronze);
    LOG.info("Bronze {}: {} new file(s) appended in batch {}", d.bronze(), fresh.size(), batchId);
    return fresh.size();
  }

  /**
   * Numbers each file's records from 1 without a shuffle. A multi-line CSV file is not split: one task reads
   * it whole, in order, and a task reads its files one after another, so a file's records are consecutive
   * rows of one partition.
   */
  private static final class RecordNumbers implements MapPartitionsFunction<Row, Row> {
    private final int fileField;

    RecordNumbers(int fileField) {
      this.fileField = fileField;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new Iterator<>() {
        private String file;
        private long record;

        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row row = rows.next();
          String f = row.getString(fileField);
          record = f.equals(file) ? record + 1 : 1;
          file = f;
          Object[] values = new Object[row.length() + 1];
          for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
          }
          values[row.length()] = record;
          return RowFactory.create(values);
        }
      };
    }
  }

  /** Bronze rows hold the delivered columns as text, and _corrupt_record for rows the reader could not split. */
  private static org.apache.spark.sql.DataFrameReader csv(SparkSession spark, String encoding, List<String> columns) {
    StructType schema = new StructType();
    for (String c : columns) {
      schema = schema.add(c, DataTypes.StringType, true);
    }
    schema = schema.add(CORRUPT, DataTypes.StringType, true);
    return spark.read()
        .option("header", "true")
        .option("multiLine", "true")
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .option("encoding", encoding)
        .schema(schema);
  }

  /**
   * A file whose header differs from the configured one, read by column name: a configured column it lacks
   * is empty. With {@code issue} null (schema-drift = evolve) a column it adds is kept as x_<its name in
   * snake case> (bronze keeps what was delivered; silver reads only configured columns); otherwise (quarantine) the
   * added columns are left in the landing file and every row carries the issue as the reason it cannot be used.
   */
  private static Dataset<Row> byName(SparkSession spark, Delivery d, Path f, String encoding, List<String> header, String issue) {
    List<String> names = new ArrayList<>();
    for (String h : header) {
      int i = d.header().indexOf(h);
      String name = i >= 0 ? d.columns().get(i) : "x_" + h.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
      // A header may repeat a name, or hold one only punctuation: each column still needs its own.
      names.add(names.contains(name) ? name + "_" + (names.size() + 1) : name);
    }
    Dataset<Row> read = csv(spark, encoding, names).csv(f.toString());
    List<Column> out = new ArrayList<>();
    for (String c : d.columns()) {
      out.add(names.contains(c) ? col(c) : lit(null).cast("string").as(c));
    }
    if (issue == null) {
      names.stream().filter(n -> !d.columns().contains(n)).forEach(n -> out.add(col(n)));
    }
    out.add(issue == null ? col(CORRUPT) : lit(DRIFT + "file: " + issue).as(CORRUPT));
    return read.select(out.toArray(new Column[0]));
  }

  /**
   * Quarantined rows in the order they were delivered. They are few, so they are gathered into one task and sorted
   * there: a global sort would first sample its input, another pass over every row that was validated.
   */
  public static Dataset<Row> inDeliveredOrder(Dataset<Row> quarantined) {
    return quarantined.repartition(1).sortWithinPartitions("_source_file", "_source_record");
  }

  /**
   * The reason a bronze row cannot be used because of how it was delivered (its file's header, or its CSV), or null.
   * A quote opened in a field and never closed makes the reader take the lines after it into that field; when it is
   * the last field the row still has the right number of fields, so a field holding a line that reads as a row of
   * its own (as many field separators as the delivered columns have) is reported with how many lines it swallowed.
   */
  public static Column unreadable(List<String> columns) {
    Column reason = when(col(CORRUPT).startsWith(DRIFT), substring(col(CORRUPT), DRIFT.length() + 1, Integer.MAX_VALUE))
        .when(col(CORRUPT).isNotNull(), lit("row: malformed CSV (wrong number of fields or broken quoting)"));
    // Fields without separators between them, so the pattern cannot backtrack over the ways to split a line.
    String rowInside = "[\\r\\n][^\\r\\n,]*(?:,[^\\r\\n,]*){" + (columns.size() - 1) + "}";
    for (String c : columns) {
      // The pattern runs only on a field holding a line break: a plain search first keeps clean rows off the regex
      // (twelve of them a row cost a data.police.uk conform most of its time).
      Column broken = col(c).contains("\n").or(col(c).contains("\r"));
      reason = reason.when(broken.and(col(c).rlike(rowInside)), concat(lit("row: the field " + c + " runs on over "),
          size(split(regexp_replace(col(c), "[\\r\\n]+$", ""), "\\r?\\n")).minus(1).cast("string"),
          lit(" more lines that read as rows of their own (a quote opened and not closed); those rows are inside this one")));
    }
    return reason;
  }

  /**
   * UTF-8 when the whole file decodes as UTF-8; otherwise the fallback (Latin-1 exports from spreadsheets are
   * common), logged with the first line that is not UTF-8, or an error naming that line when there is none.
   */
  private static String encoding(Path file, String fallback) {
    long line = firstLineNotUtf8(file);
    if (line == 0) {
      return "UTF-8";
    }
    if (fallback.isEmpty()) {
      throw new BeaconException("The file " + file + " is not UTF-8: line " + line + " has bytes that UTF-8 cannot "
          + "decode. Deliver it as UTF-8, or set beacon.ingest.fallback-encoding (e.g. windows-1252).");
    }
    LOG.warn("The file {} is not UTF-8 (line {} is the first that is not); it is read as {} (beacon.ingest.fallback-encoding)",
        file, line, fallback);
    return fallback;
  }

  /** The first line (counted from 1) holding bytes that are not UTF-8, or 0 when the whole file is UTF-8. */
  private static long firstLineNotUtf8(Path file) {
    java.nio.charset.CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder();
    java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(1 << 16);
    // UTF-8 never yields more chars than bytes, so one buffer of chars holds what a buffer of bytes decodes to.
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(1 << 16);
    long line = 1;
    try (java.nio.channels.ReadableByteChannel channel = java.nio.channels.Channels.newChannel(open(file))) {
      boolean end = false;
      while (!end) {
        end = channel.read(in) < 0;
        in.flip();
        java.nio.charset.CoderResult result = strict.decode(in, out, end);
        out.flip();
        for (int i = 0; i < out.limit(); i++) {
          if (out.get(i) == '\n') {
            line++;
          }
        }
        out.clear();
        if (result.isError()) {
          return line;
        }
        in.compact();
      }
      return 0;
    } catch (IOException e) {
      throw new BeaconException("Cannot read " + file + ": " + e.getMessage() + ".", e);
    }
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

  /** Every CSV file (plain or gzip-compressed) under a folder, in name order; none when the folder does not exist. */
  public static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> Files.isRegularFile(p) && name(p).endsWith(".csv")).sorted().toList();
    } catch (IOException e) {
      throw new BeaconException("Cannot list " + dir + ": " + e.getMessage() + ".", e);
    }
  }

  /** A delivered file's name as the CSV it holds: without the .gz of a compressed one. */
  public static String name(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(GZIP) ? name.substring(0, name.length() - GZIP.length()) : name;
  }

  /** The file's bytes, decompressed when it is gzip-compressed. */
  private static java.io.InputStream open(Path file) throws IOException {
    java.io.InputStream in = Files.newInputStream(file);
    return file.getFileName().toString().endsWith(GZIP) ? new java.util.zip.GZIPInputStream(in, 1 << 16) : in;
  }

  /** The delivered header must be exactly the expected one (a UTF-8 byte-order mark and quoting are allowed). */
  public static void checkHeader(Path file, List<String> expected) {
    String drift = drift(file, head(file, "UTF-8").columns(), expected);
    if (drift != null) {
      throw new BeaconException(drift);
    }
  }

  /** A file's header row (names unquoted and trimmed) and whether any row follows it. */
  private record Head(List<String> columns, boolean hasRows) {}

  /** The file's header row and whether rows follow; an empty file (no header row) is an error naming it. */
  private static Head head(Path file, String encoding) {
    String header;
    boolean hasRows = false;
    // A reader that replaces what it cannot decode: a fallback encoding may not map every byte.
    try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(open(file),
        java.nio.charset.Charset.forName(encoding)))) {
      header = r.readLine();
      for (String line = r.readLine(); line != null && !hasRows; line = r.readLine()) {
        hasRows = !line.isBlank();
      }
    } catch (IOException e) {
      throw new BeaconException("Cannot read " + file + ": " + e.getMessage() + ".", e);
    }
    if (header == null) {
      throw new BeaconException("The file " + file + " is empty: it has no header row.");
    }
    List<String> columns = new ArrayList<>();
    for (String h : header.replace("\uFEFF", "").split(",", -1)) {
      columns.add(h.trim().replace("\"", ""));
    }
    return new Head(columns, hasRows);
  }

  /** A sentence saying how the header differs from the expected one, or null when it does not. */
  private static String drift(Path file, List<String> actual, List<String> expected) {
    if (actual.equals(expected)) {
      return null;
    }
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(actual);
    List<String> extra = new ArrayList<>(actual);
    extra.removeAll(expected);
    return "The header of " + file + " does not match the configured columns"
        + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra)
        + (missing.isEmpty() && extra.isEmpty() ? "; the columns are in a different order" : "") + ".";
  }
}
