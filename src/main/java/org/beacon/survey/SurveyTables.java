package org.beacon.survey;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.TableSpec;
import org.beacon.runtime.TableSpec.Suite;

/**
 * Each configured survey's silver table, gated on its natural key and the columns every estimate needs, and the
 * comments of its question columns (their answer scales), which the data dictionary cannot know.
 */
public final class SurveyTables implements TableSpec.Declarations {
  @Override
  public List<TableSpec> tables(Settings settings) {
    return SurveySources.all(settings).stream().map(s -> TableSpec.of(TableName.silver(s.id())).gated(new Suite(s.silverKey(),
        List.of(s.dateColumn(), "financial_year", "quarter", "force_code", "ocu_code"), List.of()))).toList();
  }

  @Override
  public String columnComment(Settings settings, TableName table, String column) {
    String suffix = TableName.silver("").name();
    SurveySource source = table.name().endsWith(suffix)
        ? SurveySources.of(settings, table.name().substring(0, table.name().length() - suffix.length())) : null;
    Map<String, String> scale = source == null ? null : source.scale(column);
    if (scale == null) {
      return null;
    }
    return "silver".equals(table.layer())
        ? "The answer's code: " + String.join(", ", new LinkedHashSet<>(scale.values())) + "; null when not asked."
        : "The answer as printed on the questionnaire: " + String.join(" / ", scale.keySet()) + "; blank when not asked.";
  }
}
