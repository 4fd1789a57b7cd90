package org.beacon;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * JDBC clients querying a SQL endpoint at once, each in a loop over analysts' queries, for at least a minimum time
 * and for as long as the caller's condition holds (up to a maximum): every answer, latency and error is kept.
 * Shared by the load test and `jobs/beacon benchmark`.
 */
public final class EndpointLoad {
  /** Queries whose answer identifies the version of the table they read (the table is the format argument). */
  public static final Map<String, String> VERSIONED = new TreeMap<>(Map.of(
      "gold.survey_estimates", "SELECT count(*), round(sum(lower_95), 9), round(sum(upper_998), 9) FROM %s",
      "gold.indicator_comparisons", "SELECT count(*), round(sum(difference_lower_95), 9) FROM %s",
      "gold.crime_monthly", "SELECT count(*), sum(records), max(month) FROM %s"));
  private static final List<String> OTHERS = List.of("SELECT grade, count(*) FROM gold.latest_grades GROUP BY grade",
      "SELECT level, count(*) FROM gold.scorecard GROUP BY level");

  /** A versioned query's answer: the table it read and the rows, as text. */
  public record Answer(String table, String value) {}

  /** What the clients saw: versioned answers, every query's latency in milliseconds, and the errors. */
  public record Result(int clients, double seconds, List<Answer> answers, List<Long> latencies, List<String> errors) {
    public long percentile(double p) {
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p) - 1));
    }

    public String summary() {
      return String.format("%d clients, %d queries in %.0f s, %d errors; latency median %d ms, 95th percentile %d ms", clients,
          latencies.size(), seconds, errors.size(), percentile(0.5), percentile(0.95));
    }
  }

  private EndpointLoad() {}

  public static Result run(String url, int clients, long minMillis, long maxMillis, BooleanSupplier longer) throws Exception {
    long start = System.nanoTime();
    List<Answer> answers = new CopyOnWriteArrayList<>();
    List<Long> latencies = new CopyOnWriteArrayList<>();
    List<String> errors = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> running = new ArrayList<>();
    List<String> tables = new ArrayList<>(VERSIONED.keySet());
    for (int c = 0; c < clients; c++) {
      int client = c;
      running.add(pool.submit(() -> {
        try (Connection conn = DriverManager.getConnection(url, "analyst-" + client, ""); Statement s = conn.createStatement()) {
          for (int i = client; elapsed(start) < minMillis || longer.getAsBoolean() && elapsed(start) < maxMillis; i++) {
            // Each versioned query in turn, then one of the others.
            int turn = i % (tables.size() + 1);
            String table = turn == tables.size() ? null : tables.get(turn);
            String sql = table == null ? OTHERS.get(i % OTHERS.size()) : String.format(VERSIONED.get(table), table);
            long t0 = System.nanoTime();
            try (ResultSet r = s.executeQuery(sql)) {
              String value = rows(r);
              latencies.add((System.nanoTime() - t0) / 1_000_000);
              if (table != null) {
                answers.add(new Answer(table, value));
              }
            } catch (SQLException e) {
              errors.add(sql + ": " + e.getMessage());
            }
          }
        } catch (SQLException e) {
          errors.add("client " + client + ": " + e.getMessage());
        }
      }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    return new Result(clients, elapsed(start) / 1000.0, List.copyOf(answers), List.copyOf(latencies), List.copyOf(errors));
  }

  private static long elapsed(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** The rows as text, the way the consistency check writes a version's answer. */
  public static String rows(ResultSet r) throws SQLException {
    StringBuilder sb = new StringBuilder();
    int n = r.getMetaData().getColumnCount();
    while (r.next()) {
      for (int i = 1; i <= n; i++) {
        sb.append(i == 1 ? "" : ",").append(r.getString(i));
      }
      sb.append(';');
    }
    return sb.toString();
  }
}
