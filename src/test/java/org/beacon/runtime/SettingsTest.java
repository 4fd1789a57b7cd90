package org.beacon.runtime;

import org.beacon.sql.ServeSettings;

import org.beacon.survey.SurveySources;

import org.beacon.indicators.Indicator;

import org.beacon.generate.GeneratorSettings;

import org.beacon.extracts.ExtractSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void defaultsLoadAndValidate() {
    Settings s = Settings.load(Map.of());
    assertEquals(0.95, s.confidence());
    assertEquals(30, s.minCellSize());
    assertEquals("west-midlands", GeneratorSettings.of(s).homeForce());
    assertTrue(Indicator.all(s).stream().anyMatch(i -> i.id().equals("ftd_confidence")));
  }

  @Test
  void anUnknownKeyIsRefusedByName() {
    SettingsException e = assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.privacy.min-cel-size", 10)));
    assertTrue(e.getMessage().contains("beacon.privacy.min-cel-size"), e.getMessage());
  }

  @Test
  void aWrongTypeNamesTheKey() {
    SettingsException e = assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.privacy.min-cell-size", "many")));
    assertTrue(e.getMessage().contains("privacy.min-cell-size"), e.getMessage());
  }

  @Test
  void outOfRangeValuesAreRefused() {
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.estimates.confidence", 1.5)))
        .getMessage().contains("beacon.estimates.confidence"));
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.generate.forces", 44)))
        .getMessage().contains("beacon.generate.forces"));
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.catalog.type", "external")))
        .getMessage().contains("metastore-uri"));
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.privacy.pseudonym-key", "short")))
        .getMessage().contains("beacon.privacy.pseudonym-key is too short"));
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.privacy.pseudonym-key", " ")))
        .getMessage().contains("beacon.privacy.pseudonym-key must not be blank"));
  }

  @Test
  void subgroupCellsAreTheSourcesLevelsAndPeriodTypes() {
    Settings s = Settings.load(Map.of());
    // By default the cells packs and marts read and those that mostly publish (docs/statistics.md), no more.
    java.util.List<String> every = org.beacon.survey.SurveySource.PERIOD_TYPES;
    java.util.List<String> year = java.util.List.of("financial_year");
    assertEquals(java.util.Map.of("force", every, "ocu", year, "sector", year), SurveySources.of(s, "ftd").subgroupCells());
    assertEquals(java.util.Map.of("force", every, "ocu", java.util.List.of("financial_year", "year_to_date")),
        SurveySources.of(s, "user_satisfaction").subgroupCells());
    assertEquals(java.util.Map.of("force", year), SurveySources.of(s, "force_survey").subgroupCells());
    assertEquals(java.util.Map.of("force", every, "ocu", java.util.List.of("financial_year", "rolling_4q", "quarter")),
        SurveySources.of(s, "tracker_panel").subgroupCells());
    String cells = "beacon.sources.ftd.subgroup-cells.";
    assertEquals("beacon.sources.ftd.subgroup-cells.neighbourhood names 'quarter'; it may list [financial_year].",
        assertThrows(SettingsException.class, () -> Settings.load(Map.of(cells + "neighbourhood", java.util.List.of("quarter"))))
            .getMessage());
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of(cells + "ocu", java.util.List.of("month"))))
        .getMessage().contains("names 'month'"));
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of(cells + "region", java.util.List.of("quarter"))))
        .getMessage().contains("'region', which is not one of the levels"));
    assertEquals("beacon.sources.user_satisfaction.subgroup-cells names sector, below the source's area level (ocu).",
        assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.sources.user_satisfaction.subgroup-cells.sector",
            java.util.List.of("financial_year")))).getMessage());
  }

  @Test
  void packsListOnlySubgroupCellsTheSourceEstimates() {
    Settings s = Settings.load(Map.of());
    assertEquals(java.util.List.of("financial_year", "year_to_date", "quarter"), ExtractSettings.of(s).subgroupCells().get("ftd").get("force"));
    assertEquals(java.util.List.of("ocu"), java.util.List.copyOf(ExtractSettings.of(s).subgroupCells().get("tracker_panel").keySet()));
    String cells = "beacon.extracts.subgroup-cells.";
    assertEquals("beacon.extracts.subgroup-cells.ftd.neighbourhood names 'quarter'; it may list [financial_year].",
        assertThrows(SettingsException.class, () -> Settings.load(Map.of(cells + "ftd.neighbourhood", java.util.List.of("quarter"))))
            .getMessage());
    assertEquals("beacon.extracts.subgroup-cells names the source 'bcs', which beacon.sources does not define.",
        assertThrows(SettingsException.class, () -> Settings.load(Map.of(cells + "bcs.force", java.util.List.of("quarter"))))
            .getMessage());
    assertEquals("beacon.extracts.subgroup-cells.force_survey.force lists [financial_year, quarter], but "
            + "beacon.sources.force_survey.subgroup-cells.force estimates only [financial_year].",
        assertThrows(SettingsException.class, () -> Settings.load(Map.of(
            "beacon.sources.force_survey.subgroup-cells.force", java.util.List.of("financial_year"),
            cells + "force_survey.force", java.util.List.of("financial_year", "quarter")))).getMessage());
  }

  @Test
  void anIndicatorWithAnAnswerCodeOffItsScaleIsRefused() {
    var config = com.typesafe.config.ConfigFactory.parseString(
        "beacon.indicators = [{ id = x, name = x, source = ftd, question = q_fair, positive = [very_safe], "
            + "excluded = [], polarity = higher-is-better }]").withFallback(com.typesafe.config.ConfigFactory.load());
    SettingsException e = assertThrows(SettingsException.class, () -> Settings.from(config));
    assertTrue(e.getMessage().contains("'very_safe'"), e.getMessage());
  }

  @Test
  void financialYearsAndQuarters() {
    assertEquals("2007/08", FinancialYear.label(2007));
    assertEquals("1999/00", FinancialYear.label(1999));
    assertEquals(2007, FinancialYear.startYear("2007/08"));
    assertThrows(BeaconException.class, () -> FinancialYear.startYear("2007/09"));
    assertEquals(4, FinancialYear.quarterOf(java.time.LocalDate.of(2008, 3, 31)));
    assertEquals(1, FinancialYear.quarterOf(java.time.LocalDate.of(2007, 4, 1)));
    assertEquals(2007, FinancialYear.startYearOf(java.time.LocalDate.of(2008, 3, 31)));
  }

  /** The endpoint's settings: who may connect, and what a client may set, are checked before anything starts. */
  @Test
  void theEndpointsAuthenticationAndClientSettingsAreChecked() {
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.serve.host", "0.0.0.0")))
        .getMessage().contains("without authentication"));
    assertEquals("0.0.0.0", ServeSettings.of(Settings.load(Map.of("beacon.serve.host", "0.0.0.0", "beacon.serve.authentication",
        "users-file"))).host());
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.serve.authentication", "ldap")))
        .getMessage().contains("beacon.serve.ldap.url"));
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.serve.authentication", "kerberos")))
        .getMessage().contains("none, users-file or ldap"));
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.serve.authentication", "users-file",
        "beacon.serve.hive-conf.\"hive.server2.authentication\"", "LDAP"))).getMessage().contains("choose one"));
    assertTrue(assertThrows(SettingsException.class, () -> Settings.load(Map.of("beacon.serve.client-settings",
        java.util.List.of("spark.sql.variable.substitute")))).getMessage().contains("spark.sql.variable.substitute"));
  }
}
