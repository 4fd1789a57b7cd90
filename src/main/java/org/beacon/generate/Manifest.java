package org.beacon.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.runtime.FinancialYear;

/**
 * The generator's record of what it wrote and the true parameters behind it (landing/_manifest.json):
 * the settings, every file with its row count, each OCU's staffing share and true value per measure and
 * year, so later analyses can be checked against a known truth.
 */
final class Manifest {
  private final Map<String, Object> root = new LinkedHashMap<>();
  private final List<Map<String, Object>> truths = new ArrayList<>();
  private final Map<String, Long> files = new LinkedHashMap<>();

  Manifest(Map<String, Object> parameters) {
    root.put("generator", "beacon generate");
    root.put("parameters", parameters);
  }

  void ocuTruth(String force, String ocu, String measure, int year, double truePct, double npSharePct, double ocuEffectPp) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("force_code", force);
    t.put("ocu_code", ocu);
    t.put("measure", measure);
    t.put("financial_year", FinancialYear.label(year));
    t.put("true_pct", round(truePct));
    t.put("np_share_pct", round(npSharePct));
    t.put("ocu_random_effect_pp", round(ocuEffectPp));
    truths.add(t);
  }

  void put(String key, Object value) {
    root.put(key, value);
  }

  void files(Map<String, Long> rows) {
    files.putAll(rows);
  }

  Map<String, Long> files() {
    return files;
  }

  void write(Path file) {
    root.put("files", files);
    root.put("ocu_truth", truths);
    try {
      Files.createDirectories(file.getParent());
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
