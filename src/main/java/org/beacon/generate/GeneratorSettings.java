package org.beacon.generate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;

/**
 * The generator's settings (beacon.generate), read and checked at start-up. The command line's
 * --seed, --forces, --years and --scale replace the matching keys.
 */
public final class GeneratorSettings {
  private static final String PATH = "beacon.generate";
  private final Config c;
  private final long seed;
  private final int firstYear;
  private final int years;
  private final int forces;
  private final double scale;
  private final boolean localSourcesForAll;
  private final Map<String, Anchors> anchors = new LinkedHashMap<>();

  private GeneratorSettings(Config c) {
    this.c = c;
    this.seed = c.getLong("seed");
    this.firstYear = c.getInt("first-financial-year");
    this.years = c.getInt("years");
    this.forces = c.getInt("forces");
    this.scale = c.getDouble("scale");
    if (years < 1 || years > 40) {
      throw new SettingsException(PATH + ".years must lie between 1 and 40, not " + years + ".");
    }
    if (forces < 1 || forces > Forces.ENGLAND_AND_WALES.size()) {
      throw new SettingsException(PATH + ".forces must lie between 1 and " + Forces.ENGLAND_AND_WALES.size() + ", not " + forces + ".");
    }
    if (!(scale > 0 && scale <= 100)) {
      throw new SettingsException(PATH + ".scale must be above 0 and at most 100, not " + scale + ".");
    }
    String local = c.getString("local-sources-forces");
    if (!local.equals("home") && !local.equals("all")) {
      throw new SettingsException(PATH + ".local-sources-forces must be home or all, not '" + local + "'.");
    }
    this.localSourcesForAll = local.equals("all");
    if (Forces.bySlug(c.getString("home-force")) == null) {
      throw new SettingsException(PATH + ".home-force '" + c.getString("home-force") + "' is not a force of England and Wales.");
    }
    for (String peer : c.getStringList("msf-peers")) {
      if (Forces.bySlug(peer) == null) {
        throw new SettingsException(PATH + ".msf-peers names '" + peer + "', which is not a force of England and Wales.");
      }
    }
    // Read every anchor series now, so a bad year label or value fails at start-up.
    for (String group : List.of("targets.ftd", "targets.user-satisfaction", "targets.force-survey", "targets.msf-average")) {
      for (String q : c.getObject(group).keySet()) {
        anchors(group + "." + q);
      }
    }
    for (String key : List.of("targets.user-satisfaction-minority", "targets.user-satisfaction-white",
        "workforce.np-share-pct", "police-uk.all-crime", "police-uk.asb-per-year")) {
      anchors(key);
    }
    for (String type : c.getObject("police-uk.pinned-types").keySet()) {
      anchors("police-uk.pinned-types." + Settings.quote(type));
    }
    for (String q : c.getObject("targets.ftd").keySet()) {
      staffingEffect(q);
    }
    try {
      c.getDouble("staffing-effects.sector-sd-pp");
      c.getConfigList("targets.ftd-ocu-changes").forEach(x -> { x.getStringList("ocus"); x.getString("question");
        FinancialYear.startYear(x.getString("year")); x.getDouble("change-pp"); });
      c.getConfigList("police-uk.ocu-changes").forEach(x -> { x.getString("ocu"); x.getString("type"); x.getDouble("change-pct"); });
      c.getObject("police-uk.type-shares").unwrapped().values().forEach(v -> ((Number) v).doubleValue());
      c.getBoolean("police-uk.compress");
    } catch (ConfigException | ClassCastException e) {
      throw new SettingsException("A key under " + PATH + " is wrong: " + e.getMessage() + ".", e);
    }
  }

  public static GeneratorSettings fromConfig(Config c) {
    return Settings.read(PATH, key -> new GeneratorSettings(c), "");
  }

  public long seed() { return seed; }
  public int firstYear() { return firstYear; }
  public int years() { return years; }
  public int lastYear() { return firstYear + years - 1; }
  public int forces() { return forces; }
  public double scale() { return scale; }
  public boolean localSourcesForAll() { return localSourcesForAll; }
  public String homeForce() { return c.getString("home-force"); }
  public List<String> msfPeers() { return c.getStringList("msf-peers"); }
  public Config raw() { return c; }

  /** An anchor series, e.g. "targets.ftd.q_police_good_job". */
  public Anchors anchors(String key) {
    return anchors.computeIfAbsent(key, k -> {
      try {
        return Anchors.of(PATH + "." + k, c.getObject(k).unwrapped());
      } catch (ConfigException e) {
        throw new SettingsException(PATH + "." + k + ": " + e.getMessage() + ".", e);
      }
    });
  }

  public boolean hasAnchors(String key) {
    return c.hasPath(key);
  }

  /** [effect in pp per pp of neighbourhood staffing share, sd of the OCU random effect in pp]. */
  public double[] staffingEffect(String question) {
    String key = "staffing-effects." + question;
    if (!c.hasPath(key)) {
      throw new SettingsException(PATH + "." + key + " is missing: every FTD target needs its staffing effect.");
    }
    return new double[] {c.getDouble(key + ".effect-pp-per-share-pp"), c.getDouble(key + ".ocu-sd-pp")};
  }

  public int scaled(int n) {
    return Math.max(1, (int) Math.round(n * scale));
  }

  /** The generator's settings (beacon.generate). */
  public static GeneratorSettings of(Settings settings) {
    return settings.section(GeneratorSettings.class);
  }

  /** Reads and validates these settings at start-up (META-INF/services/org.beacon.runtime.Settings$Section). */
  public static final class Section extends Settings.SectionOf<GeneratorSettings> {
    public Section() {
      super(GeneratorSettings.class, (settings, beacon) -> fromConfig(beacon.getConfig("generate")), "generate.targets",
          "generate.staffing-effects", "generate.ftd.asked-share", "generate.workforce.contingency-fund", "generate.police-uk");
    }
  }
}
