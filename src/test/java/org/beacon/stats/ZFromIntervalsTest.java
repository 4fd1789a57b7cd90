package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** p and the difference intervals tell one story: significant at a level exactly when that interval excludes zero. */
class ZFromIntervalsTest {
  private static final double Z95 = Wilson.z(0.95);
  private static final double Z998 = Wilson.z(0.998);

  @Test
  void aNormalIntervalGivesTheZTest() {
    double se = 1.5;
    assertEquals(2.0, DifferenceTest.zFromIntervals(3.0, Z95 * se, Z998 * se), 1e-12);
    assertEquals(-2.0, DifferenceTest.zFromIntervals(-3.0, Z95 * se, Z998 * se), 1e-12);
    assertEquals(0.0, DifferenceTest.zFromIntervals(0.0, Z95 * se, Z998 * se));
  }

  @Test
  void anAsymmetricIntervalIsReadOnTheSideOfZero() {
    // h(z) = a + b z through (1.959964, 2) and (3.090232, 4): b = 2 / 1.130268, a = 2 - b * 1.959964; h(z) = 3.
    double b = 2 / (Z998 - Z95);
    assertEquals((3 - (2 - b * Z95)) / b, DifferenceTest.zFromIntervals(3, 2, 4), 1e-12);
    assertEquals(2.5251, DifferenceTest.zFromIntervals(3, 2, 4), 1e-4);
    // Distances that do not grow with the level: the 95% one alone.
    assertEquals(Z95 * 3 / 2, DifferenceTest.zFromIntervals(3, 2, 2), 1e-12);
  }

  @Test
  void belowThe95PercentDistanceZIsProportionalAndATieHasPOne() {
    // The line through (1.959964, 16.28) and (3.090232, 28.68) crosses zero near z = 0.47: a tie read on it had p = 0.63.
    assertEquals(1.0, DifferenceTest.pValue(DifferenceTest.zFromIntervals(1.4e-14, 16.28, 28.68)), 1e-12);
    assertEquals(1.0, DifferenceTest.pValue(DifferenceTest.zFromIntervals(-1.4e-14, 16.28, 28.68)), 1e-12);
    assertEquals(Z95 * 8 / 16.28, DifferenceTest.zFromIntervals(8, 16.28, 28.68), 1e-12);
    // Continuous at the 95% distance, where both pieces give z95 (p = 0.05), and increasing on either side of it.
    assertEquals(Z95, DifferenceTest.zFromIntervals(16.28, 16.28, 28.68), 1e-12);
    assertEquals(Z95, DifferenceTest.zFromIntervals(Math.nextDown(16.28), 16.28, 28.68), 1e-12);
    double previous = 0;
    for (double d = 0.5; d < 40; d += 0.5) {
      double z = DifferenceTest.zFromIntervals(d, 16.28, 28.68);
      assertTrue(z > previous, "z must grow with the difference; at " + d + " it is " + z + " after " + previous);
      previous = z;
    }
  }

  /**
   * Two independent proportions compared by MOVER on Wilson intervals (as the comparisons against earlier years and OCU
   * peers are): over 20,000 random pairs, p &lt; 0.05 and p &lt; 0.002 agree with the 95% and 99.8% intervals every time,
   * where the z test on the standard errors (the rule before) disagreed with them.
   */
  @Test
  void pAgreesWithBothIntervalsWhereTheZTestDidNot() {
    Random random = new Random(20261205);
    int waldDisagrees = 0;
    for (int i = 0; i < 20_000; i++) {
      int n1 = 20 + random.nextInt(400);
      int n2 = 20 + random.nextInt(400);
      double p1 = random.nextDouble();
      double p2 = Math.min(1, Math.max(0, p1 + random.nextGaussian() * 0.08));
      double x1 = Math.round(p1 * n1);
      double x2 = Math.round(p2 * n2);
      double[] d95 = Mover.difference(x1 / n1, Wilson.lower(x1, n1, 0.95), Wilson.upper(x1, n1, 0.95), x2 / n2,
          Wilson.lower(x2, n2, 0.95), Wilson.upper(x2, n2, 0.95));
      double[] d998 = Mover.difference(x1 / n1, Wilson.lower(x1, n1, 0.998), Wilson.upper(x1, n1, 0.998), x2 / n2,
          Wilson.lower(x2, n2, 0.998), Wilson.upper(x2, n2, 0.998));
      double d = d95[0];
      double z = DifferenceTest.zFromIntervals(d, d >= 0 ? d - d95[1] : d95[2] - d, d >= 0 ? d - d998[1] : d998[2] - d);
      double p = DifferenceTest.pValue(z);
      boolean sig95 = d95[1] > 0 || d95[2] < 0;
      boolean sig998 = d998[1] > 0 || d998[2] < 0;
      String pair = x1 + "/" + n1 + " against " + x2 + "/" + n2;
      assertEquals(sig95, p < 0.05, pair + ": p " + p + " against the 95% interval " + d95[1] + " to " + d95[2]);
      assertEquals(sig998, p < 0.002, pair + ": p " + p + " against the 99.8% interval " + d998[1] + " to " + d998[2]);
      double se1 = Math.sqrt((x1 / n1) * (1 - x1 / n1) / n1);
      double se2 = Math.sqrt((x2 / n2) * (1 - x2 / n2) / n2);
      if (se1 + se2 > 0 && (DifferenceTest.pValue(DifferenceTest.z(x1 / n1, se1, x2 / n2, se2)) < 0.05) != sig95) {
        waldDisagrees++;
      }
    }
    assertTrue(waldDisagrees > 0, "the z test on the standard errors should disagree with the MOVER intervals somewhere");
  }
}
