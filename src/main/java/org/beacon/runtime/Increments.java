package org.beacon.runtime;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What changed in a table since the version a later table was built from, told by delivery batches
 * (every landed row carries its _batch_id), so a scheduled run reprocesses only that and a full rebuild
 * would give the same rows.
 */
public final class Increments {
  private Increments() {}

  /** The batches a table gained after the given version (all of them for -1), oldest first. */
  public static List<String> batchesSince(SparkSession spark, Settings settings, TableName table, long version) {
    Dataset<Row> now = Tables.read(spark, settings, table).select("_batch_id").distinct();
    Dataset<Row> fresh = version < 0 ? now
        : now.join(Tables.read(spark, settings, table, version).select("_batch_id").distinct(), Columns.seq("_batch_id"), "left_anti");
    return fresh.orderBy("_batch_id").as(Encoders.STRING()).collectAsList();
  }

  /**
   * The financial years of the rows that batches new since the version delivered or updated, before and
   * after: a record merged again may have moved to another month. {@code batches} gives each row's batches
   * as an array (a merged record lists every delivery it was built from); {@code key} is the natural key.
   */
  public static Set<String> changedYears(SparkSession spark, Settings settings, TableName table, long version, Column batches,
      List<String> key) {
    Dataset<Row> earlier = Tables.read(spark, settings, table, version);
    Dataset<Row> touched = Tables.read(spark, settings, table).withColumn("_b", explode(batches))
        .join(earlier.select(explode(batches).as("_b")).distinct(), Columns.seq("_b"), "left_anti");
    Dataset<Row> keys = touched.select(key.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)).distinct();
    return new TreeSet<>(touched.select("financial_year").union(earlier.join(keys, Columns.seq(key.toArray(new String[0])), "left_semi")
        .select("financial_year")).distinct().as(Encoders.STRING()).collectAsList());
  }

  /** The years whose figures can change when these years' rows do: each, and the next (rolling windows, changes on the year before). */
  public static Set<String> withFollowingYears(Set<String> years) {
    Set<String> out = new TreeSet<>(years);
    years.forEach(y -> out.add(FinancialYear.label(FinancialYear.startYear(y) + 1)));
    return out;
  }

  /** A replaceWhere predicate over the financial_year column. */
  public static String yearsPredicate(Set<String> years) {
    return "financial_year IN ('" + String.join("', '", years) + "')";
  }
}
