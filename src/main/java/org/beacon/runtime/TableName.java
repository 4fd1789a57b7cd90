package org.beacon.runtime;

/**
 * A table of the lakehouse: a layer (bronze, silver, gold, quarantine, ops) and a name. Every table
 * lives at {@code <lakehouse>/<layer>/<name>} and is registered in the catalog as {@code layer.name}.
 */
public record TableName(String layer, String name) {
  public static final TableName OPS_LOAD_RECONCILIATION = new TableName("ops", "load_reconciliation");

  public static final java.util.List<String> LAYERS = java.util.List.of("bronze", "silver", "gold", "quarantine", "ops");

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
