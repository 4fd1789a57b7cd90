package org.beacon.crime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * data.police.uk files written as the real downloads are: CRLF line endings and a final CRLF, no byte-order mark,
 * an empty Context, ASB rows without a Crime ID or outcome, rows with no location last in street files ("No
 * Location") and scattered in outcomes files ("No location"), in folders yyyy-MM/yyyy-MM-force-kind.csv.
 */
final class PoliceUkDownloads {
  static final String STREET_HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
      + "Crime type,Last outcome category,Context";
  static final String OUTCOMES_HEADER = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
      + "Outcome type";
  static final String ASB = "Anti-social behaviour";

  /** A street-file row; an empty lsoa is a row with no location, an empty id an ASB row. */
  record Street(String id, String lsoa, String type, String outcome) {}

  /** An outcomes-file row: an event for a crime of this or an earlier month. */
  record Outcome(String id, String lsoa, String outcome) {}

  private PoliceUkDownloads() {}

  static void street(Path download, String month, String force, String forceName, List<Street> rows) {
    List<String> lines = new ArrayList<>(List.of(STREET_HEADER));
    List<Street> located = rows.stream().filter(r -> !r.lsoa().isEmpty()).toList();
    List<Street> nowhere = rows.stream().filter(r -> r.lsoa().isEmpty()).toList();
    for (Street r : located) {
      lines.add(String.join(",", r.id(), month, forceName, forceName, "-0.0921", "51.5178", "On or near Wood Street", r.lsoa(),
          "Somewhere " + r.lsoa().substring(5), r.type(), r.outcome(), ""));
    }
    for (Street r : nowhere) {
      lines.add(String.join(",", r.id(), month, forceName, forceName, "", "", "No Location", "", "", r.type(), r.outcome(), ""));
    }
    write(download.resolve(month).resolve(month + "-" + force + "-street.csv"), lines);
  }

  static void outcomes(Path download, String month, String force, String forceName, List<Outcome> rows) {
    List<String> lines = new ArrayList<>(List.of(OUTCOMES_HEADER));
    for (Outcome r : rows) {
      lines.add(r.lsoa().isEmpty()
          ? String.join(",", r.id(), month, forceName, forceName, "", "", "No location", "", "", r.outcome())
          : String.join(",", r.id(), month, forceName, forceName, "-0.0921", "51.5178", "On or near Wood Street", r.lsoa(),
              "Somewhere " + r.lsoa().substring(5), r.outcome()));
    }
    write(download.resolve(month).resolve(month + "-" + force + "-outcomes.csv"), lines);
  }

  private static void write(Path file, List<String> lines) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\r\n", lines) + "\r\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
