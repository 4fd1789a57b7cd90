package org.beacon.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.runtime.Settings;
import org.beacon.stats.Newcombe;
import org.junit.jupiter.api.Test;

class PanelChangesTest {
  private final SparkSession spark = SharedSpark.session();
  private final List<Indicator> panel = Indicator.all(Settings.load(Map.of())).stream()
      .filter(i -> i.id().equals("panel_confidence")).toList();

  /** M1 agree→agree, M2 agree→disagree, M3 and M4 disagree→agree, M5 agrees and leaves, M6 joins in Q2. */
  private Dataset<Row> responses() {
    Object[][] rows = {
        {"M1", 1, false, "strongly_agree"}, {"M1", 2, false, "tend_to_agree"},
        {"M2", 1, false, "tend_to_agree"}, {"M2", 2, false, "tend_to_disagree"},
        {"M3", 1, false, "neither"}, {"M3", 2, false, "tend_to_agree"},
        {"M4", 1, false, "strongly_disagree"}, {"M4", 2, false, "strongly_agree"},
        {"M5", 1, false, "tend_to_agree"},
        {"M6", 2, true, "dont_know"}};
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      int q = (Integer) r[1];
      out.add(RowFactory.create(r[0], "force-x", "D1", "2007/08", q, "2007/08 Q" + q, r[2], r[3]));
    }
    StructType schema = new StructType().add("panel_member_key", DataTypes.StringType).add("force_code", DataTypes.StringType)
        .add("ocu_code", DataTypes.StringType).add("financial_year", DataTypes.StringType).add("quarter", DataTypes.IntegerType)
        .add("wave", DataTypes.StringType).add("is_replacement", DataTypes.BooleanType)
        .add("q_police_good_job", DataTypes.StringType);
    return spark.createDataFrame(out, schema);
  }

  @Test
  void consecutiveWavesAreComparedAmongMembersAnsweringBoth() {
    List<Row> changes = PanelChanges.waveChanges(PanelChanges.memberAnswers(responses(), panel), 0.95).collectAsList();
    assertEquals(1, changes.size(), "the last wave has no successor");
    Row r = changes.get(0);
    assertEquals("2007/08 Q1", r.getAs("wave_from"));
    assertEquals("2007/08 Q2", r.getAs("wave_to"));
    assertEquals(5L, (long) r.getAs("members_from"));
    assertEquals(1L, (long) r.getAs("members_lost"));
    assertEquals(1L, (long) r.getAs("replacements_to"));
    assertEquals(4L, (long) r.getAs("n_pairs"));
    assertEquals(1L, (long) r.getAs("b"));
    assertEquals(2L, (long) r.getAs("c"));
    assertEquals(0.5, r.<Double>getAs("proportion_from"), 1e-12);
    assertEquals(0.75, r.<Double>getAs("proportion_to"), 1e-12);
    // (|b − c| − 1)² / (b + c) = 0; exact p = 2 · P(X ≤ 1 | 3, ½) = 1.
    assertEquals(0.0, r.<Double>getAs("mcnemar_chi2"), 1e-12);
    assertEquals(1.0, r.<Double>getAs("p_value_exact"), 1e-12);
    assertFalse(r.<Boolean>getAs("is_significant"));
  }

  @Test
  void thePanelIsComparedWithTheSampleByNewcombe() {
    StructType schema = new StructType().add("indicator_id", DataTypes.StringType).add("area_code", DataTypes.StringType)
        .add("period", DataTypes.StringType).add("estimate", DataTypes.DoubleType).add("n_eff", DataTypes.DoubleType);
    Dataset<Row> ftd = spark.createDataFrame(List.of(RowFactory.create("ftd_confidence", "D1", "2007/08 Q1", 0.8, 100.0)), schema);
    Row r = PanelChanges.panelVersusSample(PanelChanges.memberAnswers(responses(), panel), ftd, "panel_confidence", 0.95).first();
    // Panel Q1: M1, M2 and M5 agree of five valid answers.
    assertEquals(0.6, r.<Double>getAs("panel_proportion"), 1e-12);
    assertEquals(-0.2, r.<Double>getAs("difference"), 1e-12);
    assertEquals(Newcombe.lower(3, 5, 80, 100, 0.95), r.<Double>getAs("difference_lower"), 1e-12);
    assertEquals(Newcombe.upper(3, 5, 80, 100, 0.95), r.<Double>getAs("difference_upper"), 1e-12);
  }
}
