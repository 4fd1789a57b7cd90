package org.beacon.survey;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.LandingFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SurveyIngestJobTest {
  private static final List<String> COLUMNS = List.of("respondent_id", "interview_date", "comment");

  @TempDir
  Path dir;

  private Path file(String content) throws IOException {
    return Files.writeString(dir.resolve("delivery.csv"), content);
  }

  @Test
  void aMatchingHeaderPassesWithOrWithoutAByteOrderMark() throws IOException {
    assertDoesNotThrow(() -> LandingFiles.checkHeader(file("respondent_id,interview_date,comment\n"), COLUMNS));
    assertDoesNotThrow(() -> LandingFiles.checkHeader(file("\uFEFFrespondent_id,interview_date,comment\n"), COLUMNS));
  }

  @Test
  void schemaDriftIsNamedWithTheFile() throws IOException {
    Path f = file("respondent_id,interview_day,comment,extra\n");
    BeaconException e = assertThrows(BeaconException.class, () -> LandingFiles.checkHeader(f, COLUMNS));
    assertEquals("The header of " + f + " does not match the configured columns; missing [interview_date]; "
        + "unexpected [interview_day, extra].", e.getMessage());
  }

  @Test
  void reorderedAndEmptyFilesAreRefused() throws IOException {
    Path reordered = file("interview_date,respondent_id,comment\n");
    assertEquals("The header of " + reordered + " does not match the configured columns; the columns are in a different order.",
        assertThrows(BeaconException.class, () -> LandingFiles.checkHeader(reordered, COLUMNS)).getMessage());
    Path empty = file("");
    assertEquals("The file " + empty + " is empty: it has no header row.",
        assertThrows(BeaconException.class, () -> LandingFiles.checkHeader(empty, COLUMNS)).getMessage());
  }
}
