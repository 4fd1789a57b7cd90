package org.beacon.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Reconciliation;
import org.beacon.runtime.Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SurveyConformTest {
  private static SparkSession spark;
  private static SurveySource source;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.session();
    source = SurveySources.of(Settings.load(Map.of()), "ftd");
  }

  private static final String[] GOOD = {"R1", "2007-05-14", "D1S1N1", "35-44", "Female", "Indian", "No", "Sikh",
      "Very safe", "A bit unsafe", "Tend to agree", "Strongly agree", "", "Don't know", "Fairly satisfied",
      "Not a problem at all", "", "free text, with a comma"};

  /** A bronze row: the delivered columns, the corrupt-record column and lineage. */
  private static Row bronze(String file, long record, String corrupt, String... values) {
    List<Object> v = new ArrayList<>(Arrays.asList(values));
    v.add(corrupt);
    v.add(file);
    v.add(record);
    v.add("batch-1");
    v.add(Timestamp.valueOf("2026-01-01 00:00:00"));
    return RowFactory.create(v.toArray());
  }

  private static Dataset<Row> bronzeFrame(List<Row> rows) {
    return spark.createDataFrame(rows, bronzeSchema(source));
  }

  /** Bronze as the ingest job writes it: every delivered column as text, the corrupt-record column, lineage. */
  private static StructType bronzeSchema(SurveySource src) {
    StructType schema = new StructType();
    for (String c : src.columns()) {
      schema = schema.add(c, DataTypes.StringType);
    }
    return schema.add("_corrupt_record", DataTypes.StringType).add("_source_file", DataTypes.StringType)
        .add("_source_record", DataTypes.LongType).add("_batch_id", DataTypes.StringType)
        .add("_ingested_at", DataTypes.TimestampType);
  }

  private static Dataset<Row> geography() {
    StructType schema = new StructType().add("neighbourhood_code", DataTypes.StringType).add("sector_code", DataTypes.StringType)
        .add("ocu_code", DataTypes.StringType).add("force_code", DataTypes.StringType);
    return spark.createDataFrame(List.of(RowFactory.create("D1S1N1", "D1S1", "D1", "west-midlands")), schema);
  }

  private static String[] with(int column, String value) {
    String[] v = GOOD.clone();
    v[column] = value;
    return v;
  }

  @Test
  void typesCodesAndMapsAValidRow() {
    Row r = SurveyConform.accepted(SurveyConform.withValidation(bronzeFrame(List.of(bronze("a.csv", 1, null, GOOD))),
        geography(), source, "salt")).first();
    assertEquals("2007/08", r.getAs("financial_year"));
    assertEquals(1, (int) r.getAs("quarter"));
    assertEquals("2007/08 Q1", r.getAs("wave"));
    assertEquals("D1", r.getAs("ocu_code"));
    assertEquals("Asian", r.getAs("ethnic_group_5"));
    assertEquals(false, r.getAs("is_disabled"));
    assertEquals("very_safe", r.getAs("q_safe_day"));
    assertEquals("a_bit_unsafe", r.getAs("q_safe_dark"));
    assertEquals("dont_know", r.getAs("q_fair"));
    assertNull(r.getAs("q_asb_crime_matter"), "a blank answer (not asked) stays null");
    assertEquals(64, ((String) r.getAs("respondent_key")).length());
    assertTrue(Arrays.stream(r.schema().fieldNames()).noneMatch(f -> f.equals("comment") || f.equals("respondent_id")),
        "silver must carry neither free text nor the raw respondent id");
  }

  @Test
  void everyBadRowGetsAReasonNamingTheFieldAndNothingIsDropped() {
    List<Row> rows = List.of(
        bronze("a.csv", 1, null, GOOD),
        bronze("a.csv", 2, null, with(1, "14/05/2007")),
        bronze("a.csv", 3, null, with(2, "ZZ9")),
        bronze("a.csv", 4, null, with(10, "Agreed")),
        bronze("a.csv", 5, "R5,broken", with(0, "R5")),
        bronze("b.csv", 1, null, GOOD),
        bronze("b.csv", 2, null, with(0, "")));
    Dataset<Row> validated = SurveyConform.withValidation(bronzeFrame(rows), geography(), source, "salt");
    Map<String, String> reasons = validated.filter("_reject_reason IS NOT NULL").collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("_source_file") + ":" + r.getAs("_source_record"), r -> r.getAs("_reject_reason")));
    assertEquals(6, reasons.size(), reasons.toString());
    assertTrue(reasons.get("a.csv:2").startsWith("interview_date: '14/05/2007' is not a date"), reasons.get("a.csv:2"));
    assertEquals("neighbourhood_code: unknown code 'ZZ9'", reasons.get("a.csv:3"));
    assertEquals("q_harmony: 'Agreed' is not an answer on its scale", reasons.get("a.csv:4"));
    assertTrue(reasons.get("a.csv:5").startsWith("row: malformed CSV"), reasons.get("a.csv:5"));
    assertEquals("respondent_id: duplicate of a.csv record 1", reasons.get("b.csv:1"));
    assertTrue(reasons.get("b.csv:2").contains("respondent_id: missing"), reasons.get("b.csv:2"));
    assertEquals(1, SurveyConform.accepted(validated).count());
    Dataset<Row> quarantine = SurveyConform.quarantined(bronzeFrame(rows), validated, source);
    assertEquals(6, quarantine.count(), "read = accepted + quarantined");
    assertTrue(Arrays.asList(quarantine.columns()).contains("reason"));
    assertTrue(!Arrays.asList(quarantine.columns()).contains("comment"), "free text never leaves bronze");
  }

  @Test
  void missingInputColumnsFailWithTheirNames() {
    BeaconException e = assertThrows(BeaconException.class,
        () -> SurveyConform.withValidation(bronzeFrame(List.of()).drop("q_fair"), geography(), source, "salt"));
    assertTrue(e.getMessage().contains("[q_fair]"), e.getMessage());
  }

  /** A bronze frame for any configured source, from maps of column -> value (absent columns blank). */
  private static Dataset<Row> bronzeOf(SurveySource src, List<Map<String, String>> values) {
    List<Row> rows = new ArrayList<>();
    long record = 0;
    for (Map<String, String> v : values) {
      List<Object> row = new ArrayList<>();
      src.columns().forEach(c -> row.add(v.getOrDefault(c, "")));
      row.add(null);
      row.add("u.csv");
      row.add(++record);
      row.add("batch-1");
      row.add(Timestamp.valueOf("2026-01-01 00:00:00"));
      rows.add(RowFactory.create(row.toArray()));
    }
    return spark.createDataFrame(rows, bronzeSchema(src));
  }

  @Test
  void anOcuLevelSourceMapsItsBcuAndChecksTheDeliveredForce() {
    SurveySource user = SurveySources.of(Settings.load(Map.of()), "user_satisfaction");
    Map<String, String> good = new java.util.HashMap<>(Map.of("respondent_id", "U1", "force_code", "west-midlands",
        "bcu_code", "D1", "victim_group", "Vehicle crime", "incident_date", "2007-04-02", "interview_date", "2007-06-01",
        "ethnic_group", "Not stated", "q_whole_experience", "Very satisfied"));
    Map<String, String> wrongForce = new java.util.HashMap<>(good);
    wrongForce.put("respondent_id", "U2");
    wrongForce.put("force_code", "merseyside");
    Dataset<Row> validated = SurveyConform.withValidation(bronzeOf(user, List.of(good, wrongForce)), geography(), user, "salt");
    Row ok = SurveyConform.accepted(validated).first();
    assertEquals("D1", ok.getAs("ocu_code"));
    assertEquals("very_satisfied", ok.getAs("q_whole_experience"));
    assertEquals(java.sql.Date.valueOf("2007-04-02"), ok.getAs("incident_date"));
    assertEquals("Not stated", ok.getAs("ethnic_minority"));
    assertTrue(!java.util.Arrays.asList(ok.schema().fieldNames()).contains("bcu_code"), "the BCU becomes ocu_code");
    String reason = validated.filter("_reject_reason IS NOT NULL").first().getAs("_reject_reason");
    assertEquals("force_code: 'merseyside' does not match west-midlands from bcu_code", reason);
  }

  @Test
  void aPanelKeyIsMemberAndWaveAndTheDeliveredWaveMustMatchTheDate() {
    SurveySource panel = SurveySources.of(Settings.load(Map.of()), "tracker_panel");
    Map<String, String> q1 = new java.util.HashMap<>(Map.of("panel_member_id", "P1", "ocu_code", "D1", "financial_year",
        "2007/08", "quarter", "1", "interview_date", "2007-05-01", "is_replacement", "false", "age_band", "25-34",
        "sex", "Male", "ethnic_group", "Indian"));
    Map<String, String> q2 = new java.util.HashMap<>(q1);
    q2.put("quarter", "2");
    q2.put("interview_date", "2007-08-01");
    Map<String, String> mislabelled = new java.util.HashMap<>(q1);
    mislabelled.put("panel_member_id", "P2");
    mislabelled.put("quarter", "3");
    Dataset<Row> validated = SurveyConform.withValidation(bronzeOf(panel, List.of(q1, q2, mislabelled)), geography(), panel, "s");
    assertEquals(2, SurveyConform.accepted(validated).count(), "the same member in two waves is two rows");
    assertEquals("quarter: '3' does not match 1 from interview_date",
        validated.filter("_reject_reason IS NOT NULL").first().getAs("_reject_reason"));
  }

  @Test
  void aFileDeliveredAgainWithNewContentReconcilesPerDelivery() {
    // The same file name in two batches: the second delivery's rows are duplicates of the first's.
    List<Row> rows = new ArrayList<>();
    rows.add(bronze("a.csv", 1, null, GOOD));
    Row again = bronze("a.csv", 1, null, GOOD);
    Object[] values = new Object[again.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = again.get(i);
    }
    values[values.length - 2] = "batch-2";
    values[values.length - 1] = Timestamp.valueOf("2026-02-01 00:00:00");
    rows.add(RowFactory.create(values));
    Dataset<Row> bronze = bronzeFrame(rows);
    Dataset<Row> validated = SurveyConform.withValidation(bronze, geography(), source, "salt");
    List<Row> byFile = Reconciliation.byFile(bronze, SurveyConform.accepted(validated),
            validated.filter("_reject_reason IS NOT NULL"), "ftd")
        .orderBy("batch_id").collectAsList();
    assertEquals(2, byFile.size());
    assertEquals(List.of(1L, 1L, 0L), List.of(byFile.get(0).<Long>getAs("rows_read"), byFile.get(0).<Long>getAs("rows_accepted"),
        byFile.get(0).<Long>getAs("rows_quarantined")));
    assertEquals(List.of(1L, 0L, 1L), List.of(byFile.get(1).<Long>getAs("rows_read"), byFile.get(1).<Long>getAs("rows_accepted"),
        byFile.get(1).<Long>getAs("rows_quarantined")));
    Reconciliation.check(Reconciliation.byFile(bronze, SurveyConform.accepted(validated),
        SurveyConform.quarantined(bronze, validated, source), "ftd"));
    assertEquals(1, SurveyConform.quarantined(bronze, validated, source).count(), "each quarantined delivery row once");
  }
}
