package org.beacon.generate;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic random streams: each named stream is seeded from (seed, name), so adding a source or a
 * year never shifts the draws of another and files come out identical for the same seed.
 */
public final class Rng {
  private final SplittableRandom random;

  private Rng(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public static Rng of(long seed, String... names) {
    long h = seed * 0x9E3779B97F4A7C15L;
    for (String name : names) {
      for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
        h = (h ^ b) * 0x100000001B3L;
      }
      h = Long.rotateLeft(h, 17) ^ 0x5851F42D4C957F2DL;
    }
    return new Rng(h);
  }

  public double uniform() {
    return random.nextDouble();
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public double normal() {
    double u1 = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /** A Gumbel draw: ranking log(w) + Gumbel draws samples without replacement with probability proportional to w. */
  public double gumbel() {
    return -Math.log(-Math.log(1 - random.nextDouble() * (1 - 1e-12)));
  }

  public boolean chance(double p) {
    return random.nextDouble() < p;
  }

  /** An index drawn with probability proportional to weights. */
  public int pick(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  public String hex(int chars) {
    char[] out = new char[chars];
    long bits = 0;
    for (int i = 0; i < chars; i++) {
      if (i % 16 == 0) {
        bits = random.nextLong();
      }
      out[i] = Character.forDigit((int) (bits & 0xF), 16);
      bits >>>= 4;
    }
    return new String(out);
  }
}
