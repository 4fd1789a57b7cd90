package org.beacon.grading;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.beacon.indicators.Indicator;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;
import org.beacon.stats.Funnel;

/** beacon.grading: MSF averaging, inspection areas, gaps, the versioned rule table, the scorecard and funnels. */
public record GradingSettings(
    String msfAverage,
    List<Area> areas,
    List<Gap> gaps,
    String rulesVersion,
    List<Rule> rules,
    List<ScorecardMeasure> scorecard,
    Funnel.Overdispersion funnelOverdispersion,
    double funnelWinsorTail,
    int funnelLimitPoints) {

  /** An inspection area and the indicators (or gaps) graded in it. */
  public record Area(String id, String name, List<String> indicators) {}

  /** A gap: an indicator's estimate for one subgroup minus another's, with the polarity of the gap itself. */
  public record Gap(String id, String name, String indicator, String subgroupType, String group, String versus,
      Indicator.Polarity polarity) {}

  /** One row of the rule table: matches the three comparisons, gives a grade. An empty list matches anything. */
  public record Rule(String grade, List<String> vsMsf, List<String> change, List<String> movement, String note)
      implements java.io.Serializable {
    public boolean matches(String vsMsfValue, String changeValue, String movementValue) {
      return (vsMsf.isEmpty() || vsMsf.contains(vsMsfValue)) && (change.isEmpty() || change.contains(changeValue))
          && (movement.isEmpty() || movement.contains(movementValue));
    }
  }

  /** A balanced-scorecard measure: an indicator and its target in percent. */
  public record ScorecardMeasure(String indicator, double targetPct) {}

  static final Set<String> GRADES = Set.of("exceeding", "meeting", "failing");
  static final Set<String> VS_MSF = Set.of("better", "same", "worse", "none");
  static final Set<String> CHANGE = Set.of("improved", "unchanged", "deteriorated", "none");
  static final Set<String> MOVEMENT = Set.of("up", "level", "down");

  public static GradingSettings fromConfig(Config c, List<Indicator> indicators) {
    String path = "beacon.grading";
    Map<String, Indicator> byId = new java.util.LinkedHashMap<>();
    indicators.forEach(i -> byId.put(i.id(), i));
    String msf = Settings.read(path, c::getString, "msf-average");
    if (!Set.of("mean", "pooled").contains(msf)) {
      throw new SettingsException(path + ".msf-average must be mean or pooled, not '" + msf + "'.");
    }
    List<Gap> gaps = new ArrayList<>();
    for (Config g : c.getConfigList("gaps")) {
      String id = Settings.read(path + ".gaps", g::getString, "id");
      String indicator = Settings.read(path + ".gaps", g::getString, "indicator");
      if (!byId.containsKey(indicator)) {
        throw new SettingsException(path + ".gaps (" + id + ") names the indicator '" + indicator + "', which beacon.indicators "
            + "does not define.");
      }
      Indicator.Polarity polarity = g.getString("polarity").equals("lower-is-better") ? Indicator.Polarity.LOWER_IS_BETTER
          : Indicator.Polarity.HIGHER_IS_BETTER;
      gaps.add(new Gap(id, g.getString("name"), indicator, g.getString("subgroup-type"), g.getString("group"),
          g.getString("versus"), polarity));
    }
    List<Area> areas = new ArrayList<>();
    for (Config a : c.getConfigList("areas")) {
      List<String> members = a.getStringList("indicators");
      for (String m : members) {
        if (!byId.containsKey(m) && gaps.stream().noneMatch(g -> g.id().equals(m))) {
          throw new SettingsException(path + ".areas (" + a.getString("id") + ") names '" + m + "', which is neither an "
              + "indicator nor a gap.");
        }
      }
      areas.add(new Area(a.getString("id"), a.getString("name"), members));
    }
    List<Rule> rules = new ArrayList<>();
    List<? extends Config> table = c.getConfigList("rules.table");
    for (int i = 0; i < table.size(); i++) {
      Config r = table.get(i);
      String where = path + ".rules.table[" + i + "]";
      String grade = r.getString("grade");
      if (!GRADES.contains(grade)) {
        throw new SettingsException(where + ".grade must be one of " + GRADES + ", not '" + grade + "'.");
      }
      rules.add(new Rule(grade, values(r, where, "vs-msf", VS_MSF), values(r, where, "change", CHANGE),
          values(r, where, "movement", MOVEMENT), r.hasPath("note") ? r.getString("note") : ""));
    }
    Rule last = rules.isEmpty() ? null : rules.get(rules.size() - 1);
    if (last == null || !(last.vsMsf().isEmpty() && last.change().isEmpty() && last.movement().isEmpty())) {
      throw new SettingsException(path + ".rules.table must end with a rule that matches anything (no conditions), so "
          + "every indicator gets a grade.");
    }
    List<ScorecardMeasure> scorecard = new ArrayList<>();
    for (Config m : c.getConfigList("scorecard.measures")) {
      String indicator = m.getString("indicator");
      if (!byId.containsKey(indicator)) {
        throw new SettingsException(path + ".scorecard names the indicator '" + indicator + "', which beacon.indicators "
            + "does not define.");
      }
      scorecard.add(new ScorecardMeasure(indicator, m.getDouble("target-pct")));
    }
    String od = c.getString("funnel.overdispersion");
    Funnel.Overdispersion overdispersion = switch (od) {
      case "none" -> Funnel.Overdispersion.NONE;
      case "multiplicative" -> Funnel.Overdispersion.MULTIPLICATIVE;
      case "additive" -> Funnel.Overdispersion.ADDITIVE;
      default -> throw new SettingsException(path + ".funnel.overdispersion must be none, multiplicative or additive, not '"
          + od + "'.");
    };
    double tail = c.getDouble("funnel.winsor-tail");
    if (!(tail >= 0 && tail < 0.5)) {
      throw new SettingsException(path + ".funnel.winsor-tail must lie in [0, 0.5), not " + tail + ".");
    }
    int points = c.getInt("funnel.limit-points");
    if (points < 2) {
      throw new SettingsException(path + ".funnel.limit-points must be at least 2, not " + points + ".");
    }
    return new GradingSettings(msf, areas, gaps, Settings.read(path, c::getString, "rules.version"), rules, scorecard,
        overdispersion, tail, points);
  }

  private static List<String> values(Config r, String where, String key, Set<String> allowed) {
    if (!r.hasPath(key)) {
      return List.of();
    }
    List<String> list = r.getStringList(key);
    for (String v : list) {
      if (!allowed.contains(v)) {
        throw new SettingsException(where + "." + key + " must list values among " + allowed + ", not '" + v + "'.");
      }
    }
    return List.copyOf(list);
  }

  public Gap gap(String id) {
    return gaps.stream().filter(g -> g.id().equals(id)).findFirst().orElse(null);
  }

  /** The grading settings (beacon.grading). */
  public static GradingSettings of(Settings settings) {
    return settings.section(GradingSettings.class);
  }

  /** Reads and validates these settings at start-up (META-INF/services/org.beacon.runtime.Settings$Section). */
  public static final class Section extends Settings.SectionOf<GradingSettings> {
    public Section() {
      super(GradingSettings.class, (settings, beacon) -> fromConfig(beacon.getConfig("grading"),
          org.beacon.indicators.Indicator.all(settings)));
    }
  }
}
