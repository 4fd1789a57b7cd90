package org.beacon.runtime;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A table's declared CHECK constraints ({@link TableSpec#checks}): which it lacks, adding them, and refusing rows that break them. */
final class Constraints {
  private Constraints() {}

  /** The table's CHECK constraints that it does not have yet (a constraint is a Delta table property). */
  static List<TableSpec.Check> missing(TableSpec spec, org.apache.spark.sql.delta.actions.Metadata metadata) {
    scala.collection.immutable.Map<String, String> properties = metadata.configuration();
    return spec.checks().stream().filter(c -> !properties.contains("delta.constraints." + c.name().toLowerCase())).toList();
  }

  static void add(SparkSession spark, TableName table, String path, List<TableSpec.Check> missing) {
    for (TableSpec.Check c : missing) {
      try {
        spark.sql("ALTER TABLE delta.`" + path + "` ADD CONSTRAINT " + c.name() + " CHECK (" + c.expression() + ")");
      } catch (Exception e) { // Delta's AnalysisException is a checked exception that Scala throws undeclared
        if (!String.valueOf(e.getMessage()).contains("DELTA_NEW_CHECK_CONSTRAINT_VIOLATION")) {
          throw e;
        }
        throw new BeaconException(table + " was not written: rows it already holds break the CHECK constraint " + c.name()
            + " (" + c.expression() + "), which this version of Beacon adds. A full build (without a period) replaces them.", e);
      }
    }
  }

  /**
   * Refuses rows that break a constraint the table does not enforce yet. A null result counts as broken, so the
   * check is never looser than Delta's once the constraint is added (the expressions handle nulls themselves).
   */
  static void refuseBreaking(TableName table, Dataset<Row> rows, List<TableSpec.Check> checks) {
    for (TableSpec.Check c : checks) {
      long broken = rows.filter(not(coalesce(expr(c.expression()), lit(false)))).count();
      if (broken > 0) {
        throw new BeaconException(table + " was not written: " + broken + " rows break the CHECK constraint " + c.name() + " ("
            + c.expression() + "). The previous version stays published.");
      }
    }
  }
}
