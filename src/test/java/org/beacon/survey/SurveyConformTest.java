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
import org.beacon.runtime.Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SurveyConformTest {
  private static SparkSession spark;
  private static SurveySource source;

  @BeforeAll
  static void setUp() {
    spark = SharedSpark.session();
    source = Settings.load(Map.of()).source("ftd");
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
    StructType schema = new StructType();
    for (String c : source.columns()) {
      schema = schema.add(c, DataTypes.StringType);
    }
    schema = schema.add("_corrupt_record", DataTypes.StringType).add("_source_file", DataTypes.StringType)
        .add("_source_record", DataTypes.LongType).add("_batch_id", DataTypes.StringType)
        .add("_ingested_at", DataTypes.TimestampType);
    return spark.createDataFrame(rows, schema);
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
}
