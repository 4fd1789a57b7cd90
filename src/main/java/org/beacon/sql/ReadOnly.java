package org.beacon.sql;

import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import scala.collection.JavaConverters;
import org.beacon.runtime.BeaconException;
import scala.Function1;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * The read-only guard of Beacon's SQL endpoint: a Spark session extension (listed in
 * spark.sql.extensions, so every session of the JVM, including each JDBC connection's, has it) whose
 * check rule refuses any analysed plan that would change data or the catalog while the guard is on.
 * Queries, SHOW, DESCRIBE (also Delta's DESCRIBE HISTORY and DETAIL), EXPLAIN, SET and USE pass; so do
 * time-travel reads (VERSION AS OF), which are queries. It also keeps the restricted layers (bronze and
 * quarantine: respondent ids and free text as delivered) out of every query, whether by name, by path or
 * through a view, while restrictions are set.
 */
public final class ReadOnly extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Set<String> ALLOWED = Set.of(
      "ShowTables", "ShowTablesCommand", "ShowTableExtended", "ShowNamespaces", "ShowViews", "ShowViewsCommand",
      "ShowColumns", "ShowColumnsCommand", "ShowCreateTable", "ShowCreateTableCommand", "ShowTableProperties",
      "ShowTablePropertiesCommand", "ShowPartitions", "ShowPartitionsCommand", "ShowFunctions", "ShowFunctionsCommand",
      "ShowCatalogsCommand", "ShowCurrentNamespaceCommand", "DescribeRelation", "DescribeTableCommand", "DescribeColumn",
      "DescribeColumnCommand", "DescribeNamespace", "DescribeDatabaseCommand", "DescribeFunction", "DescribeFunctionCommand",
      "DescribeQueryCommand", "DescribeDeltaHistory", "DescribeDeltaHistoryCommand", "DescribeDeltaDetailCommand",
      "ExplainCommand", "SetCommand", "ResetCommand", "SetNamespaceCommand", "SetCatalogAndNamespace", "SetCatalogCommand");
  private static volatile boolean on;
  /** Folders (URI paths ending in /) whose files no client session may read; empty: none. */
  private static volatile List<String> restricted = List.of();
  /** The serving process's own session, which reads every layer (Beacon's code, not a client's queries). */
  private static volatile SparkSession owner;

  /** Turns the guard on or off for every session of this JVM. */
  public static void enable(boolean enabled) {
    on = enabled;
  }

  public static boolean isOn() {
    return on;
  }

  /**
   * Refuses, in every session of this JVM but the owner's (each JDBC connection gets a session of its own),
   * queries that read files under these folders; an empty list lifts it.
   */
  public static void restrict(List<java.nio.file.Path> folders, SparkSession ownerSession) {
    owner = ownerSession;
    restricted = folders.stream().map(f -> f.toAbsolutePath().normalize().toUri().getPath())
        .map(p -> p.endsWith("/") ? p : p + "/").toList();
  }

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    extensions.injectCheckRule(new AbstractFunction1<SparkSession, Function1<LogicalPlan, BoxedUnit>>() {
      @Override
      public Function1<LogicalPlan, BoxedUnit> apply(SparkSession session) {
        return new AbstractFunction1<LogicalPlan, BoxedUnit>() {
          @Override
          public BoxedUnit apply(LogicalPlan plan) {
            check(plan, session);
            return BoxedUnit.UNIT;
          }
        };
      }
    });
    return BoxedUnit.UNIT;
  }

  /** Throws when the plan reads a restricted folder in a client's session, or is not a read while the guard is on. */
  static void check(LogicalPlan plan, SparkSession session) {
    List<String> folders = restricted;
    if (!folders.isEmpty() && session != owner) {
      scala.Option<LogicalPlan> read = plan.find(new AbstractFunction1<LogicalPlan, Object>() {
        @Override
        public Object apply(LogicalPlan node) {
          return node instanceof LogicalRelation r && r.relation() instanceof HadoopFsRelation fs
              && JavaConverters.seqAsJavaList(fs.location().rootPaths()).stream()
                  .map(p -> p.toUri().getPath() + "/").anyMatch(p -> folders.stream().anyMatch(p::startsWith));
        }
      });
      if (read.isDefined()) {
        throw new BeaconException("Beacon's SQL endpoint does not serve the bronze and quarantine layers: they hold respondent "
            + "ids and free text as delivered. Query silver (pseudonymised), gold and ops.");
      }
    }
    if (!on) {
      return;
    }
    scala.Option<LogicalPlan> refused = plan.find(new AbstractFunction1<LogicalPlan, Object>() {
      @Override
      public Object apply(LogicalPlan node) {
        return node instanceof InsertIntoStatement || (node instanceof Command && !ALLOWED.contains(node.getClass().getSimpleName()));
      }
    });
    if (refused.isDefined()) {
      throw new BeaconException("Beacon's SQL endpoint is read-only: " + refused.get().nodeName() + " is refused; SELECT, "
          + "SHOW, DESCRIBE, EXPLAIN and time-travel reads (VERSION AS OF) run. Change data with the Beacon jobs.");
    }
  }
}
