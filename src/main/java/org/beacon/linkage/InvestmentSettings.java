package org.beacon.linkage;

import com.typesafe.config.Config;
import java.util.List;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;

/** beacon.investment: the outcomes linked to staffing and the two years of the first-difference models. */
public record InvestmentSettings(List<String> outcomes, String changeFrom, String changeTo) {
  public static InvestmentSettings fromConfig(Config c, List<String> indicatorIds, List<String> crimeGroups) {
    String path = "beacon.investment";
    List<String> outcomes = Settings.read(path, c::getStringList, "outcomes");
    for (String o : outcomes) {
      boolean known = o.startsWith("crime:") ? crimeGroups.contains(o.substring(6)) || o.equals("crime:anti_social_behaviour")
          : indicatorIds.contains(o);
      if (!known) {
        throw new SettingsException(path + ".outcomes names '" + o + "', which is neither an indicator nor crime:<group>.");
      }
    }
    String from = Settings.read(path, c::getString, "change-from");
    String to = Settings.read(path, c::getString, "change-to");
    if (FinancialYear.startYear(from) >= FinancialYear.startYear(to)) {
      throw new SettingsException(path + ".change-from (" + from + ") must come before change-to (" + to + ").");
    }
    return new InvestmentSettings(List.copyOf(outcomes), from, to);
  }

  /** The investment models' settings (beacon.investment). */
  public static InvestmentSettings of(Settings settings) {
    return settings.section(InvestmentSettings.class);
  }

  /** Reads and validates these settings at start-up (META-INF/services/org.beacon.runtime.Settings$Section). */
  public static final class Section extends Settings.SectionOf<InvestmentSettings> {
    public Section() {
      super(InvestmentSettings.class, (settings, beacon) -> fromConfig(beacon.getConfig("investment"),
          org.beacon.indicators.Indicator.all(settings).stream()
          .map(org.beacon.indicators.Indicator::id).toList(), org.beacon.crime.CrimeSettings.of(settings).groups().stream()
          .map(org.beacon.crime.CrimeSettings.Group::id).toList()));
    }
  }
}
