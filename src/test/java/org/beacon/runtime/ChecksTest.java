package org.beacon.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.Test;

/** A mart write that breaks a CHECK constraint fails whole, with a sentence, and the previous version stays. */
class ChecksTest {
  // The columns of the table's quality suite too (QualitySuites), which runs before the constraints.
  private static final StructType GRADES = StructType.fromDDL("force_code STRING, indicator_id STRING, grade STRING, "
      + "kind STRING, grade_level STRING, inspection_area STRING, period STRING, reason STRING, rule_version STRING");

  private static Dataset<Row> grades(SparkSession spark, String... grade) {
    List<Row> rows = java.util.stream.IntStream.range(0, grade.length)
        .mapToObj(i -> RowFactory.create("f", "indicator_" + i, grade[i], "indicator", "indicator", "a", "2007/08", "r", "1")).toList();
    return spark.createDataFrame(rows, GRADES);
  }

  @Test
  void aWrongGradeIsNeverPublished() {
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    TableName table = TableName.GOLD_INDICATOR_GRADES;
    Tables.replace(spark, settings, table, Lineage.of(settings).file("in", "1"), () -> grades(spark, "meeting"));
    // A second good write (a new lineage) overwrites, and the constraints are still there afterwards.
    Tables.replace(spark, settings, table, Lineage.of(settings).file("in", "2"), () -> grades(spark, "exceeding", "failing"));
    long version = Tables.version(spark, settings, table);
    BeaconException e = assertThrows(BeaconException.class, () -> Tables.replace(spark, settings, table,
        Lineage.of(settings).file("in", "3"), () -> grades(spark, "meeting", "excellent")));
    assertTrue(e.getMessage().contains("grade_is_known") && e.getMessage().contains("excellent")
        && e.getMessage().contains("previous version stays published"), e.getMessage());
    assertEquals(version, Tables.version(spark, settings, table));
    assertEquals(List.of("exceeding", "failing"), Tables.read(spark, settings, table).orderBy("grade").collectAsList().stream()
        .map(r -> r.getString(2)).toList());
  }
}
