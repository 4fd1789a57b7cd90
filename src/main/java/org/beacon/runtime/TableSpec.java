package org.beacon.runtime;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * What Beacon declares about a table besides its rows, once, in the feature that owns it: the columns its files are
 * split by, its quality suite ({@link QualityGate} runs it before every write) and its CHECK constraints (set when
 * the table is created; Delta enforces them on every write). Features list their tables through a
 * {@link Declarations} service (java.util.ServiceLoader, META-INF/services), so the platform knows no feature; a
 * table no feature declares has none of them.
 */
public record TableSpec(TableName name, List<String> partitionColumns, Optional<Suite> suite, List<Check> checks) {
  /** A named SQL condition that every row must satisfy. */
  public record Rule(String name, String condition) {}

  /** What a table's rows must satisfy; a key column is complete unless it is one of nullableKey. */
  public record Suite(List<String> key, List<String> nullableKey, List<String> complete, List<Rule> rules) {
    public Suite(List<String> key, List<String> complete, List<Rule> rules) {
      this(key, List.of(), complete, rules);
    }

    public List<String> completeColumns() {
      return Stream.concat(key.stream().filter(k -> !nullableKey.contains(k)), complete.stream()).distinct().toList();
    }
  }

  /** A named CHECK constraint and the SQL expression every row must satisfy (true for every valid row). */
  public record Check(String name, String expression) {}

  /** A feature's tables. */
  public interface Declarations {
    List<TableSpec> tables(Settings settings);

    /** The comment of a column the data dictionary does not describe (e.g. a survey question's answer scale), or null. */
    default String columnComment(Settings settings, TableName table, String column) {
      return null;
    }
  }

  private static final List<Declarations> DECLARED = ServiceLoader.load(Declarations.class).stream()
      .map(ServiceLoader.Provider::get).toList();

  public static TableSpec of(TableName name) {
    return new TableSpec(name, List.of(), Optional.empty(), List.of());
  }

  public TableSpec partitionedBy(String... columns) {
    return new TableSpec(name, List.of(columns), suite, checks);
  }

  public TableSpec gated(Suite rules) {
    return new TableSpec(name, partitionColumns, Optional.of(rules), checks);
  }

  public TableSpec constrained(Check... constraints) {
    return new TableSpec(name, partitionColumns, suite, List.of(constraints));
  }

  /** The table as its feature declares it. */
  public static TableSpec declared(Settings settings, TableName table) {
    return DECLARED.stream().flatMap(d -> d.tables(settings).stream()).filter(t -> t.name().equals(table)).findFirst()
        .orElse(of(table));
  }

  /** Every declared table, for the checks that each is documented and valid. */
  public static List<TableSpec> all(Settings settings) {
    return DECLARED.stream().flatMap(d -> d.tables(settings).stream()).toList();
  }

  static String columnComment(Settings settings, TableName table, String column) {
    return DECLARED.stream().map(d -> d.columnComment(settings, table, column)).filter(c -> c != null).findFirst().orElse(null);
  }
}
