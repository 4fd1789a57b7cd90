package org.beacon.runtime;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.Test;

/** The runner skips a current table, rebuilds only the years new deliveries touch, and rebuilds whole otherwise. */
class StepRunnerTest {
  private static final TableName IN = new TableName("silver", "step_in__responses");
  private static final TableName OUT = new TableName("silver", "step_out__responses");
  private static final StructType ROWS = StructType.fromDDL("respondent_id STRING, financial_year STRING, value BIGINT, _batch_id STRING");
  private static final Period WAVE = Period.parse("quarter", "2005/06 Q4");

  private final AtomicInteger computed = new AtomicInteger();

  /** Each year's total and the total over it and the year before (a figure that reaches back one year). */
  private TableStep step() {
    return TableStep.of(OUT).requires(IN, new TableStep.Delivered(array(col("_batch_id")), List.of("respondent_id")))
        .byFinancialYear(1).as(in -> {
          computed.incrementAndGet();
          Dataset<Row> totals = in.read(IN).groupBy("financial_year").agg(sum("value").as("total"));
          return totals.withColumn("two_years", col("total").plus(coalesce(lag("total", 1).over(Window.orderBy("financial_year")),
              lit(0L))));
        });
  }

  private static void deliver(SparkSession spark, Settings settings, String batch, Object[]... rows) {
    Tables.append(spark, settings, IN, spark.createDataFrame(java.util.Arrays.stream(rows)
        .map(r -> RowFactory.create(r[0], r[1], r[2], batch)).toList(), ROWS));
  }

  private static List<String> rows(SparkSession spark, Settings settings) {
    return Tables.read(spark, settings, OUT).orderBy("financial_year").collectAsList().stream()
        .map(r -> r.getString(0) + " " + r.getLong(1) + " " + r.getLong(2)).toList();
  }

  /** A first delivery of one row in each of four years, and the table built from it. */
  private void buildFourYears(SparkSession spark, Settings settings) {
    deliver(spark, settings, "b1", new Object[] {"a", "2004/05", 1L}, new Object[] {"b", "2005/06", 10L},
        new Object[] {"c", "2006/07", 100L}, new Object[] {"d", "2007/08", 1000L});
    StepRunner.run(spark, settings, WAVE, List.of(step()));
  }

  @Test
  void aNewDeliveryRebuildsItsYearAndTheNextAndNothingElse() {
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    buildFourYears(spark, settings);
    assertEquals(List.of("2004/05 1 1", "2005/06 10 11", "2006/07 100 110", "2007/08 1000 1100"), rows(spark, settings));

    long built = Tables.version(spark, settings, OUT);
    StepRunner.run(spark, settings, WAVE, List.of(step()));
    assertEquals(built, Tables.version(spark, settings, OUT), "A run with nothing new should not write the table again.");
    assertEquals(1, computed.get(), "A run with nothing new should not compute the table.");

    deliver(spark, settings, "b2", new Object[] {"e", "2005/06", 20L});
    StepRunner.run(spark, settings, WAVE, List.of(step()));
    DeltaCommits.Commit last = DeltaCommits.at(Tables.location(settings, OUT), Tables.version(spark, settings, OUT));
    assertEquals(2, last.outputRows(), "Only 2005/06 and the year after it should have been rewritten.");
    assertEquals(List.of("2004/05 1 1", "2005/06 30 31", "2006/07 100 130", "2007/08 1000 1100"), rows(spark, settings),
        "The years rebuilt should hold what a full build gives.");

    // Without a period (a full build), a new delivery rebuilds the whole table.
    deliver(spark, settings, "b3", new Object[] {"f", "2007/08", 2000L});
    StepRunner.run(spark, settings, null, List.of(step()));
    last = DeltaCommits.at(Tables.location(settings, OUT), Tables.version(spark, settings, OUT));
    assertEquals(4, last.outputRows(), "A full build should rewrite every year.");
    assertEquals("2007/08 3000 3100", rows(spark, settings).get(3));
  }

  @Test
  void aRowMovedToAnotherYearRebuildsTheYearItLeftToo() {
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    buildFourYears(spark, settings);
    // b's corrected record, dated a year later: silver's merge leaves one row per key.
    Dataset<Row> corrected = Tables.read(spark, settings, IN).filter("respondent_id <> 'b'")
        .unionByName(spark.createDataFrame(List.of(RowFactory.create("b", "2006/07", 10L, "b2")), ROWS));
    Tables.replace(spark, settings, IN, Lineage.of(settings).file("correction", "1"), () -> corrected);
    StepRunner.run(spark, settings, WAVE, List.of(step()));
    DeltaCommits.Commit last = DeltaCommits.at(Tables.location(settings, OUT), Tables.version(spark, settings, OUT));
    assertEquals(2, last.outputRows(), "2005/06 (left), 2006/07 (joined) and 2007/08 (the year after) were rebuilt; "
        + "2005/06 has no rows left.");
    assertEquals(List.of("2004/05 1 1", "2006/07 110 111", "2007/08 1000 1110"), rows(spark, settings));
  }

  @Test
  void theBatchesDeliveredSinceAVersionAreReadFromTheLogAndAgreeWithTheRows() {
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    deliver(spark, settings, "b1", new Object[] {"a", "2004/05", 1L});
    long first = Tables.version(spark, settings, IN);
    deliver(spark, settings, "b3", new Object[] {"b", "2005/06", 10L}, new Object[] {"c", "2006/07", 100L});
    deliver(spark, settings, "b2", new Object[] {"d", "2007/08", 1000L});
    java.nio.file.Path table = Tables.location(settings, IN);
    assertEquals(java.util.Set.of("b2", "b3"), DeltaCommits.appendedValues(table, first, "_batch_id"),
        "Each appended file's statistics name its one batch.");
    assertEquals(List.of("b2", "b3"), Increments.batchesSince(spark, settings, IN, first));
    assertEquals(List.of(), Increments.batchesSince(spark, settings, IN, Tables.version(spark, settings, IN)));
    long beforeDelete = Tables.version(spark, settings, IN);
    spark.sql("DELETE FROM " + IN + " WHERE respondent_id = 'a'");
    deliver(spark, settings, "b4", new Object[] {"e", "2007/08", 1L});
    assertEquals(null, DeltaCommits.appendedValues(table, beforeDelete, "_batch_id"),
        "After a commit that removed files the log cannot tell what was added.");
    assertEquals(List.of("b4"), Increments.batchesSince(spark, settings, IN, beforeDelete), "The rows tell instead.");
  }

  @Test
  void aStepWhoseRequiredInputIsMissingIsNotBuilt() {
    Settings settings = SharedSpark.settings(Map.of());
    SparkSession spark = SparkSessions.open(settings);
    StepRunner.run(spark, settings, null, List.of(step()));
    assertFalse(Tables.exists(settings, OUT), "Without its input the table should not be written.");
    assertEquals(0, computed.get());
  }
}
