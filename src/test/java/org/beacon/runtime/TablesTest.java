package org.beacon.runtime;

import org.beacon.crime.CrimeTables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.Test;

class TablesTest {
  @Test
  void aTableWhoseCreationWasKilledIsCreatedByTheNextWrite() throws Exception {
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    TableName table = CrimeTables.SILVER_LSOA_LOOKUP;
    // What a job killed inside CREATE TABLE AS SELECT leaves: data files and a log folder without a commit.
    Path dir = Tables.location(settings, table);
    Files.createDirectories(dir.resolve("_delta_log"));
    Path stray = Files.writeString(dir.resolve("part-00000-killed.snappy.parquet"), "half a file");
    assertFalse(Tables.exists(settings, table), "A folder without a commit is no table.");

    StructType schema = StructType.fromDDL("lsoa_code STRING, lsoa_name STRING");
    Tables.replace(spark, settings, table, Lineage.of(settings).file("in", "1"),
        () -> spark.createDataFrame(List.of(RowFactory.create("E01000001", "City of London 001A")), schema));

    assertEquals(List.of("E01000001"), Tables.read(spark, settings, table).collectAsList().stream().map(r -> r.getString(0)).toList(),
        "The table should hold the new write's row.");
    assertFalse(Files.exists(stray), "The interrupted creation's file should be gone.");
  }

  /** The partitions commits rewrote, read from the log: what bounds the search for a delivery's changed rows. */
  @Test
  void theLogTellsWhichPartitionsCommitsTouched() throws Exception {
    SparkSession spark = SharedSpark.session();
    Path dir = Files.createTempDirectory("beacon-touched");
    String partitioned = dir.resolve("by_month").toString();
    spark.sql("SELECT 'a' AS id, '2009-01' AS month UNION ALL SELECT 'b', '2009-02'").write().format("delta").partitionBy("month")
        .save(partitioned);
    spark.sql("SELECT 'c' AS id, '2009-03' AS month").write().format("delta").mode("append").save(partitioned);
    spark.sql("DELETE FROM delta.`" + partitioned + "` WHERE id = 'a'");
    assertEquals(Map.of("month", java.util.Set.of("2009-01", "2009-03")), DeltaCommits.touchedPartitions(Path.of(partitioned), 0),
        "The append added to March and the delete rewrote January: February was not touched.");
    assertEquals(Map.of(), DeltaCommits.touchedPartitions(Path.of(partitioned), 2), "Nothing was committed after the latest version.");

    String plain = dir.resolve("plain").toString();
    spark.sql("SELECT 'a' AS id").write().format("delta").save(plain);
    spark.sql("SELECT 'b' AS id").write().format("delta").mode("append").save(plain);
    assertNull(DeltaCommits.touchedPartitions(Path.of(plain), 0), "A table without partitions cannot be bounded by them.");
  }

  @Test
  void theLogNamesTheFilesWhoseRowsATableGainedAndLost() throws Exception {
    SparkSession spark = SharedSpark.session();
    Path table = Files.createTempDirectory("beacon-file-changes").resolve("by_month");
    String at = table.toString();
    spark.sql("SELECT 'a' AS id, '2009-01' AS month UNION ALL SELECT 'b', '2009-02'").write().format("delta").partitionBy("month")
        .save(at);
    spark.sql("SELECT 'c' AS id, '2009-03' AS month").write().format("delta").mode("append").save(at);
    spark.sql("DELETE FROM delta.`" + at + "` WHERE id = 'a'");
    DeltaCommits.FileChanges changes = DeltaCommits.fileChanges(table, 0);
    assertEquals(List.of("c"), ids(spark, table, changes.added()), "The append's row was gained (the delete left January empty).");
    assertEquals(List.of("a"), ids(spark, table, changes.removed()), "The delete's row was lost.");
    spark.sql("SELECT 'd' AS id, '2009-04' AS month").write().format("delta").mode("append").save(at);
    spark.sql("DELETE FROM delta.`" + at + "` WHERE id = 'd'");
    assertEquals(List.of(), DeltaCommits.fileChanges(table, 2).added(), "A file added and removed since is neither.");
    assertEquals(List.of(), DeltaCommits.fileChanges(table, 2).removed(), "A file added and removed since is neither.");
    for (Path gone : changes.removed()) {
      Files.delete(gone);
    }
    assertNull(DeltaCommits.fileChanges(table, 0), "Once a removed file is vacuumed, the log cannot say what it held.");
  }

  private static List<String> ids(SparkSession spark, Path table, List<Path> files) {
    return files.isEmpty() ? List.of() : spark.read().parquet(files.stream().map(Path::toString).toArray(String[]::new))
        .select("id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().sorted().toList();
  }
}
