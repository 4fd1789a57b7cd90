package org.beacon.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.stats.Funnel;
import org.beacon.stats.Wilson;
import org.junit.jupiter.api.Test;

/** gold.funnel_points and gold.funnel_limits on three OCUs of a force, against values worked by hand. */
class FunnelsTest {
  private static final double TOL = 1e-9;

  private static Dataset<Row> units(SparkSession spark) {
    StructType annual = StructType.fromDDL("indicator_id STRING, level STRING, area_code STRING, force_code STRING, "
        + "period STRING, value DOUBLE, n_eff DOUBLE, unit STRING");
    return Funnels.units(spark.createDataFrame(List.of(
        RowFactory.create("spi", "ocu", "A", "F", "2007/08", 60.0, 100.0, "percent"),
        RowFactory.create("spi", "ocu", "B", "F", "2007/08", 50.0, 200.0, "percent"),
        RowFactory.create("spi", "ocu", "C", "F", "2007/08", 40.0, 100.0, "percent"),
        RowFactory.create("spi", "force", "F", "F", "2007/08", 50.0, 400.0, "percent"),
        RowFactory.create("spi", "force", "G", "G", "2007/08", 55.0, 300.0, "percent"),
        // A mean has no funnel of proportions, and a unit without a design-effective n has no place on one.
        RowFactory.create("score", "ocu", "A", "F", "2007/08", 11.0, 100.0, "score"),
        RowFactory.create("spi", "ocu", "D", "F", "2006/07", 50.0, 0.0, "percent")), annual));
  }

  @Test
  void pointsSitAgainstLimitsAroundTheirGroupsPooledValue() {
    SparkSession spark = SharedSpark.session();
    Dataset<Row> units = units(spark);
    Map<String, Row> points = new HashMap<>();
    Funnels.points(units, Funnel.Overdispersion.NONE, 0.1).collectAsList().forEach(r -> points.put(r.getAs("area_code"), r));
    assertEquals(5, points.size(), "three OCUs and two forces; the mean and the empty unit are left out");
    Row a = points.get("A");
    assertEquals("F", a.getAs("funnel_group"));
    assertEquals(Funnels.ALL_FORCES, points.get("G").getAs("funnel_group"));
    // OCUs of F: events 60 + 100 + 40 over 400, so p0 = 0.5; A is 60 of 100: z = 0.1 / sqrt(0.25 / 100) = 2.
    assertEquals(60.0, a.<Double>getAs("events"), TOL);
    assertEquals(50.0, a.<Double>getAs("target_pct"), TOL);
    assertEquals(2.0, a.<Double>getAs("z"), TOL);
    assertEquals(100 * (0.5 + Wilson.z(0.95) * 0.05), a.<Double>getAs("upper_95"), TOL);
    assertEquals(100 * (0.5 - Wilson.z(0.998) * 0.05), a.<Double>getAs("lower_998"), TOL);
    assertEquals("high at 95%", a.getAs("significance"), "60% is above 59.8% and below 65.5%");
    assertEquals("not significant", points.get("B").getAs("significance"));
    assertEquals("low at 95%", points.get("C").getAs("significance"));
    // Forces: (200 + 165) / 700.
    assertEquals(100 * 365 / 700.0, points.get("G").<Double>getAs("target_pct"), TOL);
  }

  @Test
  void limitsSpanTheUnitsDenominatorsOnALogScale() {
    SparkSession spark = SharedSpark.session();
    List<Row> limits = Funnels.limits(units(spark), Funnel.Overdispersion.NONE, 0.1, 3)
        .filter("funnel_group = 'F'").orderBy("denominator").collectAsList();
    assertEquals(3, limits.size());
    assertEquals(List.of(100.0, Math.sqrt(100 * 200.0), 200.0), limits.stream().map(r -> r.<Double>getAs("denominator")).toList());
    Row mid = limits.get(1);
    double se = Math.sqrt(0.25 / mid.<Double>getAs("denominator"));
    assertEquals(100 * (0.5 - Wilson.z(0.95) * se), mid.<Double>getAs("lower_95"), TOL);
    assertEquals(100 * (0.5 + Wilson.z(0.998) * se), mid.<Double>getAs("upper_998"), TOL);
    assertFalse(limits.stream().anyMatch(r -> !"none".equals(r.getAs("overdispersion"))));
  }
}
