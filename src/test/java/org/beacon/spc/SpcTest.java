package org.beacon.spc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.crime.CrimeSettings;
import org.beacon.runtime.Settings;
import org.junit.jupiter.api.Test;

/** gold.spc_points on one OCU's inline monthly crime and quarterly survey rows, against limits worked by hand. */
class SpcTest {
  private static final double TOL = 1e-9;
  /** Twelve months of recorded crime; November's 30 is the special cause. */
  private static final long[] CRIME = {10, 12, 9, 11, 10, 13, 12, 11, 10, 9, 30, 11};

  private final SparkSession spark = SharedSpark.session();
  private final SpcSettings settings = SpcSettings.of(Settings.load(Map.of()));

  @Test
  void aMonthFarAboveTheCentreLineIsASignalOnTheCChart() {
    List<Row> rows = new ArrayList<>();
    for (int m = 0; m < CRIME.length; m++) {
      String month = String.format("2007-%02d", m + 1);
      rows.add(RowFactory.create("ocu", "A1", month, "Burglary", false, CRIME[m]));
      rows.add(RowFactory.create("ocu", "A1", month, "Anti-social behaviour", true, 5L));
      rows.add(RowFactory.create("sector", "A1S1", month, "Burglary", false, 99L)); // below OCU level: no chart
    }
    Dataset<Row> monthly = spark.createDataFrame(rows,
        StructType.fromDDL("level STRING, area_code STRING, month STRING, crime_type STRING, is_asb BOOLEAN, records BIGINT"));
    List<CrimeSettings.Group> groups = List.of(new CrimeSettings.Group("all_crime", "All crime", List.of("all")));
    List<Row> points = Spc.points(Spc.crimeSeries(monthly, groups), settings)
        .filter("series = 'crime:all_crime' AND chart = 'c'").orderBy("point_index").collectAsList();
    assertEquals(12, points.size(), "one c-chart point per month of the OCU; sectors are not charted");
    double centre = 148 / 12.0;                       // the mean count
    double sigma = Math.sqrt(centre);                 // Poisson: the variance is the mean
    for (Row p : points) {
      assertEquals(centre, p.<Double>getAs("centre_line"), TOL);
      assertEquals(centre + 3 * sigma, p.<Double>getAs("upper_limit"), TOL);
      assertEquals(centre - 3 * sigma, p.<Double>getAs("lower_limit"), TOL);
    }
    assertTrue(points.get(10).<Boolean>getAs("is_signal"), "November (30 > " + (centre + 3 * sigma) + ") signals");
    assertFalse(points.get(0).<Boolean>getAs("is_signal"));
    assertEquals(12, Spc.points(Spc.crimeSeries(monthly, groups), settings).filter("series = 'asb' AND chart = 'c'").count(),
        "ASB gets its own chart");
  }

  @Test
  void surveyQuartersBecomeDesignEffectiveEventsOfTheirNEff() {
    Dataset<Row> estimates = spark.createDataFrame(List.of(
        RowFactory.create("conf", "ocu", "A1", "quarter", "2007/08 Q1", "all", 0.6, 200.0, false),
        RowFactory.create("conf", "ocu", "A1", "quarter", "2007/08 Q2", "all", 0.5, 100.0, false),
        RowFactory.create("conf", "ocu", "A1", "quarter", "2007/08 Q3", "all", null, null, true),
        RowFactory.create("conf", "ocu", "A1", "financial_year", "2007/08", "all", 0.55, 300.0, false)),
        StructType.fromDDL("indicator_id STRING, level STRING, area_code STRING, period_type STRING, period STRING, "
            + "subgroup_type STRING, estimate DOUBLE, n_eff DOUBLE, is_suppressed BOOLEAN"));
    List<Row> series = Spc.surveySeries(estimates, List.of("conf")).orderBy("period").collectAsList();
    assertEquals(2, series.size(), "published quarters only");
    assertEquals(120.0, series.get(0).<Double>getAs("events"), TOL);   // 0.6 × 200
    assertEquals(50.0, series.get(1).<Double>getAs("events"), TOL);    // 0.5 × 100
    List<Row> p = Spc.points(Spc.surveySeries(estimates, List.of("conf")), settings).orderBy("point_index").collectAsList();
    assertEquals("p", p.get(0).getAs("chart"), "mean n_eff 150 is below the Laney threshold: a plain p chart");
    assertEquals(170 / 300.0, p.get(0).<Double>getAs("centre_line"), TOL); // events over denominators, pooled
  }
}
