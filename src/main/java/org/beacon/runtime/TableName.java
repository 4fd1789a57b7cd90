package org.beacon.runtime;

/**
 * A table of the lakehouse: a layer (bronze, silver, gold, quarantine, ops) and a name. Every table
 * lives at {@code <lakehouse>/<layer>/<name>} and is registered in the catalog as {@code layer.name}.
 */
public record TableName(String layer, String name) {
  public static final TableName BRONZE_FTD = bronze("ftd");
  public static final TableName SILVER_FTD = silver("ftd");
  public static final TableName QUARANTINE_FTD = quarantine("ftd");
  public static final TableName SILVER_GEOGRAPHY = new TableName("silver", "reference__geography");
  public static final TableName SILVER_POPULATION = new TableName("silver", "reference__population");
  public static final TableName SILVER_MSF_GROUPS = new TableName("silver", "reference__msf_groups");
  public static final TableName SILVER_OCU_POPULATION = new TableName("silver", "reference__ocu_population");
  public static final TableName SILVER_LSOA_LOOKUP = new TableName("silver", "reference__lsoa_lookup");
  public static final TableName BRONZE_POLICE_UK_STREET = new TableName("bronze", "police_uk__street");
  public static final TableName SILVER_POLICE_UK_CRIMES = new TableName("silver", "police_uk__crimes");
  public static final TableName QUARANTINE_POLICE_UK_STREET = new TableName("quarantine", "police_uk__street");
  public static final TableName BRONZE_POLICE_UK_OUTCOMES = new TableName("bronze", "police_uk__outcomes");
  public static final TableName SILVER_POLICE_UK_OUTCOMES = new TableName("silver", "police_uk__outcomes");
  public static final TableName QUARANTINE_POLICE_UK_OUTCOMES = new TableName("quarantine", "police_uk__outcomes");
  public static final TableName GOLD_CRIME_MONTHLY = new TableName("gold", "crime_monthly");
  public static final TableName GOLD_CRIME_FINANCIAL_YEARS = new TableName("gold", "crime_financial_years");
  public static final TableName GOLD_SPC_POINTS = new TableName("gold", "spc_points");
  public static final TableName GOLD_INVESTMENT_OUTCOMES = new TableName("gold", "investment_outcomes");
  public static final TableName SILVER_CONTINGENCY_FUND = new TableName("silver", "workforce__contingency_fund");
  public static final TableName GOLD_WORKFORCE_INDICATORS = new TableName("gold", "workforce_indicators");
  public static final TableName SILVER_WORKFORCE = new TableName("silver", "workforce__ocu_years");
  public static final TableName GOLD_WEIGHTING_EFFICIENCY = new TableName("gold", "weighting_efficiency");
  public static final TableName GOLD_SMALL_AREA_ESTIMATES = new TableName("gold", "small_area_estimates");
  public static final TableName GOLD_PANEL_CHANGES = new TableName("gold", "panel_changes");
  public static final TableName GOLD_PANEL_VS_SAMPLE = new TableName("gold", "panel_vs_sample");
  public static final TableName OPS_LOAD_RECONCILIATION = new TableName("ops", "load_reconciliation");
  public static final TableName GOLD_SURVEY_ESTIMATES = new TableName("gold", "survey_estimates");
  public static final TableName GOLD_INDICATOR_COMPARISONS = new TableName("gold", "indicator_comparisons");
  public static final TableName GOLD_INDICATOR_GAPS = new TableName("gold", "indicator_gaps");
  public static final TableName GOLD_INDICATOR_GRADES = new TableName("gold", "indicator_grades");
  public static final TableName GOLD_SCORECARD = new TableName("gold", "scorecard");
  public static final TableName GOLD_FUNNEL_POINTS = new TableName("gold", "funnel_points");
  public static final TableName GOLD_FUNNEL_LIMITS = new TableName("gold", "funnel_limits");

  public static final java.util.List<String> LAYERS = java.util.List.of("bronze", "silver", "gold", "quarantine", "ops");

  /** A survey source's responses as delivered. */
  public static TableName bronze(String source) {
    return new TableName("bronze", source + "__responses");
  }

  public static TableName silver(String source) {
    return new TableName("silver", source + "__responses");
  }

  public static TableName quarantine(String source) {
    return new TableName("quarantine", source + "__responses");
  }

  /** The table a qualified name ("layer.name") names. */
  public static TableName parse(String qualified) {
    int dot = qualified.indexOf('.');
    return new TableName(qualified.substring(0, dot), qualified.substring(dot + 1));
  }

  public String qualified() {
    return layer + "." + name;
  }

  @Override
  public String toString() {
    return qualified();
  }
}
