package org.beacon.runtime;

import org.beacon.survey.SurveyTables;

import org.beacon.indicators.IndicatorTables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Table and column comments come from data-dictionary.conf, travel with each write, and cost no version when unchanged. */
class DataDictionaryTest {
  private static SparkSession spark;
  private static Settings settings;

  @BeforeAll
  static void lakehouse() throws IOException {
    SharedSpark.session();
    settings = Settings.load(Map.of("beacon.lakehouse", Files.createTempDirectory("beacon-dictionary").toString()));
    spark = SparkSessions.open(settings);
  }

  private static Map<String, String> comments(TableName table) {
    Map<String, String> out = new HashMap<>();
    for (Row r : spark.sql("DESCRIBE " + table.qualified()).collectAsList()) {
      if (!r.getString(0).isBlank() && !r.getString(0).startsWith("#")) {
        out.put(r.getString(0), r.isNullAt(2) ? null : r.getString(2));
      }
    }
    return out;
  }

  private static String tableComment(TableName table) {
    return spark.sql("DESCRIBE TABLE EXTENDED " + table.qualified()).filter("col_name = 'Comment'")
        .select("data_type").head().getString(0);
  }

  @Test
  void aMartIsWrittenWithItsCommentsAndARerunAddsNoVersion() {
    TableName table = IndicatorTables.GOLD_WEIGHTING_EFFICIENCY;
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create("ftd", "o1", "2007/08", 400L, 0.87, "local note")),
        StructType.fromDDL("source STRING, ocu_code STRING, financial_year STRING, n BIGINT, efficiency DOUBLE, extra_note STRING"));
    Lineage lineage = Lineage.of(settings).file("in", "1");
    Tables.replace(spark, settings, table, lineage, () -> rows);
    Map<String, String> comments = comments(table);
    assertEquals("Weighting efficiency n_eff / n (1 = no loss from weighting).", comments.get("efficiency"), "the table's own entry");
    assertEquals("Respondents in the OCU and year.", comments.get("n"), "the table's entry wins over the shared meaning of n");
    assertEquals("The survey source the figure comes from (beacon.sources).", comments.get("source"), "the shared meaning");
    assertNull(comments.get("extra_note"), "a column the dictionary does not know has no comment");
    assertTrue(tableComment(table).startsWith("Raking diagnostics per source, OCU and financial year"), tableComment(table));
    long version = Tables.version(spark, settings, table);
    Tables.replace(spark, settings, table, lineage, () -> rows);
    assertEquals(version, Tables.version(spark, settings, table), "the same inputs: nothing written, comments included");
    Tables.replace(spark, settings, table, Lineage.of(settings).file("in", "2"), () -> rows);
    assertEquals(version + 1, Tables.version(spark, settings, table), "new inputs: one data commit and no comment commits");
  }

  @Test
  void anAppendOnlyTableCreatedWithoutCommentsGetsThemOnItsNextAppend() {
    TableName table = TableName.OPS_LOAD_RECONCILIATION;
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create("ftd", "a.csv", 10L)),
        StructType.fromDDL("source STRING, source_file STRING, rows_read BIGINT"));
    // As an older Beacon left it: no column comments, no table comment.
    rows.write().format("delta").save(Tables.location(settings, table).toString());
    Tables.append(spark, settings, table, rows);
    Map<String, String> comments = comments(table);
    assertEquals("Rows read from the file.", comments.get("rows_read"));
    assertTrue(comments.get("source").startsWith("The landing source"), comments.get("source"));
    assertTrue(tableComment(table).contains("read = accepted + merged + superseded + quarantined"), tableComment(table));
    long version = Tables.version(spark, settings, table);
    Tables.append(spark, settings, table, rows);
    assertEquals(version + 1, Tables.version(spark, settings, table), "comments already right: the append is the only commit");
    assertEquals(3, Tables.read(spark, settings, table).count());
  }

  @Test
  void surveyTablesAreDescribedFromTheirSourceAndItsAnswerScales() {
    assertEquals("Survey responses of source ftd: typed, answer codes, geography, pseudonymised ids; one row per natural key",
        DataDictionary.table(SurveyTables.silver("ftd")));
    String silver = DataDictionary.column(settings, SurveyTables.silver("ftd"), "q_police_good_job");
    assertTrue(silver.startsWith("The answer's code: ") && silver.contains("strongly_agree"), silver);
    String bronze = DataDictionary.column(settings, SurveyTables.bronze("ftd"), "q_police_good_job");
    assertTrue(bronze.startsWith("The answer as printed on the questionnaire: ") && bronze.contains("Strongly agree"), bronze);
    assertNull(DataDictionary.column(settings, SurveyTables.silver("ftd"), "q_not_a_question"));
  }

  @Test
  void aTableMissingFromTheDictionaryIsRefusedByName() {
    BeaconException e = assertThrows(BeaconException.class, () -> DataDictionary.table(new TableName("gold", "mystery_mart")));
    assertEquals("The data dictionary (data-dictionary.conf) has no comment for gold.mystery_mart: add one under "
        + "tables.gold.mystery_mart.", e.getMessage());
  }
}
