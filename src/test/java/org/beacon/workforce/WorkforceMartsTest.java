package org.beacon.workforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.Test;

/** gold.workforce_indicators on two OCUs of one force, against values worked by hand. */
class WorkforceMartsTest {
  private static final double TOL = 1e-12;

  @Test
  void ocuAndForceIndicatorsAreRatiosOfTheirSums() {
    SparkSession spark = SharedSpark.session();
    var workforce = spark.createDataFrame(List.of(
        RowFactory.create("2007/08", "f", "A", 200L, 50L, 5L, 0L, 30L, 10L),
        RowFactory.create("2007/08", "f", "B", 100L, 40L, 8L, 2L, 20L, 0L)),
        StructType.fromDDL("financial_year STRING, force_code STRING, ocu_code STRING, officers BIGINT, np_officers BIGINT, "
            + "np_sergeants BIGINT, np_inspectors BIGINT, np_pcsos BIGINT, np_specials BIGINT"));
    var population = spark.createDataFrame(List.of(RowFactory.create("f", "A", 150_000L), RowFactory.create("f", "B", 50_000L)),
        StructType.fromDDL("force_code STRING, ocu_code STRING, population_all_ages BIGINT"));
    // OCU A has two allocations; OCU B none.
    var fund = spark.createDataFrame(List.of(RowFactory.create("2007/08", "f", "A", "training", 1000.0),
        RowFactory.create("2007/08", "f", "A", "equipment", 500.0)), WorkforceIngestJob.FUND_SCHEMA);
    Map<String, Row> rows = new HashMap<>();
    WorkforceMarts.indicators(workforce, population, fund).collectAsList().forEach(r -> rows.put(r.getAs("area_code"), r));
    assertEquals(3, rows.size(), "two OCUs and their force");

    Row a = rows.get("A");
    assertEquals(25.0, a.<Double>getAs("np_share_pct"), TOL);              // 50 / 200
    assertEquals(2.0, a.<Double>getAs("pcsos_per_10000"), TOL);            // 30 / 15
    assertEquals(10 / 15.0, a.<Double>getAs("specials_per_10000"), TOL);   // 10 / 15
    assertEquals(10.0, a.<Double>getAs("np_officers_per_sergeant"), TOL);  // 50 / 5
    assertNull(a.getAs("np_officers_per_inspector"), "no inspector: no ratio");
    assertEquals(1500.0, a.<Double>getAs("contingency_fund_gbp"), TOL);
    assertEquals(0.01, a.<Double>getAs("fund_per_resident_gbp"), TOL);    // 1,500 / 150,000

    Row b = rows.get("B");
    assertEquals(40.0, b.<Double>getAs("np_share_pct"), TOL);
    assertEquals(20.0, b.<Double>getAs("np_officers_per_inspector"), TOL);
    assertEquals(0.0, b.<Double>getAs("contingency_fund_gbp"), TOL, "no allocation is none, not unknown");

    Row force = rows.get("f");
    assertEquals("force", force.getAs("level"));
    assertEquals(30.0, force.<Double>getAs("np_share_pct"), TOL);          // 90 / 300, not the mean of 25 and 40
    assertEquals(2.5, force.<Double>getAs("pcsos_per_10000"), TOL);        // 50 / 20
    assertEquals(90 / 13.0, force.<Double>getAs("np_officers_per_sergeant"), TOL);
    assertEquals(45.0, force.<Double>getAs("np_officers_per_inspector"), TOL);
    assertEquals(0.0075, force.<Double>getAs("fund_per_resident_gbp"), TOL); // 1,500 / 200,000
  }
}
