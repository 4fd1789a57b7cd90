package org.beacon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.BeaconException;

/** `beacon sql`: statements from -e, -f or standard input; results on stdout as a table, CSV or JSON lines. */
final class SqlCommand {
  private SqlCommand() {}

  static int run(SparkSession spark, Beacon.Options options) {
    List<String> statements = new ArrayList<>();
    options.statements.forEach(s -> statements.addAll(split(s)));
    if (options.file != null) {
      try {
        statements.addAll(split(Files.readString(Path.of(options.file))));
      } catch (IOException e) {
        throw new BeaconException("Cannot read the SQL file " + options.file + ": " + e.getMessage() + ".", e);
      }
    }
    PrintStream out = System.out;
    if (statements.isEmpty()) {
      return interactive(spark, options.format, options.batch, out);
    }
    for (String sql : statements) {
      execute(spark, sql, options.format, out);
    }
    return 0;
  }

  /**
   * Statements from standard input, run as each ends with ";". In batch mode (for programs that keep one
   * Beacon process open, such as the notebooks' helper) every statement's result is followed by a line
   * "#beacon-end ok" or "#beacon-end error <message>" on stdout, and there is no prompt.
   */
  private static int interactive(SparkSession spark, String format, boolean batch, PrintStream out) {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
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
              execute(spark, sql, format, out);
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

  static void execute(SparkSession spark, String sql, String format, PrintStream out) {
    String[] columns;
    List<Row> rows;
    try {
      Dataset<Row> result = spark.sql(sql);
      columns = result.columns();
      rows = result.collectAsList();
    } catch (Exception e) {
      // Spark's AnalysisException and ParseException are checked exceptions as Java sees them.
      throw new BeaconException("The query failed: " + rootMessage(e), e);
    }
    switch (format) {
      case "json" -> {
        ObjectMapper mapper = new ObjectMapper();
        for (Row r : rows) {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < columns.length; i++) {
            Object v = r.get(i);
            m.put(columns[i], v == null || v instanceof Number || v instanceof Boolean ? v : v.toString());
          }
          try {
            out.println(mapper.writeValueAsString(m));
          } catch (IOException e) {
            throw new BeaconException("Cannot write a row as JSON: " + e.getMessage() + ".", e);
          }
        }
      }
      default -> {
        List<List<Object>> values = new ArrayList<>();
        for (Row r : rows) {
          List<Object> v = new ArrayList<>();
          for (int i = 0; i < columns.length; i++) {
            v.add(r.get(i));
          }
          values.add(v);
        }
        Output.print(out, format, List.of(columns), values);
      }
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
