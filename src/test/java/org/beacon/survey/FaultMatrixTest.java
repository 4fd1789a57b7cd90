package org.beacon.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.beacon.generate.Generator;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Reconciliation;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The faults real deliveries contain, fed to the survey ingest (FTD) on a small generated world: each
 * one ends in quarantine with a reason, or stops the run with a sentence naming file and row before any
 * table changes; ops.load_reconciliation accounts for every row read (read = accepted + quarantined).
 */
class FaultMatrixTest {
  private static final TableName BRONZE = SurveyTables.bronze("ftd");
  private static final TableName SILVER = SurveyTables.silver("ftd");
  private static final TableName QUARANTINE = SurveyTables.quarantine("ftd");
  private static SparkSession spark;
  private static Settings settings;
  private static List<String> header;
  private static List<String> good;
  private static String takenId;

  @BeforeAll
  static void world() throws IOException {
    SharedSpark.session();
    settings = Settings.load(Map.of("beacon.lakehouse", Files.createTempDirectory("beacon-faults").toString(),
        "beacon.generate.forces", 1, "beacon.generate.years", 1, "beacon.generate.scale", 0.05));
    Generator.run(settings);
    for (String other : List.of("user_satisfaction", "force_survey", "tracker_panel", "police_uk")) {
      deleteTree(settings.landing().resolve(other));
    }
    spark = SparkSessions.open(settings);
    Path delivered;
    try (var files = Files.walk(settings.landing().resolve("ftd"))) {
      delivered = files.filter(p -> p.toString().endsWith(".csv")).sorted().findFirst().orElseThrow();
    }
    List<String> lines = Files.readAllLines(delivered);
    header = List.of(lines.get(0).split(","));
    // A delivered row without quoting, as the template every fault row starts from.
    good = List.of(lines.stream().skip(1).filter(l -> !l.contains("\"")).findFirst().orElseThrow().split(",", -1));
    takenId = good.get(0);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** A good row with a new respondent id and the given fields changed. */
  private static String row(String id, String... changes) {
    List<String> values = new ArrayList<>(good);
    values.set(0, id);
    for (int i = 0; i < changes.length; i += 2) {
      values.set(header.indexOf(changes[i]), changes[i + 1]);
    }
    return String.join(",", values);
  }

  private static Path deliver(String name, String content, Charset charset) throws IOException {
    Path file = settings.landing().resolve("ftd/faults").resolve(name);
    Files.createDirectories(file.getParent());
    return Files.write(file, content.getBytes(charset));
  }

  private static Path deliver(String name, String... rows) throws IOException {
    return deliver(name, String.join(",", header) + "\n" + String.join("\n", rows) + (rows.length > 0 ? "\n" : ""),
        StandardCharsets.UTF_8);
  }

  private static Map<String, Row> reconciliation(Settings s) {
    Reconciliation.write(spark, s, SurveyIngestJob.loads(s));
    List<Row> rows = Tables.read(spark, s, TableName.OPS_LOAD_RECONCILIATION).collectAsList();
    for (Row r : rows) {
      assertEquals(r.<Long>getAs("rows_read"), r.<Long>getAs("rows_accepted") + r.<Long>getAs("rows_quarantined"),
          "read = accepted + quarantined for " + r.getAs("source_file"));
    }
    return rows.stream().collect(Collectors.toMap(r -> r.<String>getAs("source_file"), r -> r, (a, b) -> b));
  }

  private static Map<String, String> reasons() {
    Map<String, String> out = new HashMap<>();
    Tables.read(spark, settings, QUARANTINE).select("_source_file", "_source_record", "reason").collectAsList()
        .forEach(r -> out.put(r.getString(0).replace("ftd/faults/", "") + "#" + r.getLong(1), r.getString(2)));
    return out;
  }

  private static void assertCounts(Map<String, Row> byFile, String file, long read, long accepted, long quarantined) {
    Row r = byFile.get("ftd/faults/" + file);
    assertEquals(List.of(read, accepted, quarantined), List.of(r.<Long>getAs("rows_read"), r.<Long>getAs("rows_accepted"),
        r.<Long>getAs("rows_quarantined")), file + ": read, accepted, quarantined");
  }

  private static long bronzeVersion() {
    return Tables.version(spark, settings, BRONZE);
  }

  @Test
  void everyFaultIsQuarantinedWithItsReasonOrStopsTheRunWithASentence() throws IOException {
    SurveyIngestJob.run(spark, settings);
    long generated = Tables.read(spark, settings, SILVER).count();

    deliver("wrong_field_count.csv", row("FM1"), row("FM2") + ",surplus", String.join(",", good.subList(0, 5)));
    deliver("broken_quoting.csv", row("FM3"), row("FM4", "neighbourhood_code", "\"" + good.get(2)), row("FM5"));
    deliver("wrong_types.csv", row("FM6", "interview_date", "2007-02-30"), row("FM7", "disability", "maybe"));
    deliver("unknown_codes.csv", row("FM8", "age_band", "12-15"), row("FM9", "q_safe_day", "Very very safe"));
    deliver("unknown_area.csv", row("FM10", "neighbourhood_code", "ZZ9Z9"));
    deliver("duplicates.csv", row("FM11"), row("FM11"), row(takenId));
    deliver("duplicates_renamed.csv", row("FM11"), row("FM11"), row(takenId));
    deliver("header_only.csv");
    deliver("byte_order_mark.csv", "\uFEFF" + String.join(",", header) + "\n" + row("FM12") + "\n", StandardCharsets.UTF_8);
    deliver("latin1.csv", String.join(",", header) + "\n" + row("FM13", "comment", "\"Très bien, café\"") + "\n",
        StandardCharsets.ISO_8859_1);
    SurveyIngestJob.run(spark, settings);

    Map<String, Row> byFile = reconciliation(settings);
    Map<String, String> reasons = reasons();
    assertCounts(byFile, "wrong_field_count.csv", 3, 1, 2);
    assertEquals("row: malformed CSV (wrong number of fields or broken quoting)", reasons.get("wrong_field_count.csv#2"));
    assertTrue(reasons.get("wrong_field_count.csv#3").startsWith("row: malformed CSV"), reasons.get("wrong_field_count.csv#3"));
    // An unclosed quote runs to the end of the file: the rows after it are inside the one quarantined record.
    assertCounts(byFile, "broken_quoting.csv", 2, 1, 1);
    assertTrue(reasons.get("broken_quoting.csv#2").startsWith("row: malformed CSV"), reasons.get("broken_quoting.csv#2"));
    assertCounts(byFile, "wrong_types.csv", 2, 0, 2);
    assertTrue(reasons.get("wrong_types.csv#1").contains("interview_date: '2007-02-30' is not a date (yyyy-MM-dd)"),
        reasons.get("wrong_types.csv#1"));
    assertEquals("disability: 'maybe' is not yes/no or true/false", reasons.get("wrong_types.csv#2"));
    assertCounts(byFile, "unknown_codes.csv", 2, 0, 2);
    assertEquals("age_band: '12-15' is not a known code", reasons.get("unknown_codes.csv#1"));
    assertEquals("q_safe_day: 'Very very safe' is not an answer on its scale", reasons.get("unknown_codes.csv#2"));
    assertCounts(byFile, "unknown_area.csv", 1, 0, 1);
    assertEquals("neighbourhood_code: unknown code 'ZZ9Z9'", reasons.get("unknown_area.csv#1"));
    assertCounts(byFile, "duplicates.csv", 3, 1, 2);
    assertEquals("respondent_id: duplicate of ftd/faults/duplicates.csv record 1", reasons.get("duplicates.csv#2"));
    assertTrue(reasons.get("duplicates.csv#3").startsWith("respondent_id: duplicate of ftd/"), reasons.get("duplicates.csv#3"));
    assertFalse(byFile.containsKey("ftd/faults/duplicates_renamed.csv"), "the same content under a new name is not read again");
    assertFalse(byFile.containsKey("ftd/faults/header_only.csv"), "a header-only file has no rows to account for");
    assertCounts(byFile, "byte_order_mark.csv", 1, 1, 0);
    assertCounts(byFile, "latin1.csv", 1, 1, 0);
    assertEquals("Très bien, café", Tables.read(spark, settings, BRONZE).filter("respondent_id = 'FM13'").head().getAs("comment"),
        "Latin-1 text read as Latin-1 (the free text stays in bronze)");
    Map<String, Long> fields = byFile.get("ftd/faults/wrong_types.csv").getJavaMap(byFile.get("ftd/faults/wrong_types.csv")
        .fieldIndex("quarantined_by_field"));
    assertEquals(Map.of("interview_date", 1L, "disability", 1L), new HashMap<>(fields), "quarantined rows by field");
    assertEquals(generated + 5, Tables.read(spark, settings, SILVER).count(), "FM1, FM3, FM11, FM12 and FM13 accepted");

    // The same files again: nothing new, no version.
    long version = bronzeVersion();
    SurveyIngestJob.run(spark, settings);
    assertEquals(version, bronzeVersion(), "a re-run adds nothing");

    // Faults that stop the run before any table changes, each named in one sentence.
    Path empty = deliver("empty.csv", "", StandardCharsets.UTF_8);
    assertEquals("The file " + empty + " is empty: it has no header row.",
        assertThrows(BeaconException.class, () -> SurveyIngestJob.run(spark, settings)).getMessage());
    Files.delete(empty);
    Path renamed = deliver("renamed_column.csv", String.join(",", header).replace(",sex,", ",gender,") + "\n" + row("FM14") + "\n",
        StandardCharsets.UTF_8);
    assertEquals("The header of " + renamed + " does not match the configured columns; missing [sex]; unexpected [gender]. "
        + "Deliver it with the configured columns, or set beacon.ingest.schema-drift to evolve or quarantine.",
        assertThrows(BeaconException.class, () -> SurveyIngestJob.run(spark, settings)).getMessage());
    Files.delete(renamed);
    Path latin1 = deliver("latin1_strict.csv", String.join(",", header) + "\n" + row("FM15") + "\n" + row("FM16", "comment", "Très")
        + "\n", StandardCharsets.ISO_8859_1);
    Settings strict = settings.with(Map.of("beacon.ingest.fallback-encoding", ""));
    BeaconException notUtf8 = assertThrows(BeaconException.class, () -> SurveyIngestJob.run(spark, strict));
    assertEquals("The file " + latin1 + " is not UTF-8: line 3 has bytes that UTF-8 cannot decode. Deliver it as UTF-8, or set "
        + "beacon.ingest.fallback-encoding (e.g. windows-1252).", notUtf8.getMessage());
    Files.delete(latin1);
    assertEquals(version, bronzeVersion(), "the refused deliveries changed nothing");

    // Schema drift, per configuration: quarantine the file, or read it by column name (evolve).
    Settings quarantine = settings.with(Map.of("beacon.ingest.schema-drift", "quarantine"));
    deliver("renamed_column.csv", String.join(",", header).replace(",sex,", ",gender,") + "\n" + row("FM14") + "\n" + row("FM17")
        + "\n", StandardCharsets.UTF_8);
    SurveyIngestJob.run(spark, quarantine);
    byFile = reconciliation(quarantine);
    assertCounts(byFile, "renamed_column.csv", 2, 0, 2);
    assertTrue(reasons().get("renamed_column.csv#1").startsWith("file: The header of ")
        && reasons().get("renamed_column.csv#1").contains("missing [sex]; unexpected [gender]"), reasons().get("renamed_column.csv#1"));
    // Each row is still validated: the missing sex column is reported too.
    assertEquals(Map.of("file", 2L, "sex", 2L), new HashMap<>(byFile.get("ftd/faults/renamed_column.csv").<String, Long>getJavaMap(
        byFile.get("ftd/faults/renamed_column.csv").fieldIndex("quarantined_by_field"))));

    Settings evolve = settings.with(Map.of("beacon.ingest.schema-drift", "evolve"));
    deliver("new_column.csv", String.join(",", header) + ",Interviewer\n" + row("FM18") + ",PC 123\n", StandardCharsets.UTF_8);
    List<String> withoutReligion = new ArrayList<>(header);
    withoutReligion.remove("religion");
    List<String> fm19 = new ArrayList<>(Arrays.asList(row("FM19").split(",", -1)));
    fm19.remove(header.indexOf("religion"));
    deliver("missing_column.csv", String.join(",", withoutReligion) + "\n" + String.join(",", fm19) + "\n", StandardCharsets.UTF_8);
    SurveyIngestJob.run(spark, evolve);
    byFile = reconciliation(evolve);
    assertCounts(byFile, "new_column.csv", 1, 1, 0);
    assertEquals("PC 123", Tables.read(spark, settings, BRONZE).filter("respondent_id = 'FM18'").head().getAs("x_interviewer"),
        "a new column is kept in bronze");
    assertFalse(Arrays.asList(Tables.read(spark, settings, SILVER).columns()).contains("x_interviewer"), "and never reaches silver");
    assertCounts(byFile, "missing_column.csv", 1, 0, 1);
    assertEquals("religion: '' is not a known code", reasons().get("missing_column.csv#1"));
  }

  /**
   * Corrupted copies of a delivered file (bytes flipped, cut short, columns shuffled or dropped, other
   * encodings) in one delivery: the run completes, every file's rows reconcile, and none is lost.
   */
  @Test
  void hundredsOfCorruptedFilesAreAllAccountedFor() throws IOException {
    Settings fuzz = settings.with(Map.of("beacon.lakehouse", Files.createTempDirectory("beacon-fuzz").toString(),
        "beacon.ingest.schema-drift", "quarantine"));
    Generator.run(fuzz);
    for (String other : List.of("user_satisfaction", "force_survey", "tracker_panel", "police_uk")) {
      deleteTree(fuzz.landing().resolve(other));
    }
    Path dir = fuzz.landing().resolve("ftd/fuzz");
    Files.createDirectories(dir);
    Random random = new Random(20081);
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rows.add(row("FZ" + i));
    }
    List<Charset> charsets = List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16LE,
        Charset.forName("windows-1252"));
    int files = 240;
    for (int f = 0; f < files; f++) {
      List<String> columns = new ArrayList<>(header);
      List<List<String>> cells = new ArrayList<>();
      for (int r = 0; r < rows.size(); r++) {
        List<String> values = new ArrayList<>(Arrays.asList(rows.get(r).replace("FZ", "FZ" + f + "-").split(",", -1)));
        cells.add(values);
      }
      int kind = f % 4;
      if (kind == 1) {
        // Shuffle the columns, or drop one.
        int a = random.nextInt(columns.size());
        int b = random.nextInt(columns.size());
        if (random.nextBoolean()) {
          java.util.Collections.swap(columns, a, b);
          cells.forEach(v -> java.util.Collections.swap(v, a, b));
        } else {
          columns.remove(a);
          cells.forEach(v -> v.remove(a));
        }
      }
      String text = String.join(",", columns) + "\n" + cells.stream().map(v -> String.join(",", v)).collect(Collectors.joining("\n"))
          + "\n";
      byte[] bytes = text.replace("é", random.nextBoolean() ? "é" : "è").getBytes(kind == 3 ? charsets.get(random.nextInt(4))
          : StandardCharsets.UTF_8);
      if (kind == 0) {
        for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      } else if (kind == 2) {
        bytes = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length - 1));
      }
      Files.write(dir.resolve(String.format("fuzz_%03d.csv", f)), bytes);
    }
    SparkSession session = SparkSessions.open(fuzz);
    SurveyIngestJob.run(session, fuzz);
    Map<String, Row> byFile = reconciliation(fuzz);
    long landed = 0;
    for (int f = 0; f < files; f++) {
      Row r = byFile.get(String.format("ftd/fuzz/fuzz_%03d.csv", f));
      // A file cut inside its header has no rows, and so no reconciliation row; any other is accounted for.
      landed += r == null ? 0 : r.<Long>getAs("rows_read");
    }
    long bronzeRows = Tables.read(session, fuzz, BRONZE).filter("_source_file LIKE 'ftd/fuzz/%'").count();
    assertEquals(bronzeRows, landed, "every row read from the corrupted files is in the reconciliation");
    assertTrue(byFile.keySet().stream().filter(k -> k.startsWith("ftd/fuzz/")).count() >= files * 9 / 10,
        "nearly every corrupted file had rows to read: " + byFile.size());
    long quarantined = byFile.values().stream().filter(r -> r.<String>getAs("source_file").startsWith("ftd/fuzz/"))
        .mapToLong(r -> r.<Long>getAs("rows_quarantined")).sum();
    assertTrue(quarantined > 0 && quarantined < landed, "some corrupted rows quarantined, some still readable: " + quarantined);
  }
}
