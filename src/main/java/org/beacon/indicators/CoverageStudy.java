package org.beacon.indicators;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.beacon.stats.Kish;
import org.beacon.stats.TaylorVariance;
import org.beacon.stats.Wilson;

/**
 * `beacon coverage`: how often the published intervals cover the truth. A finite population of
 * N people with a known share p is sampled again and again with unequal selection probabilities
 * (probability-proportional-to-size with replacement, so weights 1/π vary with a weighting design effect
 * near the target); each sample's Hájek estimate gets a Wilson interval on the design-effective n
 * and a Wald interval, and the share of intervals containing p is counted.
 */
public final class CoverageStudy {
  public record Result(String method, int replications, int covered, double meanWidth, double meanDeff) {
    public double coverage() {
      return (double) covered / replications;
    }
  }

  private CoverageStudy() {}

  public static List<Result> run(int replications, int sampleSize, double truth, double sizeSigma, double confidence, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int populationSize = 50 * sampleSize;
    double[] size = new double[populationSize];
    boolean[] y = new boolean[populationSize];
    double total = 0;
    // Selection size is lognormal and related to the outcome, so unweighted estimates would be biased.
    for (int i = 0; i < populationSize; i++) {
      size[i] = Math.exp(sizeSigma * gaussian(random));
      total += size[i];
    }
    double[] order = size.clone();
    java.util.Arrays.sort(order);
    double median = order[populationSize / 2];
    int positives = 0;
    for (int i = 0; i < populationSize; i++) {
      y[i] = random.nextDouble() < (size[i] > median ? truth + 0.05 : truth - 0.05);
      positives += y[i] ? 1 : 0;
    }
    double p = (double) positives / populationSize;
    double[] cumulative = new double[populationSize];
    double running = 0;
    for (int i = 0; i < populationSize; i++) {
      running += size[i] / total;
      cumulative[i] = running;
    }
    int wilsonCovered = 0;
    int waldCovered = 0;
    double wilsonWidth = 0;
    double waldWidth = 0;
    double deff = 0;
    double z = Wilson.z(confidence);
    double[] w = new double[sampleSize];
    double[] yy = new double[sampleSize];
    double[] ones = new double[sampleSize];
    java.util.Arrays.fill(ones, 1);
    for (int r = 0; r < replications; r++) {
      for (int k = 0; k < sampleSize; k++) {
        int i = java.util.Arrays.binarySearch(cumulative, random.nextDouble() * running);
        i = i < 0 ? Math.min(populationSize - 1, -i - 1) : i;
        w[k] = total / size[i];
        yy[k] = y[i] ? 1 : 0;
      }
      TaylorVariance.Result est = TaylorVariance.ratio(yy, ones, w, null, null, null, TaylorVariance.LonelyPsu.FAIL);
      double nEff = TaylorVariance.effectiveN(est.estimate(), est.variance(), Kish.effectiveN(w), sampleSize);
      deff += sampleSize / nEff;
      double lo = Wilson.lower(est.estimate() * nEff, nEff, confidence);
      double hi = Wilson.upper(est.estimate() * nEff, nEff, confidence);
      wilsonCovered += lo <= p && p <= hi ? 1 : 0;
      wilsonWidth += hi - lo;
      double half = z * est.se();
      waldCovered += est.estimate() - half <= p && p <= est.estimate() + half ? 1 : 0;
      waldWidth += 2 * half;
    }
    List<Result> out = new ArrayList<>();
    out.add(new Result("Wilson on design-effective n", replications, wilsonCovered, wilsonWidth / replications, deff / replications));
    out.add(new Result("Wald", replications, waldCovered, waldWidth / replications, deff / replications));
    return out;
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
