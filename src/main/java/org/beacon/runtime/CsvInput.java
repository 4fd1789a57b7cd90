package org.beacon.runtime;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A user's CSV file for the analysts' commands (estimate, funnel, spc): a header row, then data rows read
 * whole. Every error names the file, the row (counting the header as row 1) and the field.
 */
public final class CsvInput {
  private final Path file;
  private final String[] header;
  private final List<String[]> rows;

  private CsvInput(Path file, String[] header, List<String[]> rows) {
    this.file = file;
    this.header = header;
    this.rows = rows;
  }

  public static CsvInput read(Path file) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.setHeaderExtractionEnabled(true);
    settings.setLineSeparatorDetectionEnabled(true);
    settings.setMaxCharsPerColumn(1 << 20);
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      CsvParser parser = new CsvParser(settings);
      List<String[]> rows = parser.parseAll(reader);
      String[] header = parser.getRecordMetadata().headers();
      if (header == null) {
        throw new BeaconException("The file " + file + " is empty: it has no header row.");
      }
      return new CsvInput(file, header, rows);
    } catch (IOException e) {
      throw new BeaconException("Cannot read " + file + ": " + e.getMessage() + ".", e);
    }
  }

  public Path file() {
    return file;
  }

  public List<String[]> rows() {
    return rows;
  }

  /** The index of a column the file must have; {@code option} says which option or command asked for it. */
  public int column(String name, String option) {
    for (int i = 0; i < header.length; i++) {
      if (name.equals(header[i])) {
        return i;
      }
    }
    throw new BeaconException(option + " needs the column '" + name + "', which " + file + " does not have (it has "
        + Arrays.toString(header) + ").");
  }

  /** The text of a field, or null where the row is short. */
  public String cell(int row, int column) {
    String[] r = rows.get(row);
    return column < r.length ? r[column] : null;
  }

  /** A field as a number; row is the data row index (0-based), reported as its line in the file. */
  public double number(int row, int column) {
    String text = cell(row, column);
    try {
      return Double.parseDouble(text.trim());
    } catch (NullPointerException | NumberFormatException e) {
      throw new BeaconException(where(row, column) + ": '" + (text == null ? "" : text) + "' is not a number.");
    }
  }

  /** "file row N field F", for messages about one field. */
  public String where(int row, int column) {
    return file + " row " + (row + 2) + " field " + header[column];
  }
}
