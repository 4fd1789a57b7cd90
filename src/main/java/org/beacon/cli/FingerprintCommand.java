package org.beacon.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.beacon.ops.JobRuns;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/**
 * `beacon fingerprint`: per silver and gold table, its rows and a hash over every row and column that does not
 * record when or from which delivery or table version it was built, so two lakehouses built from the same data
 * by different code (a performance change) can be shown to hold the same figures. The hash is the sum of each
 * row's 64-bit xxHash, so it does not depend on the order of rows or files.
 */
final class FingerprintCommand extends Command {
  /** Lineage columns: delivery batches and table versions, which differ between two builds of the same data. */
  private static final Set<String> LINEAGE = Set.of("_batch_id", "_deliveries", "source_version", "input_versions",
      "delta_versions", "tables_written");

  FingerprintCommand() {
    super("fingerprint", false, List.of(Option.FORMAT),
        "fingerprint [--format table|csv]                          per silver and gold table: rows and a hash of its",
        "         figures (batch, time and version columns aside), to show two builds hold the same");
  }

  @Override
  int run(Args args, Settings settings) {
    Jobs.withSpark(settings, spark -> print(spark, settings, args.format(), System.out));
    return 0;
  }

  static void print(SparkSession spark, Settings settings, String format, PrintStream out) {
    List<List<Object>> rows = new ArrayList<>();
    for (String qualified : JobRuns.versions(settings).keySet()) {
      TableName table = TableName.parse(qualified);
      if (table.layer().equals("silver") || table.layer().equals("gold")) {
        Dataset<Row> data = Tables.read(spark, settings, table);
        List<Column> hashed = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (StructField f : data.schema().fields()) {
          boolean time = f.dataType().equals(DataTypes.TimestampType) && f.name().endsWith("_at");
          if (time || LINEAGE.contains(f.name())) {
            left.add(f.name());
          } else {
            hashed.add(col("`" + f.name() + "`"));
          }
        }
        hashed.add(0, lit(qualified));
        Row r = data.agg(count(lit(1)), sum(xxhash64(hashed.toArray(new Column[0])).cast("decimal(38,0)"))).first();
        rows.add(List.of(qualified, r.getLong(0), r.isNullAt(1) ? "0" : r.getDecimal(1).toPlainString(), String.join(" ", left)));
      }
    }
    Output.print(out, format, List.of("table", "rows", "hash", "columns_left_out"), rows);
  }
}
