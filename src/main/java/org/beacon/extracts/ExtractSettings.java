package org.beacon.extracts;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.beacon.grading.GradingSettings;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;

/** beacon.extracts: where packs go, which survey sources each inspection area shows, the scatter outcomes. */
public record ExtractSettings(Path outDir, Map<String, List<String>> areaSources, List<String> scatterOutcomes) {

  public static ExtractSettings fromConfig(Config c, GradingSettings grading, Set<String> sourceIds,
      List<String> investmentOutcomes) {
    String path = "beacon.extracts";
    Map<String, List<String>> areaSources = new LinkedHashMap<>();
    Config areas = Settings.read(path, c::getConfig, "area-sources");
    for (GradingSettings.Area area : grading.areas()) {
      List<String> sources = areas.hasPath(area.id()) ? areas.getStringList(area.id()) : List.of();
      for (String s : sources) {
        if (!sourceIds.contains(s)) {
          throw new SettingsException(path + ".area-sources." + area.id() + " names the source '" + s
              + "', which beacon.sources does not define.");
        }
      }
      areaSources.put(area.id(), List.copyOf(sources));
    }
    for (String key : areas.root().keySet()) {
      if (!areaSources.containsKey(key)) {
        throw new SettingsException(path + ".area-sources names the area '" + key + "', which beacon.grading.areas does not define.");
      }
    }
    List<String> scatter = Settings.read(path, c::getStringList, "scatter-outcomes");
    for (String o : scatter) {
      if (!investmentOutcomes.contains(o)) {
        throw new SettingsException(path + ".scatter-outcomes names '" + o + "', which beacon.investment.outcomes does not list.");
      }
    }
    return new ExtractSettings(Path.of(Settings.read(path, c::getString, "out-dir")), areaSources, List.copyOf(scatter));
  }
}
