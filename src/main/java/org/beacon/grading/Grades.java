package org.beacon.grading;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.beacon.runtime.Columns;

/**
 * Grades per force, indicator (or gap) and financial year from the versioned rule table, each with the rule
 * that gave it and the reason in plain words; then one roll-up per inspection area: exceeding where some
 * indicator exceeds and none fails, failing where some fails and none exceeds, meeting otherwise, with the
 * area's outcome summary (against the MSF average; against two years earlier).
 */
public final class Grades {
  private Grades() {}

  /** One row per force, indicator and year: vs_msf, change, movement and the two statements. */
  public static Dataset<Row> positions(Dataset<Row> comparisons, Dataset<Row> gaps) {
    Columns.require(comparisons, "Grades.positions", List.of("indicator_id", "level", "area_code", "period", "comparison",
        "direction", "movement", "statement"));
    Columns.require(gaps, "Grades.positions (gaps)", List.of("gap_id", "level", "area_code", "period_type", "period",
        "position", "statement", "change_direction", "change_movement", "earlier_period"));
    Dataset<Row> force = comparisons.filter(col("level").equalTo("force"));
    Dataset<Row> msf = force.filter(col("comparison").equalTo("msf_average"))
        .select(col("indicator_id"), col("area_code"), col("period"), col("direction").as("vs_msf"), col("statement").as("msf_statement"));
    Dataset<Row> change = force.filter(col("comparison").equalTo("two_years_earlier"))
        .select(col("indicator_id"), col("area_code"), col("period"), col("direction").as("change"), col("movement"),
            col("statement").as("change_statement"));
    Dataset<Row> keys = force.select("indicator_id", "area_code", "period").distinct();
    Dataset<Row> indicators = keys.join(msf, Columns.seq("indicator_id", "area_code", "period"), "left")
        .join(change, Columns.seq("indicator_id", "area_code", "period"), "left")
        .select(col("area_code").as("force_code"), col("indicator_id"), lit("indicator").as("kind"), col("period"),
            coalesce(col("vs_msf"), lit("none")).as("vs_msf"), coalesce(col("change"), lit("none")).as("change"),
            coalesce(col("movement"), lit("level")).as("movement"),
            coalesce(col("msf_statement"), lit("no MSF group to compare with")).as("msf_statement"),
            coalesce(col("change_statement"), lit("no estimate two years earlier")).as("change_statement"));
    Dataset<Row> gapRows = gaps.filter(col("level").equalTo("force").and(col("period_type").equalTo("financial_year")))
        .select(col("area_code").as("force_code"), col("gap_id").as("indicator_id"), lit("gap").as("kind"), col("period"),
            col("position").as("vs_msf"), col("change_direction").as("change"), col("change_movement").as("movement"),
            col("statement").as("msf_statement"),
            when(col("earlier_period").isNull(), lit("no estimate two years earlier"))
                .when(col("change_direction").equalTo("unchanged"), concat(lit("gap unchanged compared with "), col("earlier_period")))
                .otherwise(concat(lit("gap significantly "), col("change_direction"), lit(" compared with "), col("earlier_period")))
                .as("change_statement"));
    return indicators.unionByName(gapRows);
  }

  /** Applies the rule table: grade, rule number (1-based), version and reason. */
  public static Dataset<Row> grade(Dataset<Row> positions, GradingSettings grading, String inputVersions) {
    Columns.require(positions, "Grades.grade", List.of("force_code", "indicator_id", "kind", "period", "vs_msf", "change",
        "movement", "msf_statement", "change_statement"));
    List<GradingSettings.Rule> rules = grading.rules();
    UserDefinedFunction firstMatch = udf((UDF3<String, String, String, Integer>) (v, c, m) -> {
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i).matches(v, c, m)) {
          return i + 1;
        }
      }
      return null;
    }, DataTypes.IntegerType);
    Column grade = lit(null).cast("string");
    Column note = lit(null).cast("string");
    for (int i = rules.size() - 1; i >= 0; i--) {
      grade = when(col("rule_number").equalTo(i + 1), lit(rules.get(i).grade())).otherwise(grade);
      note = when(col("rule_number").equalTo(i + 1), lit(rules.get(i).note())).otherwise(note);
    }
    Map<String, String> areaOf = new LinkedHashMap<>();
    grading.areas().forEach(a -> a.indicators().forEach(i -> areaOf.putIfAbsent(i, a.id())));
    Column area = lit(null).cast("string");
    for (Map.Entry<String, String> e : areaOf.entrySet()) {
      area = when(col("indicator_id").equalTo(e.getKey()), lit(e.getValue())).otherwise(area);
    }
    return positions.withColumn("rule_number", firstMatch.apply(col("vs_msf"), col("change"), col("movement")))
        .withColumn("grade", grade)
        .withColumn("rule_note", note)
        .withColumn("rule_version", lit(grading.rulesVersion()))
        .withColumn("reason", concat(col("msf_statement"), lit("; "), col("change_statement")))
        .withColumn("inspection_area", area)
        .withColumn("grade_level", lit("indicator"))
        .withColumn("input_versions", lit(inputVersions));
  }

  /**
   * The grade_level (and kind) of an inspection area's roll-up: the outcome assessment from SPI evidence, which HMIC's
   * Appendix 3 makes the starting point of the area's judgement. It is not the published judgement, which HMIC
   * moderates with the inspection's evidence (silver.reference__moderated_judgements records that one).
   */
  public static final String OUTCOME_ASSESSMENT = "outcome_assessment";

  /** One row per force, inspection area and year, from its members' grades. */
  public static Dataset<Row> rollUp(Dataset<Row> grades, GradingSettings grading) {
    Columns.require(grades, "Grades.rollUp", List.of("force_code", "indicator_id", "kind", "period", "vs_msf", "change",
        "grade", "inspection_area", "rule_version", "input_versions"));
    List<String> order = new ArrayList<>();
    grading.areas().forEach(a -> order.addAll(a.indicators()));
    UserDefinedFunction summary = udf((UDF1<scala.collection.Seq<Row>, String>) members -> summarise(
        scala.collection.JavaConverters.seqAsJavaList(members), order), DataTypes.StringType);
    return grades.filter(col("inspection_area").isNotNull())
        .groupBy("force_code", "inspection_area", "period", "rule_version", "input_versions")
        .agg(collect_list(struct(col("indicator_id"), col("kind"), col("vs_msf"), col("change"))).as("_members"),
            sum(when(col("grade").equalTo("exceeding"), 1).otherwise(0)).as("_exceeding"),
            sum(when(col("grade").equalTo("failing"), 1).otherwise(0)).as("_failing"))
        .select(col("force_code"), lit(null).cast("string").as("indicator_id"), lit(OUTCOME_ASSESSMENT).as("kind"), col("period"),
            lit(null).cast("string").as("vs_msf"), lit(null).cast("string").as("change"), lit(null).cast("string").as("movement"),
            lit(null).cast("string").as("msf_statement"), lit(null).cast("string").as("change_statement"),
            lit(null).cast("int").as("rule_number"),
            when(col("_exceeding").gt(0).and(col("_failing").equalTo(0)), lit("exceeding"))
                .when(col("_failing").gt(0).and(col("_exceeding").equalTo(0)), lit("failing")).otherwise(lit("meeting")).as("grade"),
            lit("outcome assessment from SPI evidence (the starting point of HMIC's judgement, before moderation with the "
                + "inspection's evidence): exceeding where an indicator exceeds and none fails; failing where one fails and none "
                + "exceeds").as("rule_note"),
            col("rule_version"), summary.apply(col("_members")).as("reason"), col("inspection_area"),
            lit(OUTCOME_ASSESSMENT).as("grade_level"), col("input_versions"));
  }

  /**
   * "not significantly different to MSF; significantly improved compared with two years ago": one phrase
   * against the MSF average when the members agree, otherwise each phrase with its members; then the
   * change over two years.
   */
  static String summarise(List<Row> members, List<String> order) {
    List<Row> sorted = new ArrayList<>(members);
    sorted.sort(java.util.Comparator.comparingInt(r -> order.indexOf(r.getString(0))));
    Map<String, List<String>> byPhrase = new LinkedHashMap<>();
    int improved = 0;
    int deteriorated = 0;
    int unchanged = 0;
    for (Row r : sorted) {
      boolean gap = r.getString(1).equals("gap");
      String phrase = switch (r.getString(2)) {
        case "better" -> gap ? "significant gap in favour" : "significantly better than MSF";
        case "worse" -> gap ? "significant gap" : "significantly worse than MSF";
        case "same" -> gap ? "no significant gap" : "not significantly different to MSF";
        default -> "no MSF comparison";
      };
      byPhrase.computeIfAbsent(phrase, k -> new ArrayList<>()).add(r.getString(0));
      switch (r.getString(3)) {
        case "improved" -> improved++;
        case "deteriorated" -> deteriorated++;
        case "unchanged" -> unchanged++;
        default -> { }
      }
    }
    String msf = byPhrase.size() == 1 ? byPhrase.keySet().iterator().next()
        : String.join("; ", byPhrase.entrySet().stream().map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")").toList());
    String change = improved > 0 && deteriorated == 0 ? "significantly improved compared with two years ago"
        : deteriorated > 0 && improved == 0 ? "significantly deteriorated compared with two years ago"
        : improved > 0 ? "mixed changes compared with two years ago"
        : unchanged > 0 ? "unchanged compared with two years ago" : "no comparison with two years ago";
    return msf + "; " + change;
  }
}
