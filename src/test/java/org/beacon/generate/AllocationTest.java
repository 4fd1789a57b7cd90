package org.beacon.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AllocationTest {
  @Test
  void largestRemainderHitsTheTotalAndRespectsCaps() {
    // Exact shares 3.33.., 3.33.., 3.33..: floors 3,3,3 and the one left goes to the first largest remainder.
    assertArrayEquals(new int[] {4, 3, 3}, Allocation.largestRemainder(new double[] {1, 1, 1}, 10, null));
    assertArrayEquals(new int[] {2, 8}, Allocation.largestRemainder(new double[] {5, 5}, 10, new int[] {2, 100}));
    assertEquals(1658, Arrays.stream(Allocation.largestRemainder(new double[] {0.3, 1.7, 2.2, 9.1}, 1658, null)).sum());
  }

  @Test
  void weightedShareComesWithinAHundredthOfAPoint() {
    Rng rng = Rng.of(1, "allocation-test");
    double[] w = new double[1000];
    double[] priority = new double[1000];
    for (int i = 0; i < w.length; i++) {
      w[i] = 0.5 + 2 * rng.uniform();
      priority[i] = rng.gumbel();
    }
    boolean[] chosen = Allocation.weightedShare(w, priority, 0.497);
    double in = 0;
    double all = 0;
    for (int i = 0; i < w.length; i++) {
      all += w[i];
      in += chosen[i] ? w[i] : 0;
    }
    assertEquals(49.7, 100 * in / all, 0.01);
  }

  @Test
  void topKPicksExactlyK() {
    boolean[] chosen = Allocation.topK(new double[] {0.1, 5, 3, -1, 4}, 2);
    assertArrayEquals(new boolean[] {false, true, false, false, true}, chosen);
    assertTrue(Allocation.topK(new double[] {1, 2}, 5)[0]);
  }
}
