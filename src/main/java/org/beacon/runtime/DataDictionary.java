package org.beacon.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;

/**
 * What every table and column of the lakehouse holds, from the one dictionary {@code data-dictionary.conf}.
 * Tables carry it as their comments (a column comment is the field metadata key "comment" that Spark's
 * DESCRIBE and the JDBC driver's REMARKS read), so analysts browsing the catalog see the same text.
 */
public final class DataDictionary {
  private static final Config DICTIONARY = ConfigFactory.parseResources("data-dictionary.conf").resolve();

  private DataDictionary() {}

  /** The table's comment; every table Beacon writes has one, so a missing entry is a build defect. */
  public static String table(TableName table) {
    Config entry = entry(table);
    if (entry == null || !entry.hasPath("comment")) {
      throw new BeaconException("The data dictionary (data-dictionary.conf) has no comment for " + table
          + ": add one under tables." + table.qualified() + ".");
    }
    return entry.getString("comment").replace("{source}", source(table));
  }

  /**
   * The column's comment in this table, or null when the dictionary does not know it: the table's own
   * entry first, then the lakehouse-wide meaning, then what the table's feature says (a survey question's answer scale).
   */
  public static String column(Settings settings, TableName table, String column) {
    return column(settings, table, column, null);
  }

  /** As above, with the comment a view's column inherits from its table ranking after the view's own entry. */
  public static String column(Settings settings, TableName table, String column, String inherited) {
    Config entry = entry(table);
    String key = quoted(column);
    if (entry != null && entry.hasPath("columns." + key)) {
      return entry.getString("columns." + key);
    }
    if (inherited != null) {
      return inherited;
    }
    if (DICTIONARY.hasPath("columns." + key)) {
      return DICTIONARY.getString("columns." + key);
    }
    return TableSpec.columnComment(settings, table, column);
  }

  /**
   * What a field of an extract table (indicators.csv, a workbook sheet) holds: the extract's own entry under
   * {@code extracts.<extract>}, then one every extract table shares ({@code extracts.columns}), then the column's
   * meaning in the gold table the extract is drawn from. A field none of them describes is a build defect.
   */
  public static String extractField(Settings settings, String extract, TableName source, String field) {
    for (String path : List.of("extracts." + quoted(extract) + "." + quoted(field), "extracts.columns." + quoted(field))) {
      if (DICTIONARY.hasPath(path)) {
        return DICTIONARY.getString(path);
      }
    }
    String comment = column(settings, source, field);
    if (comment == null) {
      throw new BeaconException("The data dictionary (data-dictionary.conf) does not describe the field " + field
          + " of the " + extract + " extract: add it under extracts." + extract + " or to " + source + ".");
    }
    return comment;
  }

  /** The fields an extract's own entry describes ("columns" for those every extract shares), for the staleness check. */
  public static java.util.Map<String, List<String>> extractEntries() {
    java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
    Config extracts = DICTIONARY.getConfig("extracts");
    extracts.root().keySet().forEach(k -> out.put(k, extracts.getConfig(quoted(k)).root().keySet().stream().sorted().toList()));
    return out;
  }

  /** The rows with each known column's comment attached, so the write stores them in the table's schema. */
  public static Dataset<Row> describe(Settings settings, TableName table, Dataset<Row> rows) {
    List<Column> columns = new ArrayList<>();
    for (String c : rows.columns()) {
      String comment = column(settings, table, c);
      Column plain = rows.col("`" + c + "`");
      columns.add(comment == null ? plain : plain.as(c, withComment(rows.schema().apply(c).metadata(), comment)));
    }
    return rows.select(columns.toArray(new Column[0]));
  }

  static Metadata withComment(Metadata metadata, String comment) {
    return new MetadataBuilder().withMetadata(metadata).putString("comment", comment).build();
  }

  /** Every entry of the dictionary's shared column meanings, for the check that none is stale. */
  public static List<String> sharedColumns() {
    return DICTIONARY.getConfig("columns").root().keySet().stream().sorted().toList();
  }

  /** The columns described for the table itself (its overrides), for the same check. */
  public static List<String> tableColumns(TableName table) {
    Config entry = entry(table);
    return entry == null || !entry.hasPath("columns") ? List.of()
        : entry.getConfig("columns").root().keySet().stream().sorted().toList();
  }

  private static Config entry(TableName table) {
    String layer = "tables." + table.layer() + ".";
    if (DICTIONARY.hasPath(layer + quoted(table.name()))) {
      return DICTIONARY.getConfig(layer + quoted(table.name()));
    }
    // A "*__<entity>" entry serves every source's table of that entity (<source>__<entity>).
    int split = table.name().lastIndexOf("__");
    String template = split < 0 ? null : layer + quoted("*" + table.name().substring(split));
    return template != null && DICTIONARY.hasPath(template) ? DICTIONARY.getConfig(template) : null;
  }

  /** The source part of a {@code <source>__<entity>} name: what a template entry's {source} stands for. */
  private static String source(TableName table) {
    int split = table.name().lastIndexOf("__");
    return split < 0 ? table.name() : table.name().substring(0, split);
  }

  private static String quoted(String key) {
    return com.typesafe.config.ConfigUtil.quoteString(key);
  }
}
