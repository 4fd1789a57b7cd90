package org.beacon.survey;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.beacon.runtime.Columns;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.LandingFiles;
import org.beacon.runtime.Pseudonyms;

/**
 * Pure transforms from a survey's bronze rows (strings as delivered) to silver, driven by the source's
 * configuration: types, answer codes, geography, pseudonymised ids. A row that fails any check gets a
 * reason naming the field and value; later deliveries of a natural key go to quarantine as duplicates.
 */
public final class SurveyConform {
  public static final String REASON = "_reject_reason";
  static final List<String> LINEAGE = List.of("_source_file", "_source_record", "_batch_id", "_ingested_at");
  static final List<String> GEOGRAPHY = List.of("neighbourhood_code", "sector_code", "ocu_code", "force_code");

  private SurveyConform() {}

  /** Geography columns a source gets from its area column: its own level and every level above. */
  static List<String> geographyColumns(SurveySource source) {
    return GEOGRAPHY.subList(SurveySource.AREA_LEVELS.indexOf(source.areaLevel()), GEOGRAPHY.size());
  }

  /** Adds {@value #REASON} (null when the row is valid) and the typed silver columns. */
  public static Dataset<Row> withValidation(Dataset<Row> bronze, Dataset<Row> geography, SurveySource source, String pseudonymKey) {
    List<String> needed = new ArrayList<>(source.columns());
    needed.addAll(LINEAGE);
    needed.add("_corrupt_record");
    Columns.require(bronze, "SurveyConform.withValidation", needed);
    Columns.require(geography, "SurveyConform.withValidation (geography)", GEOGRAPHY);
    List<String> geoColumns = geographyColumns(source);
    String areaCode = geoColumns.get(0);
    List<Column> geoSelect = new ArrayList<>();
    geoSelect.add(col(areaCode).as("_geo_area"));
    geoColumns.subList(1, geoColumns.size()).forEach(g -> geoSelect.add(col(g).as("_geo_" + g)));
    Dataset<Row> geo = geography.select(geoSelect.toArray(new Column[0])).distinct();
    Dataset<Row> joined = bronze.join(broadcast(geo), trim(col(source.areaColumn())).equalTo(col("_geo_area")), "left");

    // Derived values, by silver name.
    Map<String, Column> derived = new LinkedHashMap<>();
    derived.put(areaCode, trim(col(source.areaColumn())));
    geoColumns.subList(1, geoColumns.size()).forEach(g -> derived.put(g, col("_geo_" + g)));
    Column date = to_date(trim(col(source.dateColumn())), "yyyy-MM-dd");
    Column fy = FinancialYear.labelOf(date);
    Column quarter = floor(pmod(month(date).plus(8), lit(12)).divide(3)).plus(1).cast("int");
    derived.put("financial_year", fy);
    derived.put("quarter", quarter);
    derived.put("wave", concat(fy, lit(" Q"), quarter.cast("string")));

    List<Column> checks = new ArrayList<>();
    checks.add(LandingFiles.unreadable(source.columns()));
    for (String k : source.key()) {
      checks.add(when(col(k).isNull().or(trim(col(k)).equalTo("")), lit(k + ": missing")));
    }
    checks.add(when(date.isNull(), concat(lit(source.dateColumn() + ": '"), coalesce(col(source.dateColumn()), lit("")),
        lit("' is not a date (yyyy-MM-dd)"))));
    checks.add(when(col("_geo_area").isNull(), concat(lit(source.areaColumn() + ": unknown code '"),
        coalesce(col(source.areaColumn()), lit("")), lit("'"))));
    source.codes().forEach((c, allowed) -> checks.add(when(not(trim(coalesce(col(c), lit(""))).isin(allowed.toArray())),
        concat(lit(c + ": '"), coalesce(col(c), lit("")), lit("' is not a known code")))));
    source.booleans().keySet().forEach(c -> checks.add(when(boolValue(c).isNull(),
        concat(lit(c + ": '"), coalesce(col(c), lit("")), lit("' is not yes/no or true/false")))));
    source.numbers().forEach(c -> checks.add(when(trim(col(c)).cast("double").isNull().or(trim(col(c)).cast("double").lt(0)),
        concat(lit(c + ": '"), coalesce(col(c), lit("")), lit("' is not a non-negative number")))));
    source.dates().forEach(c -> checks.add(when(to_date(trim(col(c)), "yyyy-MM-dd").isNull(),
        concat(lit(c + ": '"), coalesce(col(c), lit("")), lit("' is not a date (yyyy-MM-dd)")))));
    source.questionScales().forEach((q, scale) -> checks.add(when(col(q).isNotNull().and(trim(col(q)).notEqual(""))
        .and(not(trim(col(q)).isin(scale.keySet().toArray()))), concat(lit(q + ": '"), col(q), lit("' is not an answer on its scale")))));
    for (String c : collisions(source, derived.keySet())) {
      // Checked only where the value it is compared with exists (the area and date checks report the rest).
      checks.add(when(derived.get(c).isNotNull().and(not(trim(col(c)).equalTo(derived.get(c).cast("string")))),
          concat(lit(c + ": '"), coalesce(col(c), lit("")), lit("' does not match "), derived.get(c).cast("string"),
              lit(" from " + (c.equals("financial_year") || c.equals("quarter") ? source.dateColumn() : source.areaColumn())))));
    }
    Column reason = concat_ws("; ", checks.toArray(new Column[0]));
    Dataset<Row> checked = joined.withColumn(REASON, when(reason.equalTo(""), lit(null)).otherwise(reason));

    // Later deliveries of an accepted key are duplicates: valid rows sort first, then by arrival.
    Column[] keyColumns = source.key().stream().map(k -> trim(col(k))).toArray(Column[]::new);
    var byKey = Window.partitionBy(keyColumns)
        .orderBy(col(REASON).isNotNull(), col("_ingested_at"), col("_source_file"), col("_source_record"));
    var wholeGroup = byKey.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Dataset<Row> deduped = checked.withColumn(REASON, when(col(REASON).isNull().and(row_number().over(byKey).gt(1)),
        concat(lit(String.join(", ", source.key()) + ": duplicate of "), first(col("_source_file")).over(wholeGroup),
            lit(" record "), first(col("_source_record")).over(wholeGroup).cast("string")))
        .otherwise(col(REASON)));

    List<Column> silver = new ArrayList<>();
    for (String p : source.pseudonymise()) {
      silver.add(Pseudonyms.of(col(p), pseudonymKey).as(SurveySource.pseudonymName(p)));
    }
    silver.add(date.as(source.dateColumn()));
    derived.forEach((name, value) -> silver.add(value.as(name)));
    for (Map.Entry<String, List<String>> e : source.codes().entrySet()) {
      silver.add(trim(col(e.getKey())).as(e.getKey()));
      if (e.getKey().equals("ethnic_group")) {
        silver.add(ethnicGroup5().as("ethnic_group_5"));
        silver.add(when(ethnicGroup5().equalTo("White"), lit("White"))
            .when(ethnicGroup5().equalTo(Demographics.NOT_STATED), lit(Demographics.NOT_STATED))
            .otherwise(lit("Minority ethnic")).as("ethnic_minority"));
      }
    }
    source.booleans().forEach((c, name) -> silver.add(boolValue(c).as(name)));
    source.numbers().forEach(c -> silver.add(trim(col(c)).cast("double").as(c)));
    source.dates().forEach(c -> silver.add(to_date(trim(col(c)), "yyyy-MM-dd").as(c)));
    for (String c : carried(source, derived.keySet())) {
      silver.add(trim(col(c)).as(c));
    }
    for (Map.Entry<String, Map<String, String>> q : source.questionScales().entrySet()) {
      Column code = lit(null).cast("string");
      for (Map.Entry<String, String> label : q.getValue().entrySet()) {
        code = when(trim(col(q.getKey())).equalTo(label.getKey()), lit(label.getValue())).otherwise(code);
      }
      silver.add(code.as(q.getKey()));
    }
    LINEAGE.forEach(c -> silver.add(col(c)));
    silver.add(col(REASON));
    return deduped.select(silver.toArray(new Column[0]));
  }

  /** Delivered columns named like a derived column: they must agree with it. */
  private static List<String> collisions(SurveySource source, Set<String> derived) {
    return source.columns().stream().filter(c -> derived.contains(c) && !c.equals(source.areaColumn())).toList();
  }

  /** Delivered columns that silver keeps as trimmed text: everything not typed, derived, pseudonymised or free text. */
  private static List<String> carried(SurveySource source, Set<String> derived) {
    Set<String> used = new LinkedHashSet<>(derived);
    used.addAll(source.freeText());
    used.addAll(source.pseudonymise());
    used.add(source.dateColumn());
    used.add(source.areaColumn());
    used.addAll(source.codes().keySet());
    used.addAll(source.booleans().keySet());
    used.addAll(source.numbers());
    used.addAll(source.dates());
    used.addAll(source.questionScales().keySet());
    return source.columns().stream().filter(c -> !used.contains(c)).toList();
  }

  private static Column boolValue(String c) {
    Column v = lower(trim(col(c)));
    return when(v.isin("yes", "true"), lit(true)).when(v.isin("no", "false"), lit(false));
  }

  private static Column ethnicGroup5() {
    Column group = lit(Demographics.NOT_STATED);
    for (Map.Entry<String, List<String>> e : Demographics.ETHNIC_GROUPS.entrySet()) {
      group = when(trim(col("ethnic_group")).isin(e.getValue().toArray()), lit(e.getKey())).otherwise(group);
    }
    return group;
  }

  /** The quarantine view of bronze rows: as delivered, free text removed, with the reason. */
  public static Dataset<Row> quarantined(Dataset<Row> bronze, Dataset<Row> validated, SurveySource source) {
    // A delivery is a file and its batch: the same file name can arrive again with new content.
    Dataset<Row> reasons = validated.filter(col(REASON).isNotNull()).select(col("_source_file").as("_q_file"),
        col("_source_record").as("_q_record"), col("_batch_id").as("_q_batch"), col(REASON).as("reason"));
    List<Column> keep = new ArrayList<>();
    for (String c : source.columns()) {
      if (!source.freeText().contains(c)) {
        keep.add(col(c));
      }
    }
    keep.add(col("_corrupt_record").isNotNull().as("is_malformed"));
    LINEAGE.forEach(c -> keep.add(col(c)));
    keep.add(col("reason"));
    return bronze.join(reasons, col("_source_file").equalTo(col("_q_file")).and(col("_source_record").equalTo(col("_q_record")))
            .and(col("_batch_id").equalTo(col("_q_batch"))))
        .select(keep.toArray(new Column[0]));
  }

  public static Dataset<Row> accepted(Dataset<Row> validated) {
    return validated.filter(col(REASON).isNull()).drop(REASON);
  }
}
