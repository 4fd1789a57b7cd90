package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WilsonTest {
  private static final double TOLERANCE = 1e-9;

  /**
   * Expected bounds computed by hand from the closed form (centre ± half-width, see Wilson), with
   * z = 1.959963985 (95%) and 3.090232306 (99.8%); e.g. 81/263 at 95%: p = 0.307985, z²/n = 0.014606,
   * centre = 0.310749, half-width = 0.055461.
   */
  @ParameterizedTest
  @CsvSource({
      "81, 263, 0.95, 0.2552885199, 0.3662095770",
      "81, 263, 0.998, 0.2280357402, 0.4013894219",
      "0, 50, 0.95, 0.0, 0.0713475991",
      "50, 50, 0.95, 0.9286524009, 1.0",
      "0, 50, 0.998, 0.0, 0.1603628910",
      "796, 1000, 0.95, 0.7699135742, 0.8198209847",
      "12.5, 40.3, 0.95, 0.1892398067, 0.4641472718"})
  void matchesHandComputedBounds(double x, double n, double confidence, double lower, double upper) {
    assertEquals(lower, Wilson.lower(x, n, confidence), TOLERANCE);
    assertEquals(upper, Wilson.upper(x, n, confidence), TOLERANCE);
  }

  @Test
  void zeroAndAllHaveClosedForms() {
    double z = Wilson.z(0.95);
    assertEquals(1.959963985, z, 1e-9);
    assertEquals(z * z / (40 + z * z), Wilson.upper(0, 40, 0.95), TOLERANCE);
    assertEquals(40 / (40 + z * z), Wilson.lower(40, 40, 0.95), TOLERANCE);
  }

  @Test
  void theBoundsAreExactlyZeroAndOneAtTheEnds() {
    for (int n : new int[] {50, 62, 73, 114}) {
      assertEquals(1.0, Wilson.upper(n, n, 0.95));
      assertEquals(1.0, Wilson.upper(n, n, 0.998));
      assertEquals(0.0, Wilson.lower(0, n, 0.998));
    }
  }

  @Test
  void appendixThreeWorkedExampleIsAboutThreePoints() {
    // HMIC 2008, Appendix 3: an 81% estimate from about 1,000 interviews is accurate to about ±3 points.
    double half = (Wilson.upper(810, 1000, 0.95) - Wilson.lower(810, 1000, 0.95)) / 2;
    assertEquals(0.025, half, 0.005);
  }

  @Test
  void rejectsImpossibleInputs() {
    assertThrows(IllegalArgumentException.class, () -> Wilson.lower(5, 0, 0.95));
    assertThrows(IllegalArgumentException.class, () -> Wilson.lower(11, 10, 0.95));
    assertThrows(IllegalArgumentException.class, () -> Wilson.upper(1, 10, 1.0));
  }
}
