package org.beacon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.HiveResult;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.ServiceFile;
import org.beacon.runtime.Settings;
import org.beacon.sql.EndpointGuard;
import org.beacon.sql.SqlServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * `beacon sql`: statements from -e, -f or standard input; results on stdout as a table, CSV or JSON lines. The
 * statements run in this process's own Spark session, or with --connect in a running `beacon serve`, which
 * spares each client (a notebook kernel, a script) a Spark start-up of its own. Queries given with -e or -f go to
 * the lakehouse's own running endpoint by themselves when it needs no password (it publishes its URL in the
 * catalog folder): a fresh JVM spends some 4 s starting Spark and 4 s more on its first Delta read, a warm
 * endpoint answers in a fraction of a second. The endpoint's guard stays the judge of what it answers: from the
 * first statement it refuses (a bronze table, say), the rest run here, as they would have without it.
 */
final class SqlCommand extends Command {
  private static final Logger LOG = LoggerFactory.getLogger(SqlCommand.class);
  /** Statements that only read and leave no session state behind, by their first word: what an endpoint may answer. */
  private static final Pattern QUERY = Pattern.compile("(?is)^[\\s(]*(SELECT|WITH|VALUES|TABLE|FROM|SHOW|DESCRIBE|DESC|EXPLAIN)\\b.*");

  SqlCommand() {
    super("sql", false, List.of(Option.value("-e").repeated(), Option.value("-f"), Option.value("--format").oneOf("table", "csv", "json"),
        Option.flag("--batch"), Option.value("--connect"), Option.value("--user"), Option.flag("--local")),
        "sql      [-e \"query\" | -f file.sql] [--format table|csv|json] [--batch]   query the lakehouse;",
        "         --batch: statements from stdin, each result ended by a line #beacon-end ok|error;",
        "         --connect URL [--user NAME]: run them in the `beacon serve` at that JDBC URL instead of a Spark of",
        "         its own (the password from BEACON_SQL_PASSWORD, or asked for); queries go to the lakehouse's running",
        "         `beacon serve` by themselves where it needs no password, unless --local");
  }

  @Override
  void check(Args args) throws Args.UsageException {
    if (args.has("--user") && !args.has("--connect")) {
      throw new Args.UsageException("--user belongs to sql --connect.");
    }
    if (args.has("--local") && args.has("--connect")) {
      throw new Args.UsageException("--local and --connect contradict each other: choose where the statements run.");
    }
  }

  @Override
  int run(Args args, Settings settings) {
    if (args.has("--connect")) {
      try (Connection c = connect(args.get("--connect"), args.get("--user"))) {
        return run(jdbc(c), args, System.in, System.out);
      } catch (SQLException e) {
        throw new BeaconException("Cannot close the connection to " + args.get("--connect") + ": " + e.getMessage() + ".", e);
      }
    }
    List<String> statements = statements(args);
    if (statements.isEmpty()) {
      int[] code = {0};
      Jobs.withSpark(settings, spark -> code[0] = interactive(spark(spark), args.format(), args.has("--batch"), System.in, System.out));
      return code[0];
    }
    int answered = args.has("--local") || !statements.stream().allMatch(SqlCommand::isQuery) ? 0
        : viaEndpoint(settings.lakehouse(), statements, args.format(), System.out);
    if (answered < statements.size()) {
      List<String> rest = statements.subList(answered, statements.size());
      Jobs.withSpark(settings, spark -> rest.forEach(sql -> execute(spark(spark), sql, args.format(), System.out)));
    }
    return 0;
  }

  static boolean isQuery(String statement) {
    return QUERY.matcher(statement).matches();
  }

  /**
   * Runs the statements, in order, in the running endpoint the lakehouse's catalog folder names, until it refuses
   * one; returns how many it answered (none where no endpoint answers there, or it cannot be connected to).
   */
  static int viaEndpoint(Path lakehouse, List<String> statements, String format, PrintStream out) {
    ServiceFile file = ServiceFile.of(lakehouse, SqlServer.URL_FILE);
    String url = file.address();
    if (url == null || !ServiceFile.answers(url)) {
      return 0;
    }
    Connection connection;
    try {
      connection = DriverManager.getConnection(url, System.getProperty("user.name", "beacon"), "");
    } catch (SQLException e) {
      LOG.warn("The SQL endpoint {} that {} names refuses a connection ({}): the statements run here", url, file.path(), rootMessage(e));
      return 0;
    }
    LOG.info("Answered by the SQL endpoint at {} (a running `beacon serve`; --local runs the statements here)", url);
    try (connection) {
      Engine endpoint = jdbc(connection);
      for (int i = 0; i < statements.size(); i++) {
        try {
          execute(endpoint, statements.get(i), format, out);
        } catch (BeaconException e) {
          if (!e.getMessage().contains(EndpointGuard.REFUSAL)) {
            throw e;
          }
          String why = e.getMessage().substring(e.getMessage().indexOf(EndpointGuard.REFUSAL));
          LOG.info("Statement {} runs here, and those after it: {}", i + 1, why);
          return i;
        }
      }
      return statements.size();
    } catch (SQLException e) {
      throw new BeaconException("Cannot close the connection to " + url + ": " + e.getMessage() + ".", e);
    }
  }

  /** A statement's result: its column names and rows. */
  record Result(List<String> columns, List<List<Object>> rows) {}

  /** Runs one statement; a failure is a BeaconException that says why. */
  interface Engine {
    Result run(String sql);
  }

  static Engine spark(SparkSession spark) {
    return sql -> {
      try {
        Dataset<Row> result = spark.sql(sql);
        StructField[] fields = result.schema().fields();
        HiveResult.TimeFormatters formatters = HiveResult.getTimeFormatters();
        List<List<Object>> rows = new ArrayList<>();
        for (Row r : result.collectAsList()) {
          List<Object> v = new ArrayList<>();
          for (int i = 0; i < r.length(); i++) {
            DataType type = fields[i].dataType();
            // Arrays, maps and structs as the endpoint sends them ([1,2], {"k":1}), not as Scala prints them.
            boolean nested = type instanceof ArrayType || type instanceof MapType || type instanceof StructType;
            v.add(nested && !r.isNullAt(i) ? HiveResult.toHiveString(new Tuple2<>(r.get(i), type), false, formatters) : r.get(i));
          }
          rows.add(v);
        }
        return new Result(List.of(result.columns()), rows);
      } catch (Exception e) {
        // Spark's AnalysisException and ParseException are checked exceptions as Java sees them.
        throw new BeaconException("The query failed: " + rootMessage(e), e);
      }
    };
  }

  /** Statements sent to the SQL endpoint at the JDBC URL (what `beacon serve` prints) over one connection. */
  static Engine jdbc(Connection connection) {
    return sql -> {
      try (Statement statement = connection.createStatement()) {
        if (!statement.execute(sql)) {
          return new Result(List.of(), List.of());
        }
        try (ResultSet r = statement.getResultSet()) {
          ResultSetMetaData meta = r.getMetaData();
          List<String> columns = new ArrayList<>();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i));
          }
          List<List<Object>> rows = new ArrayList<>();
          while (r.next()) {
            List<Object> v = new ArrayList<>();
            for (int i = 1; i <= columns.size(); i++) {
              v.add(r.getObject(i));
            }
            rows.add(v);
          }
          return new Result(columns, rows);
        }
      } catch (SQLException e) {
        throw new BeaconException("The query failed: " + rootMessage(e), e);
      }
    };
  }

  /** Opens a connection to the endpoint, or says plainly why not. */
  /**
   * Connects as the user (the operating system's user name where none is given) with the password of
   * BEACON_SQL_PASSWORD, or one asked for on the terminal; an endpoint without authentication ignores both.
   */
  static Connection connect(String url, String user) {
    String password = System.getenv("BEACON_SQL_PASSWORD");
    if (password == null && user != null && System.console() != null) {
      char[] typed = System.console().readPassword("Password for %s: ", user);
      password = typed == null ? "" : new String(typed);
    }
    try {
      return DriverManager.getConnection(url, user == null ? System.getProperty("user.name", "beacon") : user,
          password == null ? "" : password);
    } catch (SQLException e) {
      throw new BeaconException("Cannot connect to the SQL endpoint " + url + " (is `beacon serve` running there?): "
          + rootMessage(e) + ".", e);
    }
  }

  static int run(Engine engine, Args args, InputStream in, PrintStream out) {
    List<String> statements = statements(args);
    if (statements.isEmpty()) {
      return interactive(engine, args.format(), args.has("--batch"), in, out);
    }
    for (String sql : statements) {
      execute(engine, sql, args.format(), out);
    }
    return 0;
  }

  /** The statements of -e (each may hold several) and then -f; none means they come from standard input. */
  private static List<String> statements(Args args) {
    List<String> statements = new ArrayList<>();
    args.all("-e").forEach(s -> statements.addAll(split(s)));
    if (args.has("-f")) {
      try {
        statements.addAll(split(Files.readString(Path.of(args.get("-f")))));
      } catch (IOException e) {
        throw new BeaconException("Cannot read the SQL file " + args.get("-f") + ": " + e.getMessage() + ".", e);
      }
    }
    return statements;
  }

  /**
   * Statements from standard input, run as each ends with ";". In batch mode (for programs that keep one
   * Beacon process open, such as the notebooks' helper) every statement's result is followed by a line
   * "#beacon-end ok" or "#beacon-end error <message>" on stdout, and there is no prompt.
   */
  private static int interactive(Engine engine, String format, boolean batch, InputStream input, PrintStream out) {
    BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
    StringBuilder buffer = new StringBuilder();
    int failures = 0;
    prompt(batch, "beacon> ");
    try {
      for (String line; (line = in.readLine()) != null; ) {
        buffer.append(line).append('\n');
        List<String> parts = split(buffer.toString());
        boolean complete = buffer.toString().trim().endsWith(";");
        if (complete) {
          for (String sql : parts) {
            try {
              execute(engine, sql, format, out);
              if (batch) {
                out.println("#beacon-end ok");
              }
            } catch (RuntimeException e) {
              failures++;
              System.err.println("error: " + e.getMessage());
              if (batch) {
                out.println("#beacon-end error " + e.getMessage().replace('\n', ' '));
              }
            }
            out.flush();
          }
          buffer.setLength(0);
        }
        prompt(batch, complete ? "beacon> " : "     -> ");
      }
    } catch (IOException e) {
      throw new BeaconException("Cannot read standard input: " + e.getMessage() + ".", e);
    }
    System.err.println();
    return failures == 0 ? 0 : 1;
  }

  private static void prompt(boolean batch, String prompt) {
    if (!batch) {
      System.err.print(prompt);
    }
  }

  static void execute(Engine engine, String sql, String format, PrintStream out) {
    Result result = engine.run(sql);
    if (format.equals("json")) {
      ObjectMapper mapper = new ObjectMapper();
      for (List<Object> r : result.rows()) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < result.columns().size(); i++) {
          Object v = r.get(i);
          m.put(result.columns().get(i), v == null || v instanceof Number || v instanceof Boolean ? v : v.toString());
        }
        try {
          out.println(mapper.writeValueAsString(m));
        } catch (IOException e) {
          throw new BeaconException("Cannot write a row as JSON: " + e.getMessage() + ".", e);
        }
      }
    } else {
      Output.print(out, format, result.columns(), result.rows());
    }
    out.flush();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.toString() : t.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  /** Splits a script on semicolons outside quotes and comments. */
  static List<String> split(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < script.length(); i++) {
      char ch = script.charAt(i);
      if (quote == 0 && ch == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
        while (i < script.length() && script.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      if (quote == 0 && (ch == '\'' || ch == '"' || ch == '`')) {
        quote = ch;
      } else if (ch == quote) {
        quote = 0;
      }
      if (ch == ';' && quote == 0) {
        if (!current.toString().isBlank()) {
          out.add(current.toString().trim());
        }
        current.setLength(0);
      } else {
        current.append(ch);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().trim());
    }
    return out;
  }
}
