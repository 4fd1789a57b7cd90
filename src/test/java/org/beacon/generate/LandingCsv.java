package org.beacon.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A plain CSV reader for tests, independent of the pipeline's Spark reader: RFC 4180 quoting, header row. */
final class LandingCsv {
  private LandingCsv() {}

  static void forEach(Path file, Consumer<Map<String, String>> row) {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<String> header = parse(r.readLine().replace("\uFEFF", ""));
      for (String line; (line = r.readLine()) != null; ) {
        List<String> values = parse(line);
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
          m.put(header.get(i), values.get(i));
        }
        row.accept(m);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void forEachIn(Path dir, String suffix, Consumer<Map<String, String>> row) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(p -> p.toString().endsWith(suffix)).sorted().forEach(p -> forEach(p, row));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> parse(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString());
    return out;
  }
}
