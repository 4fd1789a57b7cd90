package org.beacon.survey;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.beacon.runtime.Columns;

/**
 * Pure transforms from bronze FTD rows (strings as delivered) to silver: types, codes, geography,
 * pseudonymised ids. A row that fails any check gets a reason naming the field and value; duplicates of
 * a respondent id keep the first delivery and send later ones to quarantine.
 */
public final class FtdConform {
  public static final String REASON = "_reject_reason";
  static final List<String> LINEAGE = List.of("_source_file", "_source_record", "_batch_id", "_ingested_at");

  private FtdConform() {}

  /** Adds {@value #REASON} (null when the row is valid) and the typed silver columns. */
  public static Dataset<Row> withValidation(Dataset<Row> bronze, Dataset<Row> geography, SurveySource source, String salt) {
    List<String> needed = new ArrayList<>(source.columns());
    needed.addAll(LINEAGE);
    needed.add("_corrupt_record");
    Columns.require(bronze, "FtdConform.withValidation", needed);
    Columns.require(geography, "FtdConform.withValidation (geography)",
        List.of("neighbourhood_code", "sector_code", "ocu_code", "force_code"));
    Dataset<Row> geo = geography.select(col("neighbourhood_code").as("_geo_neighbourhood"), col("sector_code"),
        col("ocu_code"), col("force_code"));
    Dataset<Row> joined = bronze.join(broadcast(geo), trim(col("neighbourhood_code")).equalTo(col("_geo_neighbourhood")), "left");

    List<Column> checks = new ArrayList<>();
    checks.add(when(col("_corrupt_record").isNotNull(),
        lit("row: malformed CSV (wrong number of fields or broken quoting)")));
    checks.add(when(blank("respondent_id"), lit("respondent_id: missing")));
    Column date = to_date(trim(col("interview_date")), "yyyy-MM-dd");
    checks.add(when(date.isNull(), concat(lit("interview_date: '"), coalesce(col("interview_date"), lit("")),
        lit("' is not a date (yyyy-MM-dd)"))));
    checks.add(when(col("_geo_neighbourhood").isNull(), concat(lit("neighbourhood_code: unknown code '"),
        coalesce(col("neighbourhood_code"), lit("")), lit("'"))));
    checks.add(codeCheck("age_band", Demographics.AGE_BANDS));
    checks.add(codeCheck("sex", Demographics.SEXES));
    List<String> ethnic = new ArrayList<>();
    Demographics.ETHNIC_GROUPS.values().forEach(ethnic::addAll);
    ethnic.add(Demographics.NOT_STATED);
    checks.add(codeCheck("ethnic_group", ethnic));
    checks.add(codeCheck("disability", Demographics.YES_NO));
    checks.add(codeCheck("religion", Demographics.RELIGIONS));
    for (Map.Entry<String, Map<String, String>> q : source.questionScales().entrySet()) {
      Column value = col(q.getKey());
      checks.add(when(value.isNotNull().and(trim(value).notEqual("")).and(not(trim(value).isin(q.getValue().keySet().toArray()))),
          concat(lit(q.getKey() + ": '"), value, lit("' is not an answer on its scale"))));
    }
    Column reason = concat_ws("; ", checks.toArray(new Column[0]));
    Dataset<Row> checked = joined.withColumn(REASON, when(reason.equalTo(""), lit(null)).otherwise(reason));

    // Later deliveries of an accepted respondent id are duplicates: valid rows sort first, then by arrival.
    var byId = Window.partitionBy(trim(col("respondent_id")))
        .orderBy(col(REASON).isNotNull(), col("_ingested_at"), col("_source_file"), col("_source_record"));
    var wholeGroup = byId.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Dataset<Row> deduped = checked
        .withColumn(REASON, when(col(REASON).isNull().and(row_number().over(byId).gt(1)),
            concat(lit("respondent_id: duplicate of "), first(col("_source_file")).over(wholeGroup), lit(" record "),
                first(col("_source_record")).over(wholeGroup).cast("string")))
            .otherwise(col(REASON)));

    List<Column> silver = new ArrayList<>();
    silver.add(sha2(concat(lit(salt), trim(col("respondent_id"))), 256).as("respondent_key"));
    silver.add(date.as("interview_date"));
    Column fyStart = when(month(date).geq(4), year(date)).otherwise(year(date).minus(1));
    Column fy = concat(fyStart.cast("string"), lit("/"), lpad(pmod(fyStart.plus(1), lit(100)).cast("string"), 2, "0"));
    silver.add(fy.as("financial_year"));
    Column quarter = floor(pmod(month(date).plus(8), lit(12)).divide(3)).plus(1).cast("int");
    silver.add(quarter.as("quarter"));
    silver.add(concat(fy, lit(" Q"), quarter.cast("string")).as("wave"));
    silver.add(col("force_code"));
    silver.add(col("ocu_code"));
    silver.add(col("sector_code"));
    silver.add(trim(col("neighbourhood_code")).as("neighbourhood_code"));
    silver.add(trim(col("age_band")).as("age_band"));
    silver.add(trim(col("sex")).as("sex"));
    silver.add(trim(col("ethnic_group")).as("ethnic_group"));
    Column group = lit(Demographics.NOT_STATED);
    for (Map.Entry<String, List<String>> e : Demographics.ETHNIC_GROUPS.entrySet()) {
      group = when(trim(col("ethnic_group")).isin(e.getValue().toArray()), lit(e.getKey())).otherwise(group);
    }
    silver.add(group.as("ethnic_group_5"));
    silver.add(trim(col("disability")).equalTo("Yes").as("is_disabled"));
    silver.add(trim(col("religion")).as("religion"));
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

  /** The quarantine view of bronze rows: as delivered, free text removed, with the reason. */
  public static Dataset<Row> quarantined(Dataset<Row> bronze, Dataset<Row> validated, SurveySource source) {
    Dataset<Row> reasons = validated.filter(col(REASON).isNotNull()).select(col("_source_file").as("_q_file"),
        col("_source_record").as("_q_record"), col(REASON).as("reason"));
    List<Column> keep = new ArrayList<>();
    for (String c : source.columns()) {
      if (!source.freeText().contains(c)) {
        keep.add(col(c));
      }
    }
    keep.add(col("_corrupt_record").isNotNull().as("is_malformed"));
    LINEAGE.forEach(c -> keep.add(col(c)));
    keep.add(col("reason"));
    return bronze.join(reasons, col("_source_file").equalTo(col("_q_file")).and(col("_source_record").equalTo(col("_q_record"))))
        .select(keep.toArray(new Column[0]));
  }

  public static Dataset<Row> accepted(Dataset<Row> validated) {
    return validated.filter(col(REASON).isNull()).drop(REASON);
  }

  private static Column blank(String column) {
    return col(column).isNull().or(trim(col(column)).equalTo(""));
  }

  private static Column codeCheck(String column, List<String> allowed) {
    return when(not(trim(coalesce(col(column), lit(""))).isin(allowed.toArray())),
        concat(lit(column + ": '"), coalesce(col(column), lit("")), lit("' is not a known code")));
  }
}
