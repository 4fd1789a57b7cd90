package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RakingTest {
  // Eight respondents: sex (0 male, 1 female) and age (0 young, 1 old); the sample has too few young men.
  private static final int[] SEX = {0, 0, 1, 1, 1, 1, 1, 0};
  private static final int[] AGE = {0, 1, 1, 1, 0, 1, 0, 1};

  @Test
  void weightsMeetEveryMarginExactly() {
    List<Raking.Margin> margins = List.of(new Raking.Margin("sex", SEX, new double[] {480, 520}),
        new Raking.Margin("age", AGE, new double[] {400, 600}));
    Raking.Result r = Raking.rake(new double[] {1, 1, 1, 1, 1, 1, 1, 1}, margins, 0, Double.MAX_VALUE, 1e-10, 200);
    assertTrue(r.converged());
    double[] sex = new double[2];
    double[] age = new double[2];
    for (int i = 0; i < SEX.length; i++) {
      sex[SEX[i]] += r.weights()[i];
      age[AGE[i]] += r.weights()[i];
    }
    assertEquals(480, sex[0], 1e-6);
    assertEquals(520, sex[1], 1e-6);
    assertEquals(400, age[0], 1e-6);
    assertEquals(600, age[1], 1e-6);
    assertTrue(r.efficiency() < 1 && r.efficiency() > 0.5, "efficiency " + r.efficiency());
  }

  @Test
  void trimmingKeepsWeightsInsideTheBounds() {
    List<Raking.Margin> margins = List.of(new Raking.Margin("sex", SEX, new double[] {480, 520}),
        new Raking.Margin("age", AGE, new double[] {400, 600}));
    Raking.Result r = Raking.rake(new double[] {1, 1, 1, 1, 1, 1, 1, 1}, margins, 0.5, 1.6, 1e-6, 500);
    double mean = 1000.0 / 8;
    for (double w : r.weights()) {
      assertTrue(w <= 1.6 * mean * (1 + 1e-9) && w >= 0.5 * mean * (1 - 1e-9), "weight " + w);
    }
  }

  @Test
  void anEmptyCategoryWithAPopulationIsRefused() {
    List<Raking.Margin> margins = List.of(new Raking.Margin("age", new int[] {0, 0}, new double[] {10, 20}));
    assertThrows(IllegalArgumentException.class, () -> Raking.rake(new double[] {1, 1}, margins, 0, 10, 1e-9, 10));
  }
}
