package org.beacon.crime;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;

/**
 * beacon.crime: where street-level files land, the LSOA lookup, the ONS geography folder, ASB, sanction outcomes and
 * crime-type groups.
 */
public record CrimeSettings(String landingDir, String lsoaLookup, String onsGeography, String asbType, int broadcastCrimeIds,
    List<String> sanctionOutcomes, List<Group> groups) {

  /** A group of crime types; "all" stands for every type except ASB. */
  public record Group(String id, String name, List<String> types) implements java.io.Serializable {
    public boolean isAll() {
      return types.equals(List.of("all"));
    }
  }

  public static CrimeSettings fromConfig(Config c) {
    String path = "beacon.crime";
    List<Group> groups = new ArrayList<>();
    for (Config g : c.getConfigList("groups")) {
      String id = Settings.read(path + ".groups", g::getString, "id");
      List<String> types = Settings.read(path + ".groups (" + id + ")", g::getStringList, "types");
      if (types.isEmpty()) {
        throw new SettingsException(path + ".groups (" + id + ") lists no crime types.");
      }
      groups.add(new Group(id, Settings.read(path + ".groups (" + id + ")", g::getString, "name"), List.copyOf(types)));
    }
    if (groups.stream().map(Group::id).distinct().count() != groups.size()) {
      throw new SettingsException(path + ".groups has two groups with the same id.");
    }
    return new CrimeSettings(Settings.read(path, c::getString, "landing-dir"), Settings.read(path, c::getString, "lsoa-lookup"),
        Settings.read(path, c::getString, "ons-geography"), Settings.read(path, c::getString, "asb-type"), broadcast(path, c),
        List.copyOf(Settings.read(path, c::getStringList, "sanction-outcomes")),
        List.copyOf(groups));
  }

  private static int broadcast(String path, Config c) {
    int n = Settings.read(path, c::getInt, "broadcast-crime-ids");
    if (n < 0) {
      throw new SettingsException(path + ".broadcast-crime-ids must be 0 or more, not " + n + ".");
    }
    return n;
  }

  /** The crime settings (beacon.crime). */
  public static CrimeSettings of(Settings settings) {
    return settings.section(CrimeSettings.class);
  }

  /** Reads and validates these settings at start-up (META-INF/services/org.beacon.runtime.Settings$Section). */
  public static final class Section extends Settings.SectionOf<CrimeSettings> {
    public Section() {
      super(CrimeSettings.class, (settings, beacon) -> fromConfig(beacon.getConfig("crime")));
    }
  }
}
