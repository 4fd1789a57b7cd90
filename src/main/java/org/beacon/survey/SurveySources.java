package org.beacon.survey;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.runtime.Settings;

/** The configured survey sources (beacon.sources), by id, in the order configured. */
public record SurveySources(Map<String, SurveySource> byId) {
  public static List<SurveySource> all(Settings settings) {
    return List.copyOf(byId(settings).values());
  }

  /** The source with this id, or null. */
  public static SurveySource of(Settings settings, String id) {
    return byId(settings).get(id);
  }

  public static Map<String, SurveySource> byId(Settings settings) {
    return settings.section(SurveySources.class).byId();
  }

  /** Reads and validates the sources at start-up (META-INF/services/org.beacon.runtime.Settings$Section). */
  public static final class Section extends Settings.SectionOf<SurveySources> {
    public Section() {
      super(SurveySources.class, Section::parse, "sources");
    }

    private static SurveySources parse(Settings settings, Config beacon) {
      Map<String, SurveySource> sources = new LinkedHashMap<>();
      for (String id : beacon.getObject("sources").keySet()) {
        sources.put(id, SurveySource.fromConfig(id, beacon.getConfig("sources." + Settings.quote(id)), settings.scales()));
      }
      return new SurveySources(java.util.Collections.unmodifiableMap(sources));
    }
  }
}
