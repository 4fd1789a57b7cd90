package org.beacon.generate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Exact-count calibration: integer counts that add up to a target total, and weighted subsets that hit a weighted share. */
public final class Allocation {
  private Allocation() {}

  /**
   * Splits {@code total} into integers proportional to {@code shares} by the largest-remainder method,
   * each at most {@code caps[i]} (pass null for no caps).
   */
  public static int[] largestRemainder(double[] shares, long total, int[] caps) {
    int n = shares.length;
    double sum = Arrays.stream(shares).sum();
    int[] out = new int[n];
    if (total <= 0 || sum <= 0) {
      return out;
    }
    double[] exact = new double[n];
    long assigned = 0;
    for (int i = 0; i < n; i++) {
      exact[i] = shares[i] / sum * total;
      out[i] = (int) Math.floor(exact[i]);
      if (caps != null) {
        out[i] = Math.min(out[i], caps[i]);
      }
      assigned += out[i];
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -(exact[i] - out[i])).thenComparingInt(i -> i));
    while (assigned < total) {
      boolean moved = false;
      for (int i : order) {
        if (assigned < total && (caps == null || out[i] < caps[i])) {
          out[i]++;
          assigned++;
          moved = true;
        }
      }
      if (!moved) {
        throw new IllegalStateException("Cannot place " + total + " within the caps " + Arrays.toString(caps) + ".");
      }
    }
    return out;
  }

  /** The k indices with the highest keys (Gumbel-top-k when keys are log-weights plus Gumbel draws). */
  public static boolean[] topK(double[] keys, int k) {
    Integer[] order = IntStream.range(0, keys.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -keys[i]).thenComparingInt(i -> i));
    boolean[] chosen = new boolean[keys.length];
    for (int j = 0; j < Math.min(k, keys.length); j++) {
      chosen[order[j]] = true;
    }
    return chosen;
  }

  /**
   * Chooses respondents in priority order until their weights reach {@code share} of the total weight,
   * then closes the remaining gap with the one addition or swap that comes nearest. The weighted share
   * comes out within a small fraction of a percentage point of the target.
   */
  public static boolean[] weightedShare(double[] weights, double[] priority, double share) {
    int n = weights.length;
    double target = share * Arrays.stream(weights).sum();
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -priority[i]).thenComparingInt(i -> i));
    boolean[] chosen = new boolean[n];
    double sum = 0;
    for (int i : order) {
      if (sum + weights[i] <= target) {
        chosen[i] = true;
        sum += weights[i];
      }
    }
    double gap = target - sum;
    // Candidates outside the set sorted by weight, for a nearest-weight search.
    Integer[] outside = IntStream.range(0, n).filter(i -> !chosen[i]).boxed()
        .sorted(Comparator.comparingDouble(i -> weights[i])).toArray(Integer[]::new);
    double[] outsideWeights = Arrays.stream(outside).mapToDouble(i -> weights[i]).toArray();
    double best = gap;
    int bestIn = -1;
    int bestOut = nearest(outsideWeights, gap);
    if (bestOut >= 0 && Math.abs(gap - outsideWeights[bestOut]) < best) {
      best = Math.abs(gap - outsideWeights[bestOut]);
    } else {
      bestOut = -1;
    }
    for (int i = 0; i < n; i++) {
      if (chosen[i]) {
        int j = nearest(outsideWeights, gap + weights[i]);
        if (j >= 0 && Math.abs(gap + weights[i] - outsideWeights[j]) < best) {
          best = Math.abs(gap + weights[i] - outsideWeights[j]);
          bestIn = i;
          bestOut = j;
        }
      }
    }
    if (bestOut >= 0) {
      chosen[outside[bestOut]] = true;
      if (bestIn >= 0) {
        chosen[bestIn] = false;
      }
    }
    return chosen;
  }

  private static int nearest(double[] sorted, double value) {
    if (sorted.length == 0) {
      return -1;
    }
    int pos = Arrays.binarySearch(sorted, value);
    if (pos >= 0) {
      return pos;
    }
    int ins = -pos - 1;
    if (ins == 0) {
      return 0;
    }
    if (ins == sorted.length) {
      return sorted.length - 1;
    }
    return value - sorted[ins - 1] <= sorted[ins] - value ? ins - 1 : ins;
  }
}
