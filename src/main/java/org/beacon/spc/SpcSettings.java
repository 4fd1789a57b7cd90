package org.beacon.spc;

import com.typesafe.config.Config;
import java.util.List;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;
import org.beacon.stats.ControlChart;

/** beacon.spc: rule set, frozen baseline, moving-range screening, the Laney switch and the series charted in gold.spc_points. */
public record SpcSettings(ControlChart.Rules rules, int baselinePoints, boolean screenMovingRanges, double laneyMinDenominator,
    List<String> crimeGroups, List<String> surveyIndicators) {

  public static ControlChart.Rules rules(String name) {
    return switch (name) {
      case "western-electric" -> ControlChart.Rules.WESTERN_ELECTRIC;
      case "anhoej" -> ControlChart.Rules.ANHOEJ;
      default -> throw new SettingsException("The SPC rules must be western-electric or anhoej, not '" + name + "'.");
    };
  }

  public static SpcSettings fromConfig(Config c, List<String> groupIds, List<String> indicatorIds) {
    String path = "beacon.spc";
    int baseline = Settings.read(path, c::getInt, "baseline-points");
    if (baseline < 0) {
      throw new SettingsException(path + ".baseline-points must be 0 (all points) or a positive number, not " + baseline + ".");
    }
    List<String> groups = Settings.read(path, c::getStringList, "crime-groups");
    for (String g : groups) {
      if (!groupIds.contains(g)) {
        throw new SettingsException(path + ".crime-groups names '" + g + "', which beacon.crime.groups does not define.");
      }
    }
    List<String> indicators = Settings.read(path, c::getStringList, "survey-indicators");
    for (String i : indicators) {
      if (!indicatorIds.contains(i)) {
        throw new SettingsException(path + ".survey-indicators names '" + i + "', which beacon.indicators does not define.");
      }
    }
    return new SpcSettings(rules(Settings.read(path, c::getString, "rules")), baseline,
        Settings.read(path, c::getBoolean, "screen-moving-ranges"), Settings.read(path, c::getDouble, "laney-min-denominator"), List.copyOf(groups), List.copyOf(indicators));
  }

  /** The control charts' settings (beacon.spc). */
  public static SpcSettings of(Settings settings) {
    return settings.section(SpcSettings.class);
  }

  /** Reads and validates these settings at start-up (META-INF/services/org.beacon.runtime.Settings$Section). */
  public static final class Section extends Settings.SectionOf<SpcSettings> {
    public Section() {
      super(SpcSettings.class, (settings, beacon) -> fromConfig(beacon.getConfig("spc"),
          org.beacon.crime.CrimeSettings.of(settings).groups().stream().map(org.beacon.crime.CrimeSettings.Group::id).toList(),
          org.beacon.indicators.Indicator.all(settings).stream().map(org.beacon.indicators.Indicator::id).toList()));
    }
  }
}
