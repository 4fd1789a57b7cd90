package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MoverTest {
  private static final double TOL = 1e-12;

  @Test
  void differenceTakesTheLowerSideOfTheFirstAndTheUpperSideOfTheSecond() {
    // (0.5; 0.40, 0.62) minus (0.3; 0.22, 0.35): lower 0.2 - sqrt(0.1^2 + 0.05^2), upper 0.2 + sqrt(0.12^2 + 0.08^2).
    assertArrayEquals(new double[] {0.2, 0.2 - Math.sqrt(0.0125), 0.2 + Math.sqrt(0.0208)},
        Mover.difference(0.5, 0.40, 0.62, 0.3, 0.22, 0.35), TOL);
  }

  @Test
  void differenceOfWilsonIntervalsIsNewcombesMethodTen() {
    // Newcombe (1998b), example (a): 56/70 - 48/80, method 10 interval 0.0524 to 0.3339.
    double[] d = Newcombe.interval(56, 70, 48, 80, 0.95);
    assertArrayEquals(new double[] {0.2, 0.0524, 0.3339}, d, 5e-5);
  }

  @Test
  void anUnweightedAverageShrinksEachDistanceByTheNumberOfComponents() {
    double[] c = {1.0 / 3, 1.0 / 3, 1.0 / 3};
    double[] m = Mover.linear(c, new double[] {50, 52, 54}, new double[] {47, 48, 51}, new double[] {53, 55, 56});
    // Mean 52; below: sqrt(3^2 + 4^2 + 3^2) / 3; above: sqrt(3^2 + 3^2 + 2^2) / 3.
    assertArrayEquals(new double[] {52, 52 - Math.sqrt(34) / 3, 52 + Math.sqrt(22) / 3}, m, TOL);
  }

  @Test
  void symmetricLimitsGiveTheNormalIntervalOfTheCombination() {
    // Components with estimate +- 1.96 se: the combination's half-width is 1.96 sqrt(sum c^2 se^2).
    double z = 1.96;
    double[] m = Mover.linear(new double[] {2, -0.5}, new double[] {10, 4}, new double[] {10 - z * 3, 4 - z * 2},
        new double[] {10 + z * 3, 4 + z * 2});
    double half = z * Math.sqrt(4 * 9 + 0.25 * 4);
    assertArrayEquals(new double[] {18, 18 - half, 18 + half}, m, 1e-9);
  }

  @Test
  void refusesLimitsThatDoNotContainTheEstimate() {
    assertThrows(IllegalArgumentException.class, () -> Mover.difference(0.5, 0.55, 0.6, 0.3, 0.2, 0.4));
    assertThrows(IllegalArgumentException.class, () -> Mover.linear(new double[] {1}, new double[] {1, 2}, new double[] {0},
        new double[] {3}));
  }
}
