package org.beacon.runtime;

import org.beacon.indicators.IndicatorTables;

import org.beacon.spc.SpcTables;

import org.beacon.crime.CrimeTables;

import org.beacon.grading.GradingTables;

import org.beacon.survey.SurveyTables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The features' table declarations are found through the service file, each once, each documented. */
class TableSpecTest {
  @Test
  void everyFeatureDeclaresItsTablesOnce() {
    Settings settings = Settings.load(Map.of());
    List<TableSpec> all = TableSpec.all(settings);
    Set<TableName> names = all.stream().map(TableSpec::name).collect(Collectors.toSet());
    assertEquals(all.size(), names.size(), "a table declared twice: " + all.stream().map(TableSpec::name).toList());
    // One table of each feature's declarations.
    for (TableName t : List.of(SurveyTables.silver("ftd"), IndicatorTables.GOLD_SURVEY_ESTIMATES, GradingTables.GOLD_INDICATOR_GRADES,
        CrimeTables.GOLD_CRIME_MONTHLY, SpcTables.GOLD_SPC_POINTS)) {
      assertTrue(names.contains(t), t + " is declared (META-INF/services/org.beacon.runtime.TableSpec$Declarations)");
    }
    all.forEach(t -> assertFalse(DataDictionary.table(t.name()).isBlank(), t.name() + " has a comment"));
    assertEquals(List.of("financial_year"), TableSpec.declared(settings, IndicatorTables.GOLD_SURVEY_ESTIMATES).partitionColumns());
    assertEquals("grade_is_known", TableSpec.declared(settings, GradingTables.GOLD_INDICATOR_GRADES).checks().get(0).name());
    TableSpec undeclared = TableSpec.declared(settings, SurveyTables.SILVER_GEOGRAPHY);
    assertTrue(undeclared.suite().isEmpty() && undeclared.checks().isEmpty() && undeclared.partitionColumns().isEmpty());
  }
}
