package org.beacon.runtime;

import org.beacon.crime.CrimeTables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
