package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FunnelCommandTest {
  private static Path csv(String text) throws IOException {
    Path f = Files.createTempFile("funnel", ".csv");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void printsLimitsAndSignificancePerArea() throws IOException {
    // Overall 200 / 1000 = 0.2; at n = 100, 0.2 ± z × 0.04: 95% (0.121601, 0.278399), 99.8% (0.076391, 0.323609).
    Path f = csv("area,numerator,denominator\nA,21,100\nB,36,100\nC,12,100\nD,131,700\n");
    Captured c = Captured.run("funnel", "--input", f.toString(), "--format", "csv");
    assertEquals(0, c.code(), c.err());
    String[] lines = c.out().split("\n");
    assertEquals("area,numerator,denominator,value,overall,lower_95,upper_95,lower_998,upper_998,significance", lines[0]);
    assertEquals("A,21,100,0.21,0.2,0.121601,0.278399,0.076391,0.323609,not significant", lines[1]);
    assertTrue(lines[2].endsWith(",high at 99.8%"), lines[2]);
    assertTrue(lines[3].endsWith(",low at 95%"), lines[3]);
    assertEquals(5, lines.length);
  }

  @Test
  void badRowsNameTheFileRowAndField() throws IOException {
    Path f = csv("area,numerator,denominator\nA,21,100\nB,lots,100\n");
    Captured c = Captured.run("funnel", "--input", f.toString());
    assertEquals(1, c.code());
    assertTrue(c.err().contains(f + " row 3 field numerator: 'lots' is not a number."), c.err());
    Path g = csv("area,events,denominator\nA,21,100\n");
    Captured missing = Captured.run("funnel", "--input", g.toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("funnel needs the column 'numerator'"), missing.err());
  }
}
