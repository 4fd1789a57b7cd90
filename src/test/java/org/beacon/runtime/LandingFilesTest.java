package org.beacon.runtime;

import org.beacon.survey.SurveyTables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.Test;

/** Bronze lineage of delivered files: each file's records numbered from 1 in file order, and its checksum. */
class LandingFilesTest {
  private static final List<String> COLUMNS = List.of("id", "value");
  private static Settings settings;
  private static SparkSession spark;

  @org.junit.jupiter.api.BeforeAll
  static void session() {
    SharedSpark.session();
    settings = SharedSpark.settings(Map.of());
    spark = SparkSessions.open(settings);
  }

  @Test
  void recordsAreNumberedPerFileWhenOneTaskReadsSeveralFiles() throws IOException {
    Path root = Files.createTempDirectory("landing-files");
    // Three files of 3, 1 and 2 records, the second with a quoted line break, read by one task in turn.
    Files.writeString(root.resolve("a.csv"), "id,value\na1,x\na2,y\na3,z\n");
    Files.writeString(root.resolve("b.csv"), "id,value\nb1,\"two\nlines\"\n");
    Files.writeString(root.resolve("c.csv"), "id,value\nc1,x\nc2,y\n");
    TableName bronze = SurveyTables.bronze("landing_files_test");
    String[] packing = {"spark.sql.files.openCostInBytes", "spark.sql.files.minPartitionNum"};
    String[] before = {spark.conf().get(packing[0]), spark.conf().get(packing[1], null)};
    spark.conf().set(packing[0], "0");
    spark.conf().set(packing[1], "1");
    try {
      assertEquals(3, LandingFiles.appendNew(spark, settings, new LandingFiles.Delivery("landing_files_test", root, root,
          f -> f.toString().endsWith(".csv"), COLUMNS, COLUMNS, bronze)));
    } finally {
      spark.conf().set(packing[0], before[0]);
      if (before[1] == null) {
        spark.conf().unset(packing[1]);
      } else {
        spark.conf().set(packing[1], before[1]);
      }
    }
    List<String> rows = Tables.read(spark, settings, bronze).orderBy("id").collectAsList().stream()
        .map(r -> r.getAs("id") + "@" + r.getAs("_source_file") + "#" + r.getAs("_source_record")).toList();
    assertEquals(List.of("a1@a.csv#1", "a2@a.csv#2", "a3@a.csv#3", "b1@b.csv#1", "c1@c.csv#1", "c2@c.csv#2"), rows);
    for (String file : List.of("a.csv", "b.csv", "c.csv")) {
      assertEquals(List.of(Checksums.sha256(root.resolve(file))), Tables.read(spark, settings, bronze)
          .filter(org.apache.spark.sql.functions.col("_source_file").equalTo(file)).select("_source_checksum").distinct()
          .as(org.apache.spark.sql.Encoders.STRING()).collectAsList(), file + " carries its own checksum");
    }
  }

  @Test
  void aCompressedFileIsReadAsItIsDelivered() throws IOException {
    Path root = Files.createTempDirectory("landing-files-gz");
    byte[] text = "id,value\nz1,x\nz2,\"two\nlines\"\nz3,y\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(root.resolve("z.csv.gz")))) {
      out.write(text);
    }
    // A compressed file with a header and no rows has nothing to read, as a plain one.
    try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(root.resolve("empty.csv.gz")))) {
      out.write("id,value\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    assertEquals(List.of(root.resolve("empty.csv.gz"), root.resolve("z.csv.gz")), LandingFiles.list(root));
    assertEquals("z.csv", LandingFiles.name(root.resolve("z.csv.gz")));
    TableName bronze = SurveyTables.bronze("landing_files_gz_test");
    assertEquals(1, LandingFiles.appendNew(spark, settings, new LandingFiles.Delivery("landing_files_gz_test", root, root,
        f -> LandingFiles.name(f).endsWith(".csv"), COLUMNS, COLUMNS, bronze)));
    List<String> rows = Tables.read(spark, settings, bronze).orderBy("id").collectAsList().stream()
        .map(r -> r.getAs("id") + "=" + r.getAs("value") + "@" + r.getAs("_source_file") + "#" + r.getAs("_source_record")).toList();
    assertEquals(List.of("z1=x@z.csv.gz#1", "z2=two\nlines@z.csv.gz#2", "z3=y@z.csv.gz#3"), rows,
        "the compressed file's rows, a quoted line break included, numbered in file order");
  }
}
