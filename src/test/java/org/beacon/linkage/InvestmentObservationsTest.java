package org.beacon.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.Test;

/** The investment models' observations on inline fixtures, against values worked by hand. */
class InvestmentObservationsTest {
  private static final double TOL = 1e-12;

  private final SparkSession spark = SharedSpark.session();

  @Test
  void surveyOutcomesArePublishedOcuYearEstimatesInPercent() {
    Dataset<Row> estimates = spark.createDataFrame(List.of(
        RowFactory.create("conf", "ocu", "financial_year", "all", false, "A", "2007/08", 0.612),
        RowFactory.create("conf", "ocu", "financial_year", "all", true, "B", "2007/08", 0.5),       // suppressed
        RowFactory.create("conf", "ocu", "quarter", "all", false, "A", "2007/08 Q1", 0.6),          // not a year
        RowFactory.create("conf", "ocu", "financial_year", "sex", false, "A", "2007/08", 0.7),     // a subgroup
        RowFactory.create("conf", "force", "financial_year", "all", false, "f", "2007/08", 0.6),   // not an OCU
        RowFactory.create("other", "ocu", "financial_year", "all", false, "A", "2007/08", 0.9)),
        StructType.fromDDL("indicator_id STRING, level STRING, period_type STRING, subgroup_type STRING, is_suppressed BOOLEAN, "
            + "area_code STRING, period STRING, estimate DOUBLE"));
    List<Row> rows = InvestmentObservations.surveyOutcome(estimates, "conf", false).collectAsList();
    assertEquals(1, rows.size(), "only OCU A's published whole-population estimate for the year");
    assertEquals(61.2, rows.get(0).<Double>getAs("value"), TOL, "a proportion in percent");
    assertEquals(0.612, InvestmentObservations.surveyOutcome(estimates, "conf", true).first().<Double>getAs("value"), TOL,
        "a mean score as it is");
  }

  @Test
  void crimeOutcomesAreRatesOfFullYears() {
    Dataset<Row> crime = spark.createDataFrame(List.of(
        RowFactory.create("ocu", "A", "all_crime", 12, "2007/08", 81.5),
        RowFactory.create("ocu", "A", "all_crime", 9, "2008/09", 60.0),       // a part year
        RowFactory.create("ocu", "B", "burglary", 12, "2007/08", 7.0),        // another group
        RowFactory.create("force", "f", "all_crime", 12, "2007/08", 80.0)),
        StructType.fromDDL("level STRING, area_code STRING, group_id STRING, months INT, financial_year STRING, rate_per_1000 DOUBLE"));
    List<Row> rows = InvestmentObservations.crimeOutcome(crime, "all_crime").collectAsList();
    assertEquals(1, rows.size());
    assertEquals("A", rows.get(0).getAs("ocu_code"));
    assertEquals(81.5, rows.get(0).<Double>getAs("value"), TOL);
  }

  @Test
  void eachOcuYearCarriesItsStaffingShareAndMinorityShare() {
    Dataset<Row> values = spark.createDataFrame(List.of(RowFactory.create("A", "2007/08", 61.2), RowFactory.create("A", "2006/07", 58.0),
        RowFactory.create("C", "2007/08", 40.0)), StructType.fromDDL("ocu_code STRING, financial_year STRING, value DOUBLE"));
    Dataset<Row> workforce = spark.createDataFrame(List.of(RowFactory.create("f", "A", "2007/08", 25.0),
        RowFactory.create("f", "A", "2006/07", 20.0)),
        StructType.fromDDL("force_code STRING, ocu_code STRING, financial_year STRING, np_share_pct DOUBLE"));
    Dataset<Row> population = spark.createDataFrame(List.of(RowFactory.create("A", "White", 300L),
        RowFactory.create("A", "Asian or Asian British", 80L), RowFactory.create("A", "Black or Black British", 20L)),
        StructType.fromDDL("ocu_code STRING, ethnic_group_5 STRING, population_16_plus BIGINT"));
    List<InvestmentModels.Observation> obs = InvestmentObservations.observations(values, workforce, population);
    assertEquals(List.of(new InvestmentModels.Observation("A", "2006/07", 58.0, 20.0, 25.0),
        new InvestmentModels.Observation("A", "2007/08", 61.2, 25.0, 25.0)), obs,
        "OCU C has no staffing share and is left out; A's minority share is 100 of 400 adults, in year order");
  }
}
