package org.beacon.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one CSV file row by row (RFC 4180 quoting), so a generator's memory does not grow with volume; a name
 * ending in .gz is written gzip-compressed.
 */
public final class CsvOut implements AutoCloseable {
  private final BufferedWriter out;
  private final int columns;
  private long rows;

  public CsvOut(Path file, List<String> header) {
    this(file, header, false);
  }

  public CsvOut(Path file, List<String> header, boolean byteOrderMark) {
    try {
      Files.createDirectories(file.getParent());
      java.io.OutputStream bytes = Files.newOutputStream(file);
      if (file.getFileName().toString().endsWith(".gz")) {
        bytes = new java.util.zip.GZIPOutputStream(bytes, 1 << 16);
      }
      this.out = new BufferedWriter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16);
      if (byteOrderMark) {
        out.write('\uFEFF');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.columns = header.size();
    write(header.toArray());
    rows = 0;
  }

  public void write(Object... values) {
    if (values.length != columns) {
      throw new IllegalArgumentException("Expected " + columns + " values, got " + values.length + ".");
    }
    try {
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(quote(values[i]));
      }
      out.write('\n');
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long rows() {
    return rows;
  }

  static String quote(Object value) {
    if (value == null) {
      return "";
    }
    String s = value.toString();
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
