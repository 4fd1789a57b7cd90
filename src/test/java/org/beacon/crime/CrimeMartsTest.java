package org.beacon.crime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.Test;

/** gold.crime_financial_years on one OCU's inline crimes over two years, against figures counted by hand. */
class CrimeMartsTest {
  private static final double TOL = 1e-12;

  private static Row crime(String month, String year, String type, boolean sanction) {
    boolean asb = type.equals("Anti-social behaviour");
    return RowFactory.create(month, year, "f", "A", "A-S1", "A-S1-N1", true, null, null, null, null, false, type, asb, sanction);
  }

  @Test
  void yearsCountRecordsAndCompareWithTheYearBefore() {
    SparkSession spark = SharedSpark.session();
    List<Row> rows = new ArrayList<>(List.of(
        crime("2006-05", "2006/07", "Burglary", true), crime("2006-06", "2006/07", "Burglary", false),
        crime("2006-07", "2006/07", "Robbery", false), crime("2006-08", "2006/07", "Shoplifting", false),
        crime("2006-08", "2006/07", "Anti-social behaviour", false),
        crime("2007-04", "2007/08", "Burglary", true), crime("2007-04", "2007/08", "Burglary", true),
        crime("2007-05", "2007/08", "Robbery", false), crime("2007-06", "2007/08", "Shoplifting", false),
        crime("2007-06", "2007/08", "Shoplifting", false), crime("2007-06", "2007/08", "Anti-social behaviour", false)));
    Dataset<Row> crimes = spark.createDataFrame(rows, StructType.fromDDL("month STRING, financial_year STRING, force_code STRING, "
        + "ocu_code STRING, sector_code STRING, neighbourhood_code STRING, is_mapped BOOLEAN, ward_code STRING, "
        + "local_authority_code STRING, csp_code STRING, pfa_code STRING, is_outside_force_area BOOLEAN, crime_type STRING, "
        + "is_asb BOOLEAN, is_sanction_detection BOOLEAN"));
    Dataset<Row> population = spark.createDataFrame(List.of(RowFactory.create("f", "A", 10_000L)),
        StructType.fromDDL("force_code STRING, ocu_code STRING, population_all_ages BIGINT"));
    List<CrimeSettings.Group> groups = List.of(new CrimeSettings.Group("all_crime", "All recorded crime", List.of("all")),
        new CrimeSettings.Group("burglary", "Burglary", List.of("Burglary")));
    Map<String, Row> byKey = new HashMap<>();
    CrimeMarts.financialYears(crimes, population, groups).collectAsList()
        .forEach(r -> byKey.put(r.getAs("level") + " " + r.getAs("area_code") + " " + r.getAs("financial_year") + " " + r.getAs("group_id"), r));
    assertEquals(12, byKey.size(), "force and OCU × two years × all crime, burglary and ASB");

    Row all = byKey.get("ocu A 2007/08 all_crime");
    assertEquals(5L, all.<Long>getAs("records"));                  // ASB is not crime
    assertEquals(4L, all.<Long>getAs("previous_records"));
    assertEquals(25.0, all.<Double>getAs("change_pct"), TOL);       // (5 - 4) / 4
    assertEquals(-1L, all.<Long>getAs("fewer_victims"));            // one more victim
    assertEquals(3L, all.<Long>getAs("months"));
    assertEquals(5 / 3.0, all.<Double>getAs("monthly_average"), TOL);
    assertEquals(40.0, all.<Double>getAs("sanction_detection_rate_pct"), TOL); // 2 of 5
    assertEquals(0.5, all.<Double>getAs("rate_per_1000"), TOL);     // 5 per 10,000 residents

    Row burglary = byKey.get("force f 2007/08 burglary");
    assertEquals(2L, burglary.<Long>getAs("records"));
    assertEquals(0.0, burglary.<Double>getAs("change_pct"), TOL);
    assertEquals(100.0, burglary.<Double>getAs("sanction_detection_rate_pct"), TOL);

    Row asb = byKey.get("ocu A 2006/07 anti_social_behaviour");
    assertEquals("Anti-social behaviour", asb.getAs("group_name"));
    assertEquals(1L, asb.<Long>getAs("records"));
    assertNull(asb.getAs("previous_records"), "no year before the first");
    assertNull(asb.getAs("sanction_detection_rate_pct"), "ASB has no detections");
  }
}
