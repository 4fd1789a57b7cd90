package org.beacon.extracts;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.grading.GradingSettings;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;
import org.beacon.survey.SurveySource;

/**
 * beacon.extracts: where packs go, which survey sources each inspection area shows, the subgroup cells a pack
 * lists (source -> level -> period types; a subset of what the source estimates), the scatter outcomes.
 */
public record ExtractSettings(Path outDir, Map<String, List<String>> areaSources,
    Map<String, Map<String, List<String>>> subgroupCells, List<String> scatterOutcomes) {

  public static ExtractSettings fromConfig(Config c, GradingSettings grading, Map<String, SurveySource> sources,
      List<String> investmentOutcomes) {
    String path = "beacon.extracts";
    Map<String, List<String>> areaSources = new LinkedHashMap<>();
    Config areas = Settings.read(path, c::getConfig, "area-sources");
    for (GradingSettings.Area area : grading.areas()) {
      List<String> shown = areas.hasPath(area.id()) ? areas.getStringList(area.id()) : List.of();
      for (String s : shown) {
        if (!sources.containsKey(s)) {
          throw new SettingsException(path + ".area-sources." + area.id() + " names the source '" + s
              + "', which beacon.sources does not define.");
        }
      }
      areaSources.put(area.id(), List.copyOf(shown));
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
    return new ExtractSettings(Path.of(Settings.read(path, c::getString, "out-dir")), areaSources,
        subgroupCells(path + ".subgroup-cells", Settings.read(path, c::getConfig, "subgroup-cells"), sources),
        List.copyOf(scatter));
  }

  private static Map<String, Map<String, List<String>>> subgroupCells(String path, Config config,
      Map<String, SurveySource> sources) {
    Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
    for (String id : config.root().keySet()) {
      SurveySource source = sources.get(id);
      if (source == null) {
        throw new SettingsException(path + " names the source '" + id + "', which beacon.sources does not define.");
      }
      Map<String, List<String>> cells = SurveySource.subgroupCells(path + "." + id,
          config.getConfig(com.typesafe.config.ConfigUtil.joinPath(id)), source.areaLevel());
      cells.forEach((level, types) -> {
        List<String> estimated = source.subgroupCells().getOrDefault(level, List.of());
        if (!estimated.containsAll(types)) {
          throw new SettingsException(path + "." + id + "." + level + " lists " + types + ", but beacon.sources." + id
              + ".subgroup-cells." + level + " estimates only " + estimated + ".");
        }
      });
      out.put(id, cells);
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** The extracts' settings (beacon.extracts). */
  public static ExtractSettings of(Settings settings) {
    return settings.section(ExtractSettings.class);
  }

  /** Reads and validates these settings at start-up (META-INF/services/org.beacon.runtime.Settings$Section). */
  public static final class Section extends Settings.SectionOf<ExtractSettings> {
    public Section() {
      super(ExtractSettings.class, (settings, beacon) -> fromConfig(beacon.getConfig("extracts"),
          org.beacon.grading.GradingSettings.of(settings),
          org.beacon.survey.SurveySources.byId(settings), org.beacon.linkage.InvestmentSettings.of(settings).outcomes()),
          "extracts.subgroup-cells");
    }
  }
}
