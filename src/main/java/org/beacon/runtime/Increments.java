package org.beacon.runtime;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /**
   * The batches a table gained after the given version (all of them for -1), oldest first: from the Delta log's file
   * statistics when the table was only appended to since (a delivery's cost then does not grow with the history),
   * otherwise by comparing the batches the two versions hold.
   */
  public static List<String> batchesSince(SparkSession spark, Settings settings, TableName table, long version) {
    Set<String> appended = version < 0 ? null : DeltaCommits.appendedValues(Tables.location(settings, table), version, "_batch_id");
    if (appended != null) {
      return List.copyOf(appended);
    }
    Dataset<Row> now = Tables.read(spark, settings, table).select("_batch_id").distinct();
    Dataset<Row> fresh = version < 0 ? now
        : now.join(Tables.read(spark, settings, table, version).select("_batch_id").distinct(), Columns.seq("_batch_id"), "left_anti");
    return fresh.orderBy("_batch_id").as(Encoders.STRING()).collectAsList();
  }

  /**
   * Financial years and, for a table whose rows are grouped (by force, say), the values of its group column (both
   * null otherwise): what changed, or what is read or rewritten for it. Every year of every group listed counts: a
   * year changed for one group is rebuilt for the others listed too, which only repeats rows that do not change.
   */
  public record Changes(Set<String> years, String group, Set<String> groups) {
    /** The same groups in other years. */
    public Changes inYears(Set<String> other) {
      return new Changes(other, group, groups);
    }

    /** The rows of these years (and groups). */
    public Column rows() {
      Column inYears = col("financial_year").isin(years.toArray());
      return group == null ? inYears : inYears.and(col(group).isin(groups.toArray()));
    }

    /** {@link #rows} as a replaceWhere predicate. */
    public String predicate() {
      String inYears = "financial_year IN " + literals(years);
      return group == null ? inYears : inYears + " AND " + group + " IN " + literals(groups);
    }

    private static String literals(Set<String> values) {
      return values.stream().map(Tables::literal).collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }
  }

  /**
   * The financial years (and, with a group column, the groups) of the rows that batches new since the version
   * delivered or updated, before and after: a record merged again may have moved to another month. {@code batches}
   * gives each row's batches as an array (a merged record lists every delivery it was built from); {@code key} is
   * the natural key. Of a partitioned table only the partitions that the commits since the version rewrote are
   * read, as its Delta log lists them (a month's delivery to crimes split by month reads that month's files, not
   * every year's).
   */
  public static Changes changes(SparkSession spark, Settings settings, TableName table, long version, Column batches,
      List<String> key, String group) {
    if (Tables.version(spark, settings, table) == version) {
      // Not written since (another source's delivery): nothing changed, and no Spark job is needed to say so.
      return new Changes(new TreeSet<>(), group, group == null ? null : new TreeSet<>());
    }
    Map<String, Set<String>> touched = DeltaCommits.touchedPartitions(Tables.location(settings, table), version);
    Column within = lit(true);
    if (touched != null) {
      for (Map.Entry<String, Set<String>> p : touched.entrySet()) {
        within = within.and(col(p.getKey()).isin(p.getValue().toArray()));
      }
    }
    Dataset<Row> earlier = Tables.read(spark, settings, table, version).filter(within);
    Dataset<Row> changed = Tables.read(spark, settings, table).filter(within).withColumn("_b", explode(batches))
        .join(earlier.select(explode(batches).as("_b")).distinct(), Columns.seq("_b"), "left_anti");
    Dataset<Row> keys = changed.select(key.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new)).distinct();
    Column[] slice = group == null ? new Column[] {col("financial_year")} : new Column[] {col("financial_year"), col(group)};
    List<Row> slices = changed.select(slice).union(earlier.join(keys, Columns.seq(key.toArray(new String[0])), "left_semi").select(slice))
        .distinct().collectAsList();
    Set<String> years = new TreeSet<>();
    Set<String> groups = group == null ? null : new TreeSet<>();
    for (Row r : slices) {
      years.add(r.getString(0));
      if (groups != null) {
        groups.add(String.valueOf(r.get(1)));
      }
    }
    return new Changes(years, group, groups);
  }

  /**
   * What a scheduled ingest conforms: the batches bronze gained since silver and quarantine were built
   * (each table's recorded version), their rows, and with them every earlier row sharing one of their
   * keys, so a repeated key is judged exactly as a full rebuild would judge it.
   */
  public record Delivery(List<String> forSilver, List<String> forQuarantine, Dataset<Row> fresh, Dataset<Row> related) {
    /** Every batch being conformed, for either table. */
    public Object[] batches() {
      Set<String> all = new TreeSet<>(forSilver);
      all.addAll(forQuarantine);
      return all.toArray();
    }

    /**
     * Stops the run, before anything is written, when an accepted row of the delivery lies outside the
     * period it was given (a scheduled run; without one, any date is taken), naming the first such row's file, record
     * and date.
     */
    public void requireWithin(Dataset<Row> accepted, java.util.Optional<Period> given, Column date, String dateColumn,
        TableName silver) {
      if (given.isEmpty()) {
        return;
      }
      Period period = given.get();
      List<Row> outside = accepted.filter(col("_batch_id").isin(forSilver.toArray()).and(not(period.contains(date))))
          .select(col("_source_file"), col("_source_record"), col(dateColumn)).orderBy("_source_file", "_source_record")
          .limit(1).collectAsList();
      if (!outside.isEmpty()) {
        throw new BeaconException("The delivery " + outside.get(0).get(0) + " row " + outside.get(0).get(1) + " has "
            + dateColumn + " " + outside.get(0).get(2) + ", outside " + period + ", the period this run was given; " + silver
            + " was left as it was (run the ingest without a period, or with the delivery's period).");
      }
    }
  }

  /** The delivery to conform into silver (built from bronze at silverFrom) and quarantine (at quarantineFrom). */
  public static Delivery delivery(SparkSession spark, Settings settings, TableName bronze, long silverFrom, long quarantineFrom,
      List<Column> key) {
    List<String> forSilver = batchesSince(spark, settings, bronze, silverFrom);
    List<String> forQuarantine = batchesSince(spark, settings, bronze, quarantineFrom);
    Set<String> batches = new TreeSet<>(forSilver);
    batches.addAll(forQuarantine);
    Dataset<Row> rows = Tables.read(spark, settings, bronze);
    Dataset<Row> fresh = rows.filter(col("_batch_id").isin(batches.toArray()));
    List<Column> keys = new ArrayList<>();
    Column same = lit(true);
    for (int i = 0; i < key.size(); i++) {
      keys.add(key.get(i).as("_key_" + i));
      same = same.and(key.get(i).equalTo(col("_key_" + i)));
    }
    Dataset<Row> related = fresh.unionByName(rows.filter(not(col("_batch_id").isin(batches.toArray())))
        .join(fresh.select(keys.toArray(new Column[0])).distinct(), same, "left_semi"));
    return new Delivery(forSilver, forQuarantine, fresh, related);
  }

  /** The years and the {@code n} years after each (or, for negative n, before each). */
  static Set<String> withNeighbours(Set<String> years, int n) {
    Set<String> out = new TreeSet<>(years);
    for (String y : years) {
      for (int i = 1; i <= Math.abs(n); i++) {
        out.add(FinancialYear.label(FinancialYear.startYear(y) + Integer.signum(n) * i));
      }
    }
    return out;
  }

}
