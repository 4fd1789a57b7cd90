package org.beacon.indicators;

import com.typesafe.config.Config;
import java.util.Set;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;

/**
 * The survey sources the model-based marts are built from (beacon.small-area.source, beacon.panels): which
 * source's small areas are modelled, which source is the tracker panel, and which cross-sectional source the
 * panel is set beside.
 */
public record ModelSources(String smallArea, String panel, String panelSample) {
  static ModelSources fromConfig(Config beacon, Set<String> sources) {
    ModelSources m = new ModelSources(Settings.read("beacon.small-area", beacon.getConfig("small-area")::getString, "source"),
        Settings.read("beacon.panels", beacon.getConfig("panels")::getString, "source"),
        Settings.read("beacon.panels", beacon.getConfig("panels")::getString, "sample-source"));
    check("beacon.small-area.source", m.smallArea(), sources);
    check("beacon.panels.source", m.panel(), sources);
    check("beacon.panels.sample-source", m.panelSample(), sources);
    return m;
  }

  private static void check(String key, String id, Set<String> sources) {
    if (!sources.contains(id)) {
      throw new SettingsException(key + " names '" + id + "', which is not a source of beacon.sources " + sources + ".");
    }
  }

  public static ModelSources of(Settings settings) {
    return settings.section(ModelSources.class);
  }

  /** Reads and validates these settings at start-up (META-INF/services/org.beacon.runtime.Settings$Section). */
  public static final class Section extends Settings.SectionOf<ModelSources> {
    public Section() {
      super(ModelSources.class, (settings, beacon) -> fromConfig(beacon,
          org.beacon.survey.SurveySources.byId(settings).keySet()));
    }
  }
}
