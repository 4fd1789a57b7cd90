package org.beacon.extracts;

import com.univocity.parsers.csv.CsvWriterSettings;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An extract table as RFC 4180 CSV in UTF-8: a header of field names in the table's order, numbers
 * with a point and up to six decimals, booleans as true/false, blank for missing values.
 */
final class CsvWriter {
  private CsvWriter() {}

  static void write(ExtractTable table, Path file) {
    CsvWriterSettings settings = new CsvWriterSettings();
    settings.setQuoteEscapingEnabled(true);
    settings.getFormat().setLineSeparator("\n");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      com.univocity.parsers.csv.CsvWriter csv = new com.univocity.parsers.csv.CsvWriter(out, settings);
      csv.writeHeaders(table.fields().stream().map(ExtractTable.Field::name).toArray(String[]::new));
      for (Object[] row : table.rows()) {
        String[] values = new String[row.length];
        for (int i = 0; i < row.length; i++) {
          values[i] = format(row[i]);
        }
        csv.writeRow((Object[]) values);
      }
      csv.close();
    } catch (IOException e) {
      throw new org.beacon.runtime.BeaconException("Could not write " + file + ": " + e.getMessage(), e);
    }
  }

  static String format(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? null
          : String.format(Locale.ROOT, "%.6f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return v.toString();
  }
}
