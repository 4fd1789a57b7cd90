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
  /** A survey source's responses as delivered. */
  public static TableName bronze(String source) {
    return new TableName("bronze", source + "__responses");
  }

  /** A survey source's accepted responses, typed and de-duplicated. */
  public static TableName silver(String source) {
    return new TableName("silver", source + "__responses");
  }

  /** A survey source's rejected responses, each with its reason. */
  public static TableName quarantine(String source) {
    return new TableName("quarantine", source + "__responses");
  }

  public static final TableName SILVER_GEOGRAPHY = new TableName("silver", "reference__geography");
  public static final TableName SILVER_POPULATION = new TableName("silver", "reference__population");
  public static final TableName SILVER_MSF_GROUPS = new TableName("silver", "reference__msf_groups");
  public static final TableName SILVER_OCU_POPULATION = new TableName("silver", "reference__ocu_population");

  @Override
  public List<TableSpec> tables(Settings settings) {
    return SurveySources.all(settings).stream().map(s -> TableSpec.of(SurveyTables.silver(s.id())).gated(new Suite(s.silverKey(),
        List.of(s.dateColumn(), "financial_year", "quarter", "force_code", "ocu_code"), List.of()))).toList();
  }

  @Override
  public String columnComment(Settings settings, TableName table, String column) {
    String suffix = silver("").name();
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
