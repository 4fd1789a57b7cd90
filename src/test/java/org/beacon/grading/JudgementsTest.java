package org.beacon.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.beacon.runtime.BeaconException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The moderated judgements file is checked row by row, and the mart puts each judgement beside the outcome assessment. */
class JudgementsTest {
  private static final String HEADER = "force_code,inspection_area,period,judgement,rationale,recorded_by,recorded_on\n";
  private static final List<String> AREAS = List.of("neighbourhood_policing", "citizen_focus");

  @TempDir
  Path dir;

  private List<Row> read(String... rows) throws Exception {
    Path file = Files.writeString(dir.resolve("moderated_judgements.csv"), HEADER + String.join("\n", rows) + "\n");
    return Judgements.read(file, Set.of("west-midlands", "avon"), AREAS);
  }

  @Test
  void everyPublishedJudgementNamesAnAreaBeaconGrades() {
    List<String> ids = GradingSettings.of(org.beacon.runtime.Settings.load(Map.of())).areas().stream().map(GradingSettings.Area::id)
        .toList();
    List<String> published = Judgements.published().stream().map(r -> r.getString("area")).toList();
    assertEquals(2, published.size());
    for (String area : published) {
      assertTrue(ids.contains(Judgements.PUBLISHED_AREAS.get(area)), "the report's area '" + area + "' is not one of " + ids);
    }
  }

  @Test
  void hmicsWordsAndTheGradesAreBothRead() throws Exception {
    List<Row> rows = read("west-midlands,neighbourhood_policing,2007/08,Meeting the standard,\"Moderated: abstractions, engagement\","
        + "Lead inspector,2008-09-01", "avon,citizen_focus,2006/07,exceeding,Strong evidence,Team,2007-09-30");
    assertEquals("meeting", rows.get(0).getString(3));
    assertEquals("Moderated: abstractions, engagement", rows.get(0).getString(4));
    assertEquals(java.sql.Date.valueOf("2008-09-01"), rows.get(0).getDate(6));
    assertEquals("exceeding", rows.get(1).getString(3));
  }

  @Test
  void aWrongRowIsNamedByFileRowAndField() {
    String good = "west-midlands,neighbourhood_policing,2007/08,meeting,Why,Team,2008-09-01";
    Map<String, String[]> cases = Map.of(
        "judgement 'excellent'", new String[] {good, "avon,citizen_focus,2007/08,excellent,Why,Team,2008-09-01"},
        "inspection_area 'roads_policing'", new String[] {good, "avon,roads_policing,2007/08,meeting,Why,Team,2008-09-01"},
        "force_code 'atlantis'", new String[] {good, "atlantis,citizen_focus,2007/08,meeting,Why,Team,2008-09-01"},
        "period '2007/09'", new String[] {good, "avon,citizen_focus,2007/09,meeting,Why,Team,2008-09-01"},
        "recorded_on '01/09/2008'", new String[] {good, "avon,citizen_focus,2007/08,meeting,Why,Team,01/09/2008"},
        "no rationale", new String[] {good, "avon,citizen_focus,2007/08,meeting,,Team,2008-09-01"},
        "twice, in rows 1 and 2", new String[] {good, "west-midlands,neighbourhood_policing,2007/08,failing,Why,Team,2008-09-02"});
    cases.forEach((expected, rows) -> {
      BeaconException e = assertThrows(BeaconException.class, () -> read(rows), expected);
      assertTrue(e.getMessage().contains("moderated_judgements.csv") && e.getMessage().contains(expected)
          && (expected.startsWith("twice") || e.getMessage().contains(" row 2 ")), e.getMessage());
    });
  }

  @Test
  void eachOutcomeAssessmentStandsBesideItsJudgement() {
    SparkSession spark = SharedSpark.session();
    StructType grades = StructType.fromDDL("force_code STRING, inspection_area STRING, period STRING, grade STRING, reason STRING, "
        + "rule_version STRING, grade_level STRING");
    var assessed = spark.createDataFrame(List.of(
        RowFactory.create("wm", "neighbourhood_policing", "2007/08", "exceeding", "r1", "v1", Grades.OUTCOME_ASSESSMENT),
        RowFactory.create("wm", "citizen_focus", "2007/08", "meeting", "r2", "v1", Grades.OUTCOME_ASSESSMENT),
        RowFactory.create("wm", "neighbourhood_policing", "2006/07", "meeting", "r3", "v1", Grades.OUTCOME_ASSESSMENT),
        RowFactory.create("wm", "citizen_focus", "2007/08", "failing", "indicator row", "v1", "indicator")), grades);
    var recorded = spark.createDataFrame(List.of(
        RowFactory.create("wm", "neighbourhood_policing", "2007/08", "meeting", "moderated", "Team", java.sql.Date.valueOf("2008-09-01")),
        RowFactory.create("wm", "citizen_focus", "2007/08", "meeting", "agreed", "Team", java.sql.Date.valueOf("2008-09-01")),
        RowFactory.create("wm", "citizen_focus", "2005/06", "failing", "before grades", "Team", java.sql.Date.valueOf("2006-09-01"))),
        Judgements.SCHEMA);
    List<String> out = Judgements.sideBySide(assessed, recorded).orderBy("period", "inspection_area").collectAsList().stream()
        .map(r -> r.getAs("period") + " " + r.getAs("inspection_area") + " " + r.getAs("outcome_assessment") + " "
            + r.getAs("moderated_judgement") + " " + r.getAs("comparison")).toList();
    assertEquals(List.of("2005/06 citizen_focus null failing no outcome assessment",
        "2006/07 neighbourhood_policing meeting null no judgement recorded",
        "2007/08 citizen_focus meeting meeting agrees",
        "2007/08 neighbourhood_policing exceeding meeting differs"), out);
  }
}
