package org.beacon.runtime;

/**
 * A table of the lakehouse: a layer (bronze, silver, gold, quarantine, ops) and a name. Every table
 * lives at {@code <lakehouse>/<layer>/<name>} and is registered in the catalog as {@code layer.name}.
 */
public record TableName(String layer, String name) {
  public static final TableName BRONZE_FTD = new TableName("bronze", "ftd__responses");
  public static final TableName SILVER_FTD = new TableName("silver", "ftd__responses");
  public static final TableName QUARANTINE_FTD = new TableName("quarantine", "ftd__responses");
  public static final TableName SILVER_GEOGRAPHY = new TableName("silver", "reference__geography");
  public static final TableName OPS_LOAD_RECONCILIATION = new TableName("ops", "load_reconciliation");
  public static final TableName GOLD_SURVEY_ESTIMATES = new TableName("gold", "survey_estimates");

  public static final java.util.List<String> LAYERS = java.util.List.of("bronze", "silver", "gold", "quarantine", "ops");

  public String qualified() {
    return layer + "." + name;
  }

  @Override
  public String toString() {
    return qualified();
  }
}
