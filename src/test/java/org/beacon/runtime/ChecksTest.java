package org.beacon.runtime;

import org.beacon.grading.GradingTables;

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
  // The columns of the table's quality suite too (TableSpec), which runs before the constraints.
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
    TableName table = GradingTables.GOLD_INDICATOR_GRADES;
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

  @Test
  void aConstraintNewToAnOlderTableIsAddedByTheFullRebuildThatMeetsIt() {
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    TableName table = GradingTables.GOLD_INDICATOR_GRADES;
    String path = Tables.location(settings, table).toString();
    // As an earlier Beacon left it: without the constraint, and holding a row that breaks it.
    Tables.replace(spark, settings, table, Lineage.of(settings).file("in", "1"), () -> grades(spark, "meeting"));
    spark.sql("ALTER TABLE delta.`" + path + "` DROP CONSTRAINT grade_is_known");
    grades(spark, "excellent").write().format("delta").mode("append").save(path);

    BeaconException old = assertThrows(BeaconException.class, () -> Tables.replaceWhere(spark, settings, table,
        Lineage.of(settings).file("in", "2"), "period = '2008/09'", grades(spark, "meeting").withColumn("period",
            org.apache.spark.sql.functions.lit("2008/09"))));
    assertTrue(old.getMessage().contains("rows it already holds break the CHECK constraint grade_is_known"), old.getMessage());
    long version = Tables.version(spark, settings, table);
    BeaconException bad = assertThrows(BeaconException.class, () -> Tables.replace(spark, settings, table,
        Lineage.of(settings).file("in", "3"), () -> grades(spark, "failing", "excellent")));
    assertTrue(bad.getMessage().contains("1 rows break the CHECK constraint grade_is_known"), bad.getMessage());
    assertEquals(version, Tables.version(spark, settings, table));

    Tables.replace(spark, settings, table, Lineage.of(settings).file("in", "4"), () -> grades(spark, "exceeding"));
    assertTrue(Tables.metadata(spark, settings, table).configuration().contains("delta.constraints.grade_is_known"));
    assertThrows(BeaconException.class, () -> Tables.replace(spark, settings, table, Lineage.of(settings).file("in", "5"),
        () -> grades(spark, "excellent")), "Delta enforces it again");
  }
}
