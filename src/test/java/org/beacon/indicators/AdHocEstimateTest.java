package org.beacon.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.beacon.runtime.BeaconException;
import org.beacon.stats.Wilson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdHocEstimateTest {
  @TempDir
  Path dir;

  private Path csv(String text) throws IOException {
    return Files.writeString(dir.resolve("survey.csv"), text);
  }

  @Test
  void anEqualWeightSampleGivesTheSimpleRandomSamplingResults() throws IOException {
    // 6 of 10 positive: p = 0.6, v = p(1 − p)/(n − 1), deff = n/(n − 1) against p(1 − p)/n.
    Path f = csv("id,y\n1,1\n2,1\n3,0\n4,1\n5,0\n6,1\n7,0\n8,1\n9,0\n10,1\n");
    AdHocEstimate.GroupEstimate g = AdHocEstimate.run(new AdHocEstimate.Options(f, "y", null, null, null, null, null, 0.95)).get(0);
    assertTrue(g.isProportion());
    assertEquals(10, g.n());
    assertEquals(0.6, g.estimate(), 1e-12);
    assertEquals(Math.sqrt(0.24 / 9), g.se(), 1e-12);
    assertEquals(10.0 / 9, g.deff(), 1e-12);
    assertEquals(9.0, g.nEff(), 1e-9);
    assertEquals(Wilson.lower(5.4, 9, 0.95), g.lower(), 1e-12);
    assertEquals(Wilson.upper(5.4, 9, 0.95), g.upper(), 1e-12);
  }

  @Test
  void aBlankAnswerLeavesTheBaseButNotTheDesign() throws IOException {
    // As R's survey package treats na.rm: the blank unit stays a PSU with u = 0, so with 11 PSUs
    // v = 11/10 · Σ u² where u = (y − 0.6)/10 for the ten answers: 11/10 · 0.024.
    Path f = csv("id,y\n1,1\n2,1\n3,0\n4,1\n5,0\n6,1\n7,0\n8,1\n9,0\n10,1\n11,\n");
    AdHocEstimate.GroupEstimate g = AdHocEstimate.run(new AdHocEstimate.Options(f, "y", null, null, null, null, null, 0.95)).get(0);
    assertEquals(10, g.n());
    assertEquals(Math.sqrt(1.1 * 0.024), g.se(), 1e-12);
  }

  @Test
  void aNumericMeasureIsAMeanWithATInterval() throws IOException {
    Path f = csv("s,y\na,2\na,4\nb,6\nb,8\n");
    AdHocEstimate.GroupEstimate g = AdHocEstimate.run(new AdHocEstimate.Options(f, "y", null, null, null, null, null, 0.95)).get(0);
    assertFalse(g.isProportion());
    assertEquals(5.0, g.estimate(), 1e-12);
    // s² = 20/3, v = s²/n = 5/3; t on 3 degrees of freedom.
    assertEquals(Math.sqrt(5.0 / 3), g.se(), 1e-12);
    double t = new TDistribution(3).inverseCumulativeProbability(0.975);
    assertEquals(5 - t * Math.sqrt(5.0 / 3), g.lower(), 1e-9);
  }

  @Test
  void groupsComeAfterTheOverallRowAndUseTheWholeDesign() throws IOException {
    Path f = csv("stratum,psu,w,y,region\nA,a1,2,1,north\nA,a1,2,0,south\nA,a2,3,1,north\nA,a2,1,1,south\n"
        + "B,b1,5,0,north\nB,b1,4,NA,north\nB,b2,1,1,south\nB,b2,1,0,south\nB,b3,2,1,north\nB,b3,6,1,south\n");
    List<AdHocEstimate.GroupEstimate> out = AdHocEstimate.run(
        new AdHocEstimate.Options(f, "y", "w", "stratum", "psu", null, "region", 0.95));
    assertEquals(List.of("all", "north", "south"), out.stream().map(AdHocEstimate.GroupEstimate::group).toList());
    assertEquals(15.0 / 23, out.get(0).estimate(), 1e-12);
    assertEquals(7.0 / 12, out.get(1).estimate(), 1e-12);
    assertEquals(4, out.get(1).n());
  }

  @Test
  void badInputNamesTheFileRowAndField() throws IOException {
    Path f = csv("y,w\n1,2\n0,heavy\n");
    BeaconException e = assertThrows(BeaconException.class,
        () -> AdHocEstimate.run(new AdHocEstimate.Options(f, "y", "w", null, null, null, null, 0.95)));
    assertEquals(f + " row 3 field w: 'heavy' is not a number.", e.getMessage());
    BeaconException missing = assertThrows(BeaconException.class,
        () -> AdHocEstimate.run(new AdHocEstimate.Options(f, "z", null, null, null, null, null, 0.95)));
    assertTrue(missing.getMessage().startsWith("--measure needs the column 'z'"), missing.getMessage());
  }
}
