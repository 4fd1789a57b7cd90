package org.beacon.extracts;

import java.util.List;

/**
 * One table of an extract, as every writer sees it: its fields in their published order, each with a
 * kind that fixes how it is written, and its rows. A MEASURE is a percentage or a mean score, as the
 * row's "unit" field says ("percent" or "mean"); percentages are held in percent (84.3).
 */
public record ExtractTable(String name, String title, List<Field> fields, List<Object[]> rows) {

  public enum Kind { TEXT, INTEGER, NUMBER, MEASURE, PERCENT, BOOLEAN }

  public record Field(String name, Kind kind, String description) {}

  public int index(String field) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(field)) {
        return i;
      }
    }
    throw new IllegalArgumentException("The extract table " + name + " has no field " + field + ".");
  }

  /** The rows whose field equals the value. */
  public ExtractTable where(String field, Object value) {
    int i = index(field);
    return new ExtractTable(name, title, fields, rows.stream().filter(r -> value.equals(r[i])).toList());
  }

  /** True when the row's measure fields are percentages. */
  public boolean isPercent(Object[] row) {
    int unit = fields.stream().map(Field::name).toList().indexOf("unit");
    return unit < 0 || "percent".equals(row[unit]);
  }
}
