package org.beacon.indicators;

import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;
import org.beacon.survey.SurveySource;

/**
 * One survey indicator from the catalogue. A proportion counts valid answers to one question whose code
 * is among the positive codes; excluded codes (don't know, refused) leave the valid base, and a blank
 * answer (question not asked) is never counted. A derived scale sums the scores of several questions
 * (valid only when every one is scored): its proportion is the share at or above the cut-off, its
 * mean the average score. An optional filter (Spark SQL over the silver columns) restricts the
 * population, as a domain of the full design.
 */
public record Indicator(
    String id,
    String name,
    String source,
    String question,
    List<String> positive,
    List<String> excluded,
    Polarity polarity,
    Estimand estimand,
    String filter,
    DerivedScale scale) {

  public enum Polarity { HIGHER_IS_BETTER, LOWER_IS_BETTER }

  public enum Estimand { PROPORTION, MEAN }

  /** A score per answer code summed over questions; "high" at or above the cut-off. */
  public record DerivedScale(List<String> questions, Map<String, Integer> scores, int cutOff) {}

  public static Indicator fromConfig(String path, Config c, Map<String, SurveySource> sources) {
    String id = Settings.read(path, c::getString, "id");
    String where = path + " (" + id + ")";
    String source = Settings.read(path, c::getString, "source");
    SurveySource s = sources.get(source);
    if (s == null) {
      throw new SettingsException(where + " names the source '" + source + "', which beacon.sources does not define.");
    }
    DerivedScale scale = null;
    String question = c.hasPath("question") ? c.getString("question") : "";
    if (c.hasPath("scale")) {
      Config sc = c.getConfig("scale");
      Map<String, Integer> scores = new LinkedHashMap<>();
      sc.getObject("scores").unwrapped().forEach((k, v) -> scores.put(k, ((Number) v).intValue()));
      scale = new DerivedScale(Settings.read(where, sc::getStringList, "questions"), scores,
          Settings.read(where, sc::getInt, "high-at-least"));
      for (String q : scale.questions()) {
        requireCodes(where, s, q, scores.keySet());
      }
    } else if (question.isEmpty()) {
      throw new SettingsException(where + " needs a question or a scale.");
    }
    List<String> positive = c.hasPath("positive") ? c.getStringList("positive") : List.of();
    List<String> excluded = c.hasPath("excluded") ? c.getStringList("excluded") : List.of();
    if (scale == null) {
      requireCodes(where, s, question, new HashSet<>(positive));
      requireCodes(where, s, question, new HashSet<>(excluded));
    }
    String polarity = Settings.read(path, c::getString, "polarity");
    Polarity p = switch (polarity) {
      case "higher-is-better" -> Polarity.HIGHER_IS_BETTER;
      case "lower-is-better" -> Polarity.LOWER_IS_BETTER;
      default -> throw new SettingsException(where + ".polarity must be higher-is-better or lower-is-better, not '"
          + polarity + "'.");
    };
    String estimand = c.hasPath("estimand") ? c.getString("estimand") : "proportion";
    Estimand e = switch (estimand) {
      case "proportion" -> Estimand.PROPORTION;
      case "mean" -> Estimand.MEAN;
      default -> throw new SettingsException(where + ".estimand must be proportion or mean, not '" + estimand + "'.");
    };
    if (e == Estimand.MEAN && scale == null) {
      throw new SettingsException(where + " is a mean, which needs a scale of scored answers.");
    }
    return new Indicator(id, Settings.read(path, c::getString, "name"), source, question, List.copyOf(positive),
        List.copyOf(excluded), p, e, c.hasPath("filter") ? c.getString("filter") : "", scale);
  }

  private static void requireCodes(String where, SurveySource s, String question, Set<String> codes) {
    Map<String, String> scale = s.scale(question);
    if (scale == null) {
      throw new SettingsException(where + " names the question '" + question + "', which source " + s.id()
          + " does not declare.");
    }
    Set<String> known = new HashSet<>(scale.values());
    for (String code : codes) {
      if (!known.contains(code)) {
        throw new SettingsException(where + " uses the answer code '" + code + "', which is not on the scale of "
            + question + ".");
      }
    }
  }

  /** The catalogue of indicators (beacon.indicators), in order. */
  public static List<Indicator> all(Settings settings) {
    return settings.section(Catalogue.class).indicators();
  }

  /** The catalogue, as its settings section holds it. */
  public record Catalogue(List<Indicator> indicators) {}

  /** Reads and validates the catalogue at start-up (META-INF/services/org.beacon.runtime.Settings$Section). */
  public static final class Section extends Settings.SectionOf<Catalogue> {
    public Section() {
      super(Catalogue.class, Section::parse);
    }

    private static Catalogue parse(Settings settings, Config beacon) {
      List<Indicator> out = new java.util.ArrayList<>();
      List<? extends Config> list = beacon.getConfigList("indicators");
      for (int i = 0; i < list.size(); i++) {
        out.add(fromConfig("beacon.indicators[" + i + "]", list.get(i), org.beacon.survey.SurveySources.byId(settings)));
      }
      return new Catalogue(List.copyOf(out));
    }
  }
}
