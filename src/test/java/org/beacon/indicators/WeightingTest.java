package org.beacon.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.survey.SurveySource;
import org.junit.jupiter.api.Test;

class WeightingTest {
  private final SparkSession spark = SharedSpark.session();

  private Dataset<Row> respondents() {
    String[][] people = {
        {"16-24", "Male", "White"}, {"16-24", "Female", "Asian"}, {"75+", "Male", "White"}, {"75+", "Female", "White"},
        {"75+", "Female", "White"}, {"75+", "Male", "Asian"}, {"16-24", "Female", "White"}, {"75+", "Female", "Not stated"}};
    List<Row> rows = new ArrayList<>();
    for (String[] p : people) {
      rows.add(RowFactory.create("D1", "2007/08", p[0], p[1], p[2]));
    }
    StructType schema = new StructType().add("ocu_code", DataTypes.StringType).add("financial_year", DataTypes.StringType)
        .add("age_band", DataTypes.StringType).add("sex", DataTypes.StringType).add("ethnic_group_5", DataTypes.StringType);
    return spark.createDataFrame(rows, schema);
  }

  /** 1,000 adults: young 600 (300 men, 300 women), old 400 (200, 200); 800 White and 200 Asian. */
  private Dataset<Row> population() {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create("D1", "16-24", "Male", "White", 240L));
    rows.add(RowFactory.create("D1", "16-24", "Male", "Asian", 60L));
    rows.add(RowFactory.create("D1", "16-24", "Female", "White", 240L));
    rows.add(RowFactory.create("D1", "16-24", "Female", "Asian", 60L));
    rows.add(RowFactory.create("D1", "75+", "Male", "White", 160L));
    rows.add(RowFactory.create("D1", "75+", "Male", "Asian", 40L));
    rows.add(RowFactory.create("D1", "75+", "Female", "White", 160L));
    rows.add(RowFactory.create("D1", "75+", "Female", "Asian", 40L));
    StructType schema = new StructType().add("ocu_code", DataTypes.StringType).add("age_band", DataTypes.StringType)
        .add("sex", DataTypes.StringType).add("ethnic_group_5", DataTypes.StringType).add("population_16_plus", DataTypes.LongType);
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void rakedWeightsMeetThePopulationMarginsAndKeepNotStated() {
    SurveySource.Weighting w = new SurveySource.Weighting(List.of(List.of("age_band", "sex"), List.of("ethnic_group_5")), 0, 100);
    List<Row> out = Weighting.withRakedWeights(respondents(), population(), w).collectAsList();
    assertEquals(8, out.size(), "nobody is dropped");
    Map<String, Double> ageSex = new HashMap<>();
    Map<String, Double> ethnic = new HashMap<>();
    double total = 0;
    for (Row r : out) {
      double weight = r.getAs(Weighting.WEIGHT);
      ageSex.merge(r.getAs("age_band") + "|" + r.getAs("sex"), weight, Double::sum);
      ethnic.merge(r.getAs("ethnic_group_5"), weight, Double::sum);
      total += weight;
      assertTrue(r.<Boolean>getAs("_rake_converged"));
    }
    assertEquals(1000, total, 1e-3);
    assertEquals(300, ageSex.get("16-24|Male"), 1e-3);
    assertEquals(300, ageSex.get("16-24|Female"), 1e-3);
    assertEquals(200, ageSex.get("75+|Male"), 1e-3);
    assertEquals(200, ageSex.get("75+|Female"), 1e-3);
    // "Not stated" keeps its sample share (1/8 of 1,000); White and Asian share the rest 80:20.
    assertEquals(125, ethnic.get("Not stated"), 1e-3);
    assertEquals(700, ethnic.get("White"), 1e-3);
    assertEquals(175, ethnic.get("Asian"), 1e-3);
  }

  @Test
  void efficiencyIsKishNeffOverN() {
    SurveySource.Weighting w = new SurveySource.Weighting(List.of(List.of("age_band", "sex")), 0, 100);
    Dataset<Row> weighted = Weighting.withRakedWeights(respondents(), population(), w);
    double sum = 0;
    double squares = 0;
    for (Row r : weighted.collectAsList()) {
      double x = r.getAs(Weighting.WEIGHT);
      sum += x;
      squares += x * x;
    }
    Row e = Weighting.efficiency(weighted, "ftd").first();
    assertEquals(sum * sum / squares / 8, e.<Double>getAs("efficiency"), 1e-9);
    assertEquals(8L, (long) e.getAs("n"));
  }
}
