package org.beacon.sql;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.analysis.ResolvedTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.HiveTableRelation;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.InputFileBlockLength;
import org.apache.spark.sql.catalyst.expressions.InputFileBlockStart;
import org.apache.spark.sql.catalyst.expressions.InputFileName;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LeafNode;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ScriptTransformation;
import org.apache.spark.sql.catalyst.rules.Rule;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.V1Table;
import org.apache.spark.sql.delta.catalog.DeltaTableV2;
import org.apache.spark.sql.execution.command.SetCommand;
import org.apache.spark.sql.execution.datasources.DataSource;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.apache.spark.sql.hive.HiveGenericUDF;
import org.apache.spark.sql.hive.HiveGenericUDTF;
import org.apache.spark.sql.hive.HiveSimpleUDF;
import org.apache.spark.sql.hive.HiveUDAFFunction;
import org.beacon.runtime.BeaconException;
import scala.Function1;
import scala.Option;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The guard of Beacon's SQL endpoint: a Spark session extension (listed in spark.sql.extensions, so every
 * session of the JVM has it, each JDBC connection's included) that holds a client to least privilege while
 * an endpoint serves. Its rules work on what Spark has parsed and analysed, never on the query's text, so
 * aliases, views, CTEs, subqueries and unions cannot route around them:
 * <ul>
 *   <li>every relation a client's plan reads is a table of the catalog whose files lie in a served layer's
 *   folder: no file by path (text.`/etc/passwd`, delta.`…`), no table over a folder elsewhere, nothing of
 *   the restricted layers (bronze, quarantine) by name, path or view; any other kind of leaf is refused;</li>
 *   <li>no expression or operator that reaches the server's JVM, files or shell (reflect, java_method,
 *   input_file_name, Hive UDFs, TRANSFORM … USING), and no command that loads or lists server files or
 *   creates functions (ADD JAR/FILE/ARCHIVE, LIST, CREATE FUNCTION, CREATE TEMPORARY VIEW … USING, LOAD DATA);</li>
 *   <li>SET only of the allowed client settings; a session whose settings were changed another way (a
 *   JDBC URL's hiveconf) is refused before its statement is parsed;</li>
 *   <li>while read-only, nothing that changes data or the catalog.</li>
 * </ul>
 * Before each statement of a client is parsed, variable substitution (${env:X}, ${system:X}, which would read
 * the server's environment, the pseudonym key's variable included) and SQL on files are switched off in its
 * session: GUARD_SETTINGS.
 */
public final class EndpointGuard extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The settings every client session runs with, whatever it asked for. */
  static final Map<String, String> GUARD_SETTINGS = Map.of("spark.sql.variable.substitute", "false", "spark.sql.runSQLOnFiles", "false");
  /** Settings every connection gets from Spark's Thrift server or the Hive JDBC driver itself. */
  private static final Set<String> PROTOCOL_SETTINGS = Set.of("spark.sql.datetime.java8API.enabled",
      "hive.server2.thrift.resultset.default.fetch.size");
  private static final Set<String> READS = Set.of(
      "ShowTables", "ShowTablesCommand", "ShowTableExtended", "ShowNamespaces", "ShowViews", "ShowViewsCommand",
      "ShowColumns", "ShowColumnsCommand", "ShowCreateTable", "ShowCreateTableCommand", "ShowTableProperties",
      "ShowTablePropertiesCommand", "ShowPartitions", "ShowPartitionsCommand", "ShowFunctions", "ShowFunctionsCommand",
      "ShowCatalogsCommand", "ShowCurrentNamespaceCommand", "DescribeRelation", "DescribeTableCommand", "DescribeColumn",
      "DescribeColumnCommand", "DescribeNamespace", "DescribeDatabaseCommand", "DescribeFunction", "DescribeFunctionCommand",
      "DescribeQueryCommand", "DescribeDeltaHistory", "DescribeDeltaHistoryCommand", "DescribeDeltaDetailCommand",
      "ExplainCommand", "SetCommand", "ResetCommand", "SetNamespaceCommand", "SetCatalogAndNamespace", "SetCatalogCommand");
  /** Commands that reach the server's files or class path, refused even where the endpoint is not read-only. */
  private static final Set<String> SERVER_COMMANDS = Set.of("AddJarsCommand", "AddFilesCommand", "AddArchivesCommand",
      "ListFilesCommand", "ListJarsCommand", "ListArchivesCommand", "CreateFunctionCommand", "CreateFunction",
      "RefreshFunctionCommand", "CreateTempViewUsing", "LoadDataCommand", "InsertIntoDataSourceDirCommand",
      "InsertIntoHiveDirCommand");
  /**
   * Leaves that read no table: literal rows, range(), CTE references, namespaces, functions, and rows Spark
   * already holds (LogicalRDD: Delta's cached log state, read in the client's session; SQL cannot make one).
   */
  private static final Set<String> HARMLESS_LEAVES = Set.of("LocalRelation", "OneRowRelation", "Range", "CTERelationRef",
      "ResolvedNamespace", "ResolvedNonPersistentFunc", "ResolvedPersistentFunc", "LogicalRDD");
  /** How every refusal of the guard begins: what a client tells a refusal from any other failure by. */
  public static final String REFUSAL = "Beacon's SQL endpoint ";
  private static final String SERVER = REFUSAL + "does not let a client reach the server's JVM, files or network: ";

  /** What the endpoint allows while it serves; null while none does in this JVM. */
  record Policy(SparkSession owner, boolean readOnly, List<String> servedFolders, List<String> restrictedFolders,
      Set<String> clientSettings, Map<String, Set<String>> baseline) {}

  private static volatile Policy policy;
  /** Client sessions already given Beacon's SQL functions (weakly held: a closed connection's session goes). */
  private static final Set<SparkSession> PREPARED = java.util.Collections.synchronizedSet(
      java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

  /**
   * Holds every session of this JVM but the owner's (Beacon's own code) to these rules: clients read the tables
   * under the served layer folders, never the restricted ones, and change only the client settings. A setting's
   * baseline values are a new session's and the owner's (Delta sets a few in a session as it reads).
   */
  static void serve(SparkSession owner, boolean readOnly, List<java.nio.file.Path> served, List<java.nio.file.Path> restricted,
      List<String> clientSettings) {
    Map<String, Set<String>> baseline = new java.util.HashMap<>();
    for (SparkSession s : List.of(owner.newSession(), owner)) {
      JavaConverters.mapAsJavaMap(s.conf().getAll()).forEach((k, v) -> baseline.computeIfAbsent(k, x -> new java.util.HashSet<>()).add(v));
    }
    policy = new Policy(owner, readOnly, folders(served), folders(restricted), Set.copyOf(clientSettings), Map.copyOf(baseline));
  }

  /** Lifts every rule: no endpoint serves. */
  static void stop() {
    policy = null;
  }

  public static boolean isOn() {
    return policy != null;
  }

  private static List<String> folders(List<java.nio.file.Path> paths) {
    return paths.stream().map(f -> f.toAbsolutePath().normalize().toUri().getPath()).map(p -> p.endsWith("/") ? p : p + "/").toList();
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
    extensions.injectResolutionRule(new AbstractFunction1<SparkSession, Rule<LogicalPlan>>() {
      @Override
      public Rule<LogicalPlan> apply(SparkSession session) {
        return new Rule<LogicalPlan>() {
          @Override
          public LogicalPlan apply(LogicalPlan plan) {
            refuseFileReferences(plan, session);
            return plan;
          }
        };
      }
    });
    extensions.injectParser(new AbstractFunction2<SparkSession, ParserInterface, ParserInterface>() {
      @Override
      public ParserInterface apply(SparkSession session, ParserInterface delegate) {
        return new GuardedParser(session, delegate);
      }
    });
    return BoxedUnit.UNIT;
  }

  /** The policy that holds this session, or null for the owner's session and while no endpoint serves. */
  private static Policy client(SparkSession session) {
    Policy p = policy;
    return p == null || session == p.owner() ? null : p;
  }

  /**
   * Before a client's statement is parsed: refuses a session whose settings differ from a new session's outside
   * the allowed ones (however they were changed), then switches variable substitution and SQL on files off, and
   * on a session's first statement registers Beacon's SQL functions in it.
   * Hive copies the server's own hive.* system properties (its authentication) into every session: not a change.
   */
  static void beforeParsing(SparkSession session) {
    Policy p = client(session);
    if (p == null) {
      return;
    }
    Set<String> changed = new TreeSet<>();
    JavaConverters.mapAsJavaMap(session.conf().getAll()).forEach((key, value) -> {
      if (!GUARD_SETTINGS.containsKey(key) && !PROTOCOL_SETTINGS.contains(key) && !p.clientSettings().contains(key)
          && !p.baseline().getOrDefault(key, Set.of()).contains(value) && !value.equals(System.getProperty(key))) {
        changed.add(key);
      }
    });
    if (!changed.isEmpty()) {
      throw new BeaconException(REFUSAL + "refuses this connection's statements: it changed the setting(s) " + changed
          + ", and a client may change only " + new TreeSet<>(p.clientSettings()) + ".");
    }
    GUARD_SETTINGS.forEach((key, value) -> session.conf().set(key, value));
    // A client's session is new (Spark's Thrift server makes one per connection): give it Beacon's SQL functions,
    // pure statistics (wilson_lower, kish_neff, …), as every Beacon session has them.
    if (PREPARED.add(session)) {
      org.beacon.runtime.SqlFunctions.register(session);
    }
  }

  /**
   * Names `format`.`path` (text.`/etc/passwd`) for what they are: with SQL on files off they stay unresolved,
   * and Spark alone would call them a missing table. The analyser calls this on every subquery and CTE too.
   */
  static void refuseFileReferences(LogicalPlan plan, SparkSession session) {
    if (client(session) == null) {
      return;
    }
    plan.foreach(new AbstractFunction1<LogicalPlan, BoxedUnit>() {
      @Override
      public BoxedUnit apply(LogicalPlan node) {
        if (node instanceof UnresolvedRelation u && u.multipartIdentifier().size() == 2
            && !session.sessionState().catalog().databaseExists(u.multipartIdentifier().head()) && isFormat(u.multipartIdentifier().head(), session)) {
          throw pathRead();
        }
        return BoxedUnit.UNIT;
      }
    });
  }

  private static boolean isFormat(String name, SparkSession session) {
    try {
      DataSource.lookupDataSource(name, session.sessionState().conf());
      return true;
    } catch (Exception e) { // Spark's AnalysisException (checked in Java's eyes): no such data source
      return false;
    }
  }

  /** Throws, with one sentence, when a client's analysed plan does what the policy refuses. */
  static void check(LogicalPlan plan, SparkSession session) {
    Policy p = client(session);
    if (p != null) {
      visit(plan, p);
    }
  }

  private static void visit(LogicalPlan node, Policy p) {
    String name = node.getClass().getSimpleName();
    if (SERVER_COMMANDS.contains(name) || node instanceof ScriptTransformation) {
      throw new BeaconException(SERVER + node.nodeName() + " is refused.");
    }
    if (p.readOnly() && (node instanceof InsertIntoStatement || (node instanceof Command && !READS.contains(name)))) {
      throw new BeaconException(REFUSAL + "is read-only: " + node.nodeName() + " is refused; SELECT, "
          + "SHOW, DESCRIBE, EXPLAIN and time-travel reads (VERSION AS OF) run. Change data with the Beacon jobs.");
    }
    if (node instanceof SetCommand set && set.kv().isDefined() && set.kv().get()._2().isDefined()
        && !p.clientSettings().contains(set.kv().get()._1())) {
      throw new BeaconException(REFUSAL + "lets a client set only " + new TreeSet<>(p.clientSettings()) + ", not "
          + set.kv().get()._1() + ".");
    }
    if (node instanceof LeafNode && !(node instanceof Command)) {
      checkLeaf(node, p);
    }
    // Delta's commands (DESCRIBE HISTORY, DETAIL) hold the table they describe as a field, not a child.
    if (node instanceof Command) {
      JavaConverters.asJavaIterator(node.productIterator()).forEachRemaining(field -> {
        if (field instanceof DeltaTableV2 delta) {
          checkTable(delta.catalogTable(), new ArrayList<>(), p);
        }
      });
    }
    for (Expression e : JavaConverters.seqAsJavaList(node.expressions())) {
      visit(e, p);
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(node.children())) {
      visit(child, p);
    }
  }

  private static void visit(Expression e, Policy p) {
    String function = e instanceof CallMethodViaReflection r ? r.prettyName()
        : e instanceof InputFileName || e instanceof InputFileBlockStart || e instanceof InputFileBlockLength ? e.prettyName()
        : e instanceof HiveSimpleUDF || e instanceof HiveGenericUDF || e instanceof HiveGenericUDTF || e instanceof HiveUDAFFunction
            ? "the Hive function " + e.prettyName() : null;
    if (function != null) {
      throw new BeaconException(SERVER + function + " is refused.");
    }
    if (e instanceof SubqueryExpression s) {
      visit(s.plan(), p);
    }
    for (Expression child : JavaConverters.seqAsJavaList(e.children())) {
      visit(child, p);
    }
  }

  /**
   * A leaf reads a served table of the catalog, or nothing at all. A file relation without a catalog table is
   * let through only inside the served layers' folders: clients cannot name paths (SQL on files is off), but
   * Delta reads a table's log that way in the client's session.
   */
  private static void checkLeaf(LogicalPlan leaf, Policy p) {
    Option<CatalogTable> table;
    List<String> roots = new ArrayList<>();
    if (leaf instanceof LogicalRelation r) {
      table = r.catalogTable();
      if (r.relation() instanceof HadoopFsRelation fs) {
        JavaConverters.seqAsJavaList(fs.location().rootPaths()).forEach(root -> roots.add(root.toUri().getPath()));
      }
    } else if (leaf instanceof HiveTableRelation h) {
      table = Option.apply(h.tableMeta());
    } else if (leaf instanceof DataSourceV2Relation v2) {
      table = catalogTable(v2.table());
    } else if (leaf instanceof ResolvedTable t) {
      table = catalogTable(t.table());
    } else if (HARMLESS_LEAVES.contains(leaf.getClass().getSimpleName())) {
      return;
    } else {
      throw new BeaconException(REFUSAL + "reads only the tables and views of its catalog: " + leaf.nodeName()
          + " is refused.");
    }
    checkTable(table, roots, p);
  }

  /** The table (or, without one, the files at the roots) lies in a served layer's folder. */
  private static void checkTable(Option<CatalogTable> table, List<String> roots, Policy p) {
    if (table.isEmpty() && roots.isEmpty()) {
      throw pathRead();
    }
    if (table.isDefined() && table.get().storage().locationUri().isDefined()) {
      roots.add(table.get().storage().locationUri().get().getPath());
    }
    String name = table.isDefined() ? table.get().identifier().unquotedString() : String.join(", ", roots);
    if (roots.isEmpty()) {
      throw new BeaconException(REFUSAL + "reads only the tables of the lakehouse's served layers; " + name
          + " has no location there.");
    }
    for (String root : roots) {
      String folder = root.endsWith("/") ? root : root + "/";
      if (p.restrictedFolders().stream().anyMatch(folder::startsWith)) {
        throw new BeaconException(REFUSAL + "does not serve the bronze and quarantine layers: they hold respondent "
            + "ids and free text as delivered. Query silver (pseudonymised), gold and ops.");
      }
      if (p.servedFolders().stream().noneMatch(folder::startsWith)) {
        throw new BeaconException(REFUSAL + "reads only the tables of the lakehouse's served layers; " + name
            + " lies outside them.");
      }
    }
  }

  private static BeaconException pathRead() {
    return new BeaconException(REFUSAL + "reads only the tables and views of its catalog, not files by path: query "
        + "gold, silver and ops tables by name.");
  }

  private static Option<CatalogTable> catalogTable(Table table) {
    if (table instanceof DeltaTableV2 delta) {
      return delta.catalogTable();
    }
    return table instanceof V1Table v1 ? Option.apply(v1.v1Table()) : Option.empty();
  }
}
