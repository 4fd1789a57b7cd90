package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpcCommandTest {
  @Test
  void printsTheChartTableWithSignals() throws IOException {
    Path f = Files.createTempFile("spc", ".csv");
    Files.writeString(f, "period,value\n2007-04,10\n2007-05,12\n2007-06,11\n2007-07,13\n2007-08,9\n2007-09,30\n");
    Captured c = Captured.run("spc", "--input", f.toString(), "--chart", "i", "--freeze", "5", "--format", "csv");
    assertEquals(0, c.code(), c.err());
    String[] lines = c.out().split("\n");
    assertEquals("period,value,centre_line,lower_limit,upper_limit,signal,rules_broken", lines[0]);
    // 11 +- 3 x 2.25 / 1.128 = 11 +- 5.984043.
    assertEquals("2007-04,10,11,5.015957,16.984043,no,", lines[1]);
    assertEquals("2007-09,30,11,5.015957,16.984043,yes,one point beyond 3 sigma", lines[6]);
    Captured mr = Captured.run("spc", "--input", f.toString(), "--chart", "mr", "--format", "csv");
    assertTrue(mr.out().split("\n")[1].startsWith("2007-05,2,"), mr.out());
  }

  @Test
  void rateChartsNeedADenominatorAndSayWhichRowIsWrong() throws IOException {
    Path f = Files.createTempFile("spc", ".csv");
    Files.writeString(f, "period,value\n1,10\n");
    Captured c = Captured.run("spc", "--input", f.toString(), "--chart", "p");
    assertEquals(1, c.code());
    assertTrue(c.err().contains("spc --chart p needs the column 'denominator'"), c.err());
    Path g = Files.createTempFile("spc", ".csv");
    Files.writeString(g, "period,value,denominator\n1,10,100\n2,120,100\n");
    Captured bad = Captured.run("spc", "--input", g.toString(), "--chart", "p");
    assertTrue(bad.err().contains(g + " row 3 field value: a count of events must lie between 0 and the denominator."), bad.err());
    assertEquals(2, Captured.run("spc", "--input", g.toString(), "--chart", "xbar").code());
  }
}
