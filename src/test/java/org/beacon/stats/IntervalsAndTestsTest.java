package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntervalsAndTestsTest {
  /** Newcombe (1998b), Table II, method 10: the published bounds to four decimals. */
  @ParameterizedTest
  @CsvSource({
      "56, 70, 48, 80, 0.0524, 0.3339",
      "9, 10, 3, 10, 0.1705, 0.8090",
      "6, 7, 2, 7, 0.0582, 0.8062",
      "5, 56, 0, 29, -0.0381, 0.1926",
      "0, 10, 0, 20, -0.1611, 0.2775",
      "0, 10, 0, 10, -0.2775, 0.2775",
      "10, 10, 0, 20, 0.6791, 1.0000",
      "10, 10, 0, 10, 0.6075, 1.0000"})
  void newcombeMatchesThePublishedTable(double x1, double n1, double x2, double n2, double lower, double upper) {
    assertEquals(lower, Newcombe.lower(x1, n1, x2, n2, 0.95), 5e-5);
    assertEquals(upper, Newcombe.upper(x1, n1, x2, n2, 0.95), 5e-5);
  }

  @Test
  void clopperPearsonClosedFormsAndTheBinomialIdentity() {
    // x = 0 and x = n have closed forms: 1 − (α/2)^(1/n) and (α/2)^(1/n).
    assertEquals(1 - Math.pow(0.025, 0.1), ClopperPearson.upper(0, 10, 0.95), 1e-9);
    assertEquals(Math.pow(0.025, 0.1), ClopperPearson.lower(10, 10, 0.95), 1e-9);
    assertEquals(0.0, ClopperPearson.lower(0, 10, 0.95));
    // 5 of 10: the textbook (0.1871, 0.8129).
    assertEquals(0.1871, ClopperPearson.lower(5, 10, 0.95), 5e-5);
    assertEquals(0.8129, ClopperPearson.upper(5, 10, 0.95), 5e-5);
    // The bounds are where the binomial tails equal α/2: P(X ≥ 81 | L) = P(X ≤ 81 | U) = 0.025.
    double lower = ClopperPearson.lower(81, 263, 0.95);
    double upper = ClopperPearson.upper(81, 263, 0.95);
    assertEquals(0.025, 1 - new BinomialDistribution(263, lower).cumulativeProbability(80), 1e-7);
    assertEquals(0.025, new BinomialDistribution(263, upper).cumulativeProbability(81), 1e-7);
    assertTrue(lower < Wilson.lower(81, 263, 0.95) && upper > Wilson.upper(81, 263, 0.95), "exact is wider than Wilson here");
  }

  @Test
  void kishEffectiveSampleSize() {
    // Weights 1, 1, 2, 4: (Σw)² / Σw² = 64 / 22.
    assertEquals(64.0 / 22, Kish.effectiveN(new double[] {1, 1, 2, 4}), 1e-12);
    assertEquals(4 / (64.0 / 22), Kish.weightingDeff(new double[] {1, 1, 2, 4}), 1e-12);
    assertEquals(5.0, Kish.effectiveN(new double[] {3, 3, 3, 3, 3}), 1e-12);
  }

  @Test
  void differenceTestUsesBothStandardErrors() {
    // (0.84 − 0.80) / √(0.01² + 0.02²) = 1.788854; two-sided p = 0.073638.
    double z = DifferenceTest.z(0.84, 0.01, 0.80, 0.02);
    assertEquals(1.788854, z, 1e-6);
    assertEquals(0.073638, DifferenceTest.pValue(z), 1e-6);
    assertFalse(DifferenceTest.isSignificant(0.84, 0.01, 0.80, 0.02, 0.95));
    assertTrue(DifferenceTest.isSignificant(0.84, 0.01, 0.78, 0.02, 0.95));
  }

  @Test
  void mcNemarOnAgrestisApprovalExample() {
    // Agresti (2002), presidential approval: 150 approve→disapprove, 86 disapprove→approve.
    assertEquals(4096.0 / 236, McNemar.statistic(150, 86, false), 1e-9);
    assertEquals(3969.0 / 236, McNemar.statistic(150, 86, true), 1e-9);
    assertTrue(McNemar.pValue(150, 86, true) < 0.0001);
    // Exact: 1 discordant pair each way cannot be significant; p = 1.
    assertEquals(1.0, McNemar.exactPValue(1, 1), 1e-12);
    // b = 0, c = 6: 2 × 0.5⁶ = 0.03125.
    assertEquals(0.03125, McNemar.exactPValue(0, 6), 1e-12);
  }
}
