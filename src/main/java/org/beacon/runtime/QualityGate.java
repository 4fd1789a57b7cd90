package org.beacon.runtime;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.metrics.Metric;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoublePredicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * The quality gate in front of every silver and gold table with a suite ({@link TableSpec}): before the
 * rows are written, one Deequ verification run checks completeness and uniqueness of the natural key, the
 * completeness of further columns, the row rules, and the change in row count against the rows being
 * replaced. Every constraint's outcome is appended to ops.quality_results; if one fails, the write does not
 * happen (the table keeps its published version) and the job stops with a sentence naming the table, the
 * constraint and, for a key, examples of duplicated keys. Outcomes of passed gates are kept until the job
 * ends ({@link #flush}), so a job adds one commit to ops.quality_results, not one per table; a failed gate
 * writes them at once.
 */
public final class QualityGate {
  public static final TableName RESULTS = new TableName("ops", "quality_results");
  static final StructType SCHEMA = StructType.fromDDL("checked_at TIMESTAMP, table_name STRING, scope STRING, "
      + "replaced_version BIGINT, rows_checked BIGINT, constraint_name STRING, column_names STRING, expectation STRING, "
      + "metric_value DOUBLE, status STRING, message STRING");

  /** One constraint as Beacon names it, with what its metric must satisfy. */
  private record Expectation(String name, String columns, String expectation) {}

  /** Outcomes not yet written, per lakehouse. */
  private static final Map<Path, List<Row>> PENDING = new ConcurrentHashMap<>();

  private QualityGate() {}

  /** Appends the outcomes the gates of this lakehouse recorded since the last flush to ops.quality_results. */
  public static void flush(SparkSession spark, Settings settings) {
    List<Row> rows = PENDING.remove(settings.lakehouse());
    if (rows != null && !rows.isEmpty()) {
      Tables.append(spark, settings, RESULTS, spark.createDataFrame(rows, SCHEMA));
    }
  }

  /**
   * Verifies the rows about to be written against the table's suite and records the outcome; throws when a constraint fails. The rows
   * replace the whole table (replaced "table"), those matching a predicate (replaced is the predicate), or
   * are added (replaced null: no row-count change to check). The caller should have cached the rows.
   */
  static void verify(SparkSession spark, Settings settings, TableName table, TableSpec.Suite suite, Dataset<Row> rows,
      String replaced) {
    long replacedVersion = DeltaCommits.latest(Tables.location(settings, table));
    long replacedRows = -1;
    if (replacedVersion >= 0 && replaced != null) {
      Dataset<Row> current = Tables.read(spark, settings, table);
      replacedRows = (replaced.equals("table") ? current : current.where(replaced)).count();
    }
    Settings.Quality q = settings.quality();
    List<Expectation> expectations = new ArrayList<>();
    Check check = new Check(CheckLevel.Error(), table.qualified(), Check.apply$default$3());
    String sizeExpectation;
    DoublePredicate sizeOk;
    if (replacedRows > 0) {
      double low = Math.ceil(replacedRows * (1 - q.maxRowDecrease()));
      double high = Math.floor(replacedRows * (1 + q.maxRowIncrease()));
      sizeExpectation = String.format(Locale.ROOT, "between %.0f and %.0f rows (%d replaced; beacon.quality.max-row-decrease %s, "
          + "max-row-increase %s)", low, high, replacedRows, q.maxRowDecrease(), q.maxRowIncrease());
      sizeOk = n -> n >= low && n <= high;
    } else {
      sizeExpectation = replaced == null ? "any number of rows (rows added)" : "any number of rows (nothing replaced)";
      sizeOk = n -> true;
    }
    check = check.hasSize(assertion(sizeOk), scala.Option.empty());
    expectations.add(new Expectation("row_count", "", sizeExpectation));
    for (String c : suite.completeColumns()) {
      check = check.isComplete(c, scala.Option.empty(), scala.Option.empty());
      expectations.add(new Expectation("complete", c, "no nulls"));
    }
    check = check.hasUniqueness(seq(suite.key()), assertion(u -> u == 1.0), scala.Option.empty());
    expectations.add(new Expectation("key_unique", String.join(", ", suite.key()), "every key once"));
    for (TableSpec.Rule r : suite.rules()) {
      check = check.satisfies(r.condition(), r.name(), assertion(c -> c == 1.0), scala.Option.empty(),
          JavaConverters.asScalaBuffer(List.<String>of()).toList(), scala.Option.empty());
      expectations.add(new Expectation(r.name(), "", "every row: " + r.condition()));
    }

    VerificationResult result = VerificationSuite.apply().onData(rows).addCheck(check).run();
    List<ConstraintResult> outcomes = JavaConverters.seqAsJavaList(result.checkResults().get(check).get().constraintResults());
    Timestamp now = Timestamp.from(Instant.now());
    String scope = replaced == null ? "added" : replaced;
    long checked = (long) metric(outcomes.get(0));
    List<Row> records = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      ConstraintResult o = outcomes.get(i);
      Expectation e = expectations.get(i);
      double value = metric(o);
      // Nothing to check in no rows (Deequ has no metric for an empty column): only the row count can fail.
      boolean passed = o.status().toString().equals("Success") || (checked == 0 && i > 0);
      String message = passed ? null : Double.isNaN(value)
          ? e.name() + (e.columns().isEmpty() ? "" : " of " + e.columns()) + " could not be checked: " + o.message().getOrElse(() -> "no metric")
          : failure(rows, suite, e, value, checked);
      records.add(RowFactory.create(now, table.qualified(), scope, replacedVersion < 0 ? null : replacedVersion, checked, e.name(),
          e.columns().isEmpty() ? null : e.columns(), e.expectation(), Double.isNaN(value) ? null : value,
          passed ? "passed" : "failed", message));
      if (!passed) {
        failures.add(message);
      }
    }
    PENDING.computeIfAbsent(settings.lakehouse(), k -> java.util.Collections.synchronizedList(new ArrayList<>())).addAll(records);
    if (!failures.isEmpty()) {
      flush(spark, settings);
      throw new BeaconException(table + " was not written: its quality gate failed: " + String.join("; ", failures)
          + ". The previous version stays published; every check is in " + RESULTS + ".");
    }
  }

  /** A sentence on one failed constraint; for a key, up to three keys that occur more than once. */
  private static String failure(Dataset<Row> rows, TableSpec.Suite suite, Expectation e, double value, long checked) {
    return switch (e.name()) {
      case "row_count" -> String.format(Locale.ROOT, "%d rows, expected %s", checked, e.expectation());
      case "complete" -> String.format(Locale.ROOT, "%s is empty in %.0f of %d rows", e.columns(), (1 - value) * checked, checked);
      case "key_unique" -> "the key (" + e.columns() + ") is not unique, e.g. " + String.join(" and ",
          rows.groupBy(suite.key().stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new)).count()
              .filter("count > 1").limit(3).collectAsList().stream()
              .map(r -> "[" + String.join(", ", suite.key().stream().map(k -> String.valueOf(r.<Object>getAs(k))).toList())
                  + "] " + r.getAs("count") + " times").toList());
      default -> String.format(Locale.ROOT, "%s: %.0f of %d rows do not satisfy %s", e.name(), (1 - value) * checked, checked,
          e.expectation().substring("every row: ".length()));
    };
  }

  private static double metric(ConstraintResult o) {
    if (o.metric().isEmpty() || o.metric().get().value().isFailure()) {
      return Double.NaN;
    }
    Metric<?> m = o.metric().get();
    return ((Number) m.value().get()).doubleValue();
  }

  private static scala.Function1<Object, Object> assertion(DoublePredicate test) {
    return v -> test.test(((Number) v).doubleValue());
  }

  private static scala.collection.Seq<String> seq(List<String> values) {
    return JavaConverters.asScalaBuffer(values).toSeq();
  }
}
