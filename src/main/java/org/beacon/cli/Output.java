package org.beacon.cli;

import java.io.PrintStream;
import java.util.List;

/** Prints a result set as an aligned table or as CSV with a header row (for scripts). */
final class Output {
  private Output() {}

  /** A figure to six decimals, trailing zeros dropped (NaN for a value that is not finite). */
  static Object decimal(double v) {
    return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
        .toPlainString() : "NaN";
  }

  static void print(PrintStream out, String format, List<String> columns, List<List<Object>> rows) {
    if (format.equals("csv")) {
      out.println(csvLine(columns));
      rows.forEach(r -> out.println(csvLine(r.stream().map(v -> v == null ? "" : v).toList())));
    } else {
      out.print(table(columns, rows));
    }
    out.flush();
  }

  static String table(List<String> columns, List<List<Object>> rows) {
    int[] width = columns.stream().mapToInt(String::length).toArray();
    String[][] cells = new String[rows.size()][columns.size()];
    for (int r = 0; r < rows.size(); r++) {
      for (int i = 0; i < columns.size(); i++) {
        Object v = rows.get(r).get(i);
        cells[r][i] = v == null ? "NULL" : String.valueOf(v);
        width[i] = Math.max(width[i], cells[r][i].length());
      }
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    StringBuilder sb = new StringBuilder();
    sb.append(rule).append('\n').append(line(columns.toArray(new String[0]), width)).append(rule).append('\n');
    for (String[] c : cells) {
      sb.append(line(c, width));
    }
    return sb.append(rule).append('\n').append(rows.size()).append(rows.size() == 1 ? " row\n" : " rows\n").toString();
  }

  private static String line(String[] values, int[] width) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < values.length; i++) {
      sb.append(' ').append(values[i]).append(" ".repeat(width[i] - values[i].length())).append(" |");
    }
    return sb.append('\n').toString();
  }

  /** A number to six decimals without trailing zeros (0.2, 0.133367, 21). */
  /** A duration in milliseconds as people read it: "48 s", "3 min 05 s", "1 h 02 min". */
  static String duration(long millis) {
    long s = Math.round(millis / 1000.0);
    return s < 60 ? s + " s" : s < 3600 ? String.format("%d min %02d s", s / 60, s % 60)
        : String.format("%d h %02d min", s / 3600, s % 3600 / 60);
  }

  static String number(double v) {
    return String.format("%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  static String csvLine(List<?> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      String s = String.valueOf(values.get(i));
      sb.append(s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s);
    }
    return sb.toString();
  }
}
