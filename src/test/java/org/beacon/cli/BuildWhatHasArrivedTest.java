package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.beacon.crime.CrimeTables;
import org.beacon.indicators.IndicatorTables;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.Tables;
import org.beacon.spc.SpcTables;
import org.junit.jupiter.api.Test;

/** `build` builds every mart whose inputs have arrived, and says so when nothing has. */
class BuildWhatHasArrivedTest {
  @Test
  void aLakehouseOfDataPoliceUkFilesAndOnsGeographyAloneGetsItsCrimeMarts() throws Exception {
    Path lakehouse = Files.createTempDirectory("beacon-crime-only");
    Path downloads = Files.createDirectories(Files.createTempDirectory("police-uk").resolve("2012-01"));
    Files.writeString(downloads.resolve("2012-01-avon-and-somerset-street.csv"), "Crime ID,Month,Reported by,Falls within,"
        + "Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r\n"
        + "aaa1,2012-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.5,51.4,On or near Mill Lane,E01014399,"
        + "Bath and North East Somerset 001A,Burglary,Under investigation,\r\n"
        + ",2012-01,Avon and Somerset Constabulary,Avon and Somerset Constabulary,-2.5,51.4,On or near Mill Lane,E01014399,"
        + "Bath and North East Somerset 001A,Anti-social behaviour,,\r\n");

    Captured nothing = Captured.run("build", "--lakehouse", lakehouse.toString());
    assertEquals(1, nothing.code(), nothing.err());
    assertTrue(nothing.err().contains("Nothing has been ingested into"), nothing.err());

    Captured ons = Captured.run("ingest", "--source", "ons-geography", "--lakehouse", lakehouse.toString());
    assertEquals(0, ons.code(), ons.err());
    Captured ingest = Captured.run("ingest", "--source", "police-uk", "--input", downloads.getParent().toString(),
        "--lakehouse", lakehouse.toString());
    assertEquals(0, ingest.code(), ingest.err());
    Captured build = Captured.run("build", "--lakehouse", lakehouse.toString());
    assertEquals(0, build.code(), build.err());
    Settings settings = Settings.load(Map.of("beacon.lakehouse", lakehouse.toString()));
    assertTrue(Tables.exists(settings, CrimeTables.GOLD_CRIME_MONTHLY), "the crime marts are built");
    assertTrue(Tables.exists(settings, CrimeTables.GOLD_CRIME_FINANCIAL_YEARS), "the crime marts are built");
    assertTrue(Tables.exists(settings, SpcTables.GOLD_SPC_POINTS), "the control charts are built from crime alone");
    assertFalse(Tables.exists(settings, IndicatorTables.GOLD_SURVEY_ESTIMATES), "no survey, no estimates");
    assertTrue(build.err().contains(IndicatorTables.GOLD_SURVEY_ESTIMATES + " not built: "), "each mart left out says why: " + build.err());
    // A progress line per step: its number out of the build's, its time, the rows written so far and the time elapsed.
    java.util.regex.Matcher progress = java.util.regex.Pattern.compile(
        "beacon: build step (\\d+)/(\\d+) \\(([a-z -]+)\\) done in [0-9.]+ s; ([0-9,]+) rows written so far; .+ elapsed").matcher(build.err());
    List<Long> rowsSoFar = new java.util.ArrayList<>();
    List<String> steps = new java.util.ArrayList<>();
    while (progress.find()) {
      assertEquals(rowsSoFar.size() + 1, Integer.parseInt(progress.group(1)), "steps are numbered in order: " + build.err());
      assertEquals(Pipeline.build(null).size(), Integer.parseInt(progress.group(2)));
      steps.add(progress.group(3));
      rowsSoFar.add(Long.parseLong(progress.group(4).replace(",", "")));
    }
    assertEquals(Pipeline.build(null).stream().map(Pipeline.Step::name).toList(), steps,
        "one progress line per build step: " + build.err());
    int crime = steps.indexOf("crime marts");
    assertTrue(rowsSoFar.get(crime) > rowsSoFar.get(crime - 1), "the crime marts' rows count as written: " + rowsSoFar);
    SparkSession spark = SparkSessions.open(settings);
    assertEquals(List.of("E06000022"), Tables.read(spark, settings, CrimeTables.GOLD_CRIME_MONTHLY)
        .filter("level = 'local_authority'").select("area_code").distinct().as(Encoders.STRING()).collectAsList(),
        "E01014399 is in Bath and North East Somerset (ONS)");
    Captured status = Captured.run("status", "--lakehouse", lakehouse.toString());
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().contains(CrimeTables.GOLD_CRIME_MONTHLY.toString()), status.out());
  }
}
