package org.beacon.survey;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;

/**
 * A survey source as configured (beacon.sources.ID): where its files land, the header they are delivered
 * with and what each column is. See reference.conf for the meaning of each key.
 */
public record SurveySource(
    String id,
    String name,
    String landingDir,
    List<String> columns,
    List<String> freeText,
    List<String> key,
    List<String> pseudonymise,
    String dateColumn,
    String areaColumn,
    String areaLevel,
    Map<String, List<String>> codes,
    Map<String, String> booleans,
    List<String> numbers,
    List<String> dates,
    Map<String, Map<String, String>> questionScales,
    Design design,
    Weighting weighting,
    int minCellSize,
    List<String> subgroups,
    Map<String, String> derivedSubgroups,
    Map<String, List<String>> subgroupCells) {

  public static final List<String> AREA_LEVELS = List.of("neighbourhood", "sector", "ocu");
  /** The levels estimates are made at, lowest first. */
  public static final List<String> LEVELS = List.of("neighbourhood", "sector", "ocu", "force");
  /** The period types of the estimates; neighbourhoods have financial years only. */
  public static final List<String> PERIOD_TYPES = List.of("financial_year", "year_to_date", "rolling_4q", "quarter");

  /** The sample design: weight column ("" for equal weights), strata, PSU ("" when units are the PSUs), FPC. */
  public record Design(String weight, String strata, String psu, String fpc) {}

  /** Raking margins (each a list of silver columns crossed) and trimming bounds; no margins: no raking. */
  public record Weighting(List<List<String>> margins, double trimLower, double trimUpper) {
    public boolean isRaked() {
      return !margins.isEmpty();
    }
  }

  public static SurveySource fromConfig(String id, Config c, Map<String, Map<String, String>> scales) {
    String path = "beacon.sources." + id;
    List<String> columns = Settings.read(path, c::getStringList, "columns");
    Set<String> known = new LinkedHashSet<>(columns);
    List<String> freeText = listOfColumns(path, c, "free-text", known);
    List<String> key = listOfColumns(path, c, "key", known);
    if (key.isEmpty()) {
      throw new SettingsException(path + ".key must name at least one column.");
    }
    List<String> pseudonymise = listOfColumns(path, c, "pseudonymise", known);
    String date = Settings.read(path, c::getString, "date");
    requireColumn(path, "date", date, known);
    String areaColumn = Settings.read(path, c::getString, "area.column");
    requireColumn(path, "area.column", areaColumn, known);
    String areaLevel = Settings.read(path, c::getString, "area.level");
    if (!AREA_LEVELS.contains(areaLevel)) {
      throw new SettingsException(path + ".area.level must be one of " + AREA_LEVELS + ", not '" + areaLevel + "'.");
    }
    Map<String, List<String>> codes = new LinkedHashMap<>();
    for (String col : c.getObject("codes").keySet()) {
      requireColumn(path, "codes", col, known);
      String list = c.getString("codes." + Settings.quote(col));
      if (!Demographics.CODE_LISTS.containsKey(list)) {
        throw new SettingsException(path + ".codes." + col + " names the code list '" + list + "'; known lists are "
            + Demographics.CODE_LISTS.keySet() + ".");
      }
      codes.put(col, Demographics.CODE_LISTS.get(list));
    }
    Map<String, String> booleans = new LinkedHashMap<>();
    for (String col : c.getObject("booleans").keySet()) {
      requireColumn(path, "booleans", col, known);
      booleans.put(col, c.getString("booleans." + Settings.quote(col)));
    }
    Map<String, Map<String, String>> questions = new LinkedHashMap<>();
    for (String q : c.getObject("questions").keySet()) {
      String scale = c.getString("questions." + Settings.quote(q));
      if (!scales.containsKey(scale)) {
        throw new SettingsException(path + ".questions." + q + " names the scale '" + scale
            + "', which beacon.scales does not define.");
      }
      requireColumn(path, "questions", q, known);
      questions.put(q, scales.get(scale));
    }
    Design design = new Design(Settings.read(path, c::getString, "design.weight"),
        Settings.read(path, c::getString, "design.strata"), Settings.read(path, c::getString, "design.psu"),
        Settings.read(path, c::getString, "design.fpc"));
    List<List<String>> margins = new java.util.ArrayList<>();
    for (Object m : c.getList("weighting.margins").unwrapped()) {
      if (!(m instanceof List<?> l) || l.isEmpty()) {
        throw new SettingsException(path + ".weighting.margins must be a list of column lists, such as [[age_band, sex]].");
      }
      margins.add(l.stream().map(String::valueOf).toList());
    }
    double trimLower = c.hasPath("weighting.trim-lower") ? c.getDouble("weighting.trim-lower") : 0;
    double trimUpper = c.hasPath("weighting.trim-upper") ? c.getDouble("weighting.trim-upper") : Double.MAX_VALUE;
    if (!(trimLower >= 0 && trimLower < 1 && trimUpper > 1)) {
      throw new SettingsException(path + ".weighting trim bounds must satisfy 0 <= trim-lower < 1 < trim-upper.");
    }
    // Subgroups are silver columns, or derived ones: a Spark SQL expression over silver columns, by name.
    Map<String, String> derived = new java.util.LinkedHashMap<>();
    if (c.hasPath("derived-subgroups")) {
      c.getObject("derived-subgroups").unwrapped().forEach((k, v) -> derived.put(k, String.valueOf(v)));
    }
    List<String> subgroups = Settings.read(path, c::getStringList, "subgroups");
    for (String d : derived.keySet()) {
      if (!subgroups.contains(d)) {
        throw new SettingsException(path + ".derived-subgroups defines '" + d + "', which " + path + ".subgroups does not list.");
      }
    }
    Map<String, List<String>> subgroupCells = subgroupCells(path + ".subgroup-cells",
        Settings.read(path, c::getConfig, "subgroup-cells"), areaLevel);
    int minCell = Settings.read(path, c::getInt, "min-cell-size");
    if (minCell < 1) {
      throw new SettingsException(path + ".min-cell-size must be at least 1, not " + minCell + ".");
    }
    return new SurveySource(id, Settings.read(path, c::getString, "name"), Settings.read(path, c::getString, "landing-dir"),
        List.copyOf(columns), freeText, key, pseudonymise, date, areaColumn, areaLevel, codes, booleans,
        listOfColumns(path, c, "numbers", known), listOfColumns(path, c, "dates", known), questions, design,
        new Weighting(List.copyOf(margins), trimLower, trimUpper), minCell, subgroups, derived, subgroupCells);
  }

  /** The period types a level is estimated in: all, but financial years only for neighbourhoods. */
  public static List<String> periodTypes(String level) {
    return level.equals("neighbourhood") ? List.of("financial_year") : PERIOD_TYPES;
  }

  /**
   * A subgroup-cells block (level -> period types) at {@code path}: levels at or above the source's area level,
   * period types of {@link #PERIOD_TYPES}, and for neighbourhoods financial years only, as for the whole population.
   */
  public static Map<String, List<String>> subgroupCells(String path, Config config, String areaLevel) {
    Map<String, List<String>> cells = new LinkedHashMap<>();
    List<String> levels = LEVELS.subList(LEVELS.indexOf(areaLevel), LEVELS.size());
    for (String level : LEVELS) {
      if (!config.hasPath(level)) {
        continue;
      }
      List<String> types = Settings.read(path, config::getStringList, level);
      if (!levels.contains(level)) {
        throw new SettingsException(path + " names " + level + ", below the source's area level (" + areaLevel + ").");
      }
      List<String> allowed = periodTypes(level);
      for (String t : types) {
        if (!allowed.contains(t)) {
          throw new SettingsException(path + "." + level + " names '" + t + "'; it may list " + allowed + ".");
        }
      }
      if (!types.isEmpty()) {
        cells.put(level, List.copyOf(types));
      }
    }
    for (String key : config.root().keySet()) {
      if (!LEVELS.contains(key)) {
        throw new SettingsException(path + " has '" + key + "', which is not one of the levels " + LEVELS + ".");
      }
    }
    return java.util.Collections.unmodifiableMap(cells);
  }

  private static List<String> listOfColumns(String path, Config c, String key, Set<String> known) {
    List<String> list = Settings.read(path, c::getStringList, key);
    for (String col : list) {
      requireColumn(path, key, col, known);
    }
    return List.copyOf(list);
  }

  private static void requireColumn(String path, String key, String column, Set<String> known) {
    if (!known.contains(column)) {
      throw new SettingsException(path + "." + key + " names '" + column + "', which is not one of " + path + ".columns.");
    }
  }

  /** This source with another weight column in its design (the raked weight, once computed). */
  public SurveySource withDesignWeight(String column) {
    return new SurveySource(id, name, landingDir, columns, freeText, key, pseudonymise, dateColumn, areaColumn, areaLevel,
        codes, booleans, numbers, dates, questionScales, new Design(column, design.strata(), design.psu(), design.fpc()),
        weighting, minCellSize, subgroups, derivedSubgroups, subgroupCells);
  }

  /** This source estimating only the given subgroups, at the given levels and period types (beacon cells). */
  public SurveySource withSubgroupCells(List<String> estimated, Map<String, List<String>> cells) {
    return new SurveySource(id, name, landingDir, columns, freeText, key, pseudonymise, dateColumn, areaColumn, areaLevel,
        codes, booleans, numbers, dates, questionScales, design, weighting, minCellSize, List.copyOf(estimated), derivedSubgroups,
        Map.copyOf(cells));
  }

  /** A subgroup's value: its derived expression, or the silver column of that name. */
  public org.apache.spark.sql.Column subgroupColumn(String subgroup) {
    return derivedSubgroups.containsKey(subgroup) ? org.apache.spark.sql.functions.expr(derivedSubgroups.get(subgroup))
        : org.apache.spark.sql.functions.col(subgroup);
  }

  /** The scale of a question: answer label as delivered -> code. */
  public Map<String, String> scale(String question) {
    return questionScales.get(question);
  }

  /** The natural key's columns as silver names them (pseudonymised ones by their keyed hash). */
  public List<String> silverKey() {
    return key.stream().map(k -> pseudonymise.contains(k) ? pseudonymName(k) : k).toList();
  }

  /** The silver name of a pseudonymised column: respondent_id -> respondent_key. */
  public static String pseudonymName(String column) {
    return column.endsWith("_id") ? column.substring(0, column.length() - 3) + "_key" : column + "_key";
  }
}
