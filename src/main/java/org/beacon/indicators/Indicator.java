package org.beacon.indicators;

import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;
import org.beacon.survey.SurveySource;

/**
 * One survey indicator from the catalogue: a proportion of valid answers to one question whose code
 * is among the positive codes. Excluded codes (don't know, refused) leave the valid base; a blank
 * answer (question not asked) is never counted.
 */
public record Indicator(
    String id,
    String name,
    String source,
    String question,
    List<String> positive,
    List<String> excluded,
    Polarity polarity) {

  public enum Polarity { HIGHER_IS_BETTER, LOWER_IS_BETTER }

  public static Indicator fromConfig(String path, Config c, Map<String, SurveySource> sources) {
    String id = Settings.read(path, c::getString, "id");
    String source = Settings.read(path, c::getString, "source");
    SurveySource s = sources.get(source);
    if (s == null) {
      throw new SettingsException(path + " (" + id + ") names the source '" + source + "', which beacon.sources does not define.");
    }
    String question = Settings.read(path, c::getString, "question");
    Map<String, String> scale = s.scale(question);
    if (scale == null) {
      throw new SettingsException(path + " (" + id + ") names the question '" + question + "', which source "
          + source + " does not declare.");
    }
    List<String> positive = Settings.read(path, c::getStringList, "positive");
    List<String> excluded = Settings.read(path, c::getStringList, "excluded");
    Set<String> codes = new HashSet<>(scale.values());
    for (String code : concat(positive, excluded)) {
      if (!codes.contains(code)) {
        throw new SettingsException(path + " (" + id + ") uses the answer code '" + code + "', which is not on the scale of "
            + question + ".");
      }
    }
    String polarity = Settings.read(path, c::getString, "polarity");
    Polarity p = switch (polarity) {
      case "higher-is-better" -> Polarity.HIGHER_IS_BETTER;
      case "lower-is-better" -> Polarity.LOWER_IS_BETTER;
      default -> throw new SettingsException(path + " (" + id + ").polarity must be higher-is-better or lower-is-better, not '"
          + polarity + "'.");
    };
    return new Indicator(id, Settings.read(path, c::getString, "name"), source, question,
        List.copyOf(positive), List.copyOf(excluded), p);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
