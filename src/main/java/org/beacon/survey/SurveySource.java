package org.beacon.survey;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;

/**
 * A survey source as configured: where its files land, the header it is delivered with, which columns
 * are questions (and on which answer scale) and which are free text that must never leave bronze.
 */
public record SurveySource(
    String id,
    String name,
    String landingDir,
    List<String> columns,
    List<String> freeText,
    Map<String, Map<String, String>> questionScales) {

  public static SurveySource fromConfig(String id, Config c, Map<String, Map<String, String>> scales) {
    String path = "beacon.sources." + id;
    List<String> columns = Settings.read(path, c::getStringList, "columns");
    List<String> freeText = Settings.read(path, c::getStringList, "free-text");
    Map<String, Map<String, String>> questions = new LinkedHashMap<>();
    for (String q : c.getObject("questions").keySet()) {
      String scale = c.getString("questions." + Settings.quote(q));
      if (!scales.containsKey(scale)) {
        throw new SettingsException(path + ".questions." + q + " names the scale '" + scale
            + "', which beacon.scales does not define.");
      }
      if (!columns.contains(q)) {
        throw new SettingsException(path + ".questions." + q + " is not one of " + path + ".columns.");
      }
      questions.put(q, scales.get(scale));
    }
    for (String f : freeText) {
      if (!columns.contains(f)) {
        throw new SettingsException(path + ".free-text names '" + f + "', which is not one of " + path + ".columns.");
      }
    }
    return new SurveySource(id, Settings.read(path, c::getString, "name"),
        Settings.read(path, c::getString, "landing-dir"), List.copyOf(columns), List.copyOf(freeText), questions);
  }

  /** The scale of a question: answer label as delivered -> code. */
  public Map<String, String> scale(String question) {
    return questionScales.get(question);
  }
}
