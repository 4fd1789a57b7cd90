package org.beacon.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.beacon.stats.ControlChart.Point;
import org.beacon.stats.ControlChart.Rules;
import org.beacon.stats.ControlChart.Type;
import org.junit.jupiter.api.Test;

/** Control charts against centre lines and limits worked out by hand from the textbook formulas. */
class ControlChartTest {
  private static final double TOL = 1e-9;
  private static final Rules WE = Rules.WESTERN_ELECTRIC;

  private static List<Integer> beyond(List<Point> points) {
    return points.stream().filter(p -> p.rules().contains("one point beyond 3 sigma")).map(Point::index).toList();
  }

  private static List<Integer> signals(List<Point> points) {
    return points.stream().filter(Point::isSignal).map(Point::index).toList();
  }

  @Test
  void individualsChartFreezesItsLimitsOnTheBaseline() {
    double[] x = {10, 12, 11, 13, 9, 30, 11, 10};
    // Baseline of five: mean 11; moving ranges 2, 1, 2, 4, mean 2.25; limits 11 +- 3 x 2.25 / 1.128.
    List<Point> chart = ControlChart.chart(Type.I, x, null, 5, WE, true);
    double half = 3 * 2.25 / 1.128;
    assertEquals(11, chart.get(7).centre(), TOL);
    assertEquals(11 - half, chart.get(7).lower(), TOL);
    assertEquals(11 + half, chart.get(7).upper(), TOL);
    assertEquals(List.of(5), signals(chart));
    assertEquals(List.of("one point beyond 3 sigma"), chart.get(5).rules());
    // Unfrozen, the spike inflates the moving ranges and hides itself.
    assertEquals(List.of(), signals(ControlChart.chart(Type.I, x, null, 0, WE, true)));
  }

  /**
   * Screening (qicharts2, Making Data Count): 16 values alternating 10 and 11, a jump to 40, then 10 and 16. The
   * moving ranges are fifteen 1s, 29, 30 and 6, mean 80/18 and screening limit 3.267 × 80/18 = 14.52, so 29 and
   * 30 go and sigma = (15 + 6)/16 / 1.128. CL = 234/19. The last value, 16, signals; unscreened the jump hides it.
   */
  @Test
  void individualsChartScreensLargeMovingRanges() {
    double[] x = new double[19];
    for (int i = 0; i < 16; i++) {
      x[i] = i % 2 == 0 ? 10 : 11;
    }
    x[16] = 40;
    x[17] = 10;
    x[18] = 16;
    List<Point> screened = ControlChart.chart(Type.I, x, null, 0, WE, true);
    double cl = 234.0 / 19;
    assertEquals(cl, screened.get(0).centre(), TOL);
    assertEquals(cl + 3 * (21.0 / 16) / 1.128, screened.get(0).upper(), TOL);
    assertEquals(List.of(16, 18), beyond(screened));
    List<Point> unscreened = ControlChart.chart(Type.I, x, null, 0, WE, false);
    assertEquals(cl + 3 * (80.0 / 18) / 1.128, unscreened.get(0).upper(), TOL);
    assertEquals(List.of(16), beyond(unscreened), "every moving range: the jump widens the limits past 16");
  }

  @Test
  void movingRangeChartUsesD4() {
    double[] x = {10, 12, 11, 13, 9, 30, 11, 10};
    List<Point> mr = ControlChart.chart(Type.MR, x, null, 0, WE, true);
    assertEquals(7, mr.size());
    assertEquals(1, mr.get(0).index(), "the first moving range belongs to the second value");
    double mean = (2 + 1 + 2 + 4 + 21 + 19 + 1) / 7.0;
    assertEquals(mean, mr.get(0).centre(), TOL);
    assertEquals(3.267 * mean, mr.get(0).upper(), TOL);
    assertEquals(List.of(), signals(mr), "21 < 3.267 x 7.14");
    // Frozen on the first five values: the four moving ranges 2, 1, 2, 4 give 2.25 and an upper limit of 7.35.
    List<Point> frozen = ControlChart.chart(Type.MR, x, null, 5, WE, true);
    assertEquals(3.267 * 2.25, frozen.get(0).upper(), TOL);
    assertEquals(List.of(5, 6), signals(frozen));
  }

  @Test
  void cChartLimitsAreThreeRootsOfTheMeanCount() {
    List<Point> c = ControlChart.chart(Type.C, new double[] {4, 6, 5, 3, 7, 15}, null, 0, WE, true);
    double mean = 40 / 6.0;
    assertEquals(mean + 3 * Math.sqrt(mean), c.get(0).upper(), TOL);
    assertEquals(0, c.get(0).lower(), 0, "a negative lower limit stops at zero");
    assertEquals(List.of(5), signals(c));
  }

  @Test
  void pAndUChartsVaryTheirLimitsWithTheDenominator() {
    double[] x = {10, 12, 8, 30};
    double[] n = {100, 120, 80, 100};
    List<Point> p = ControlChart.chart(Type.P, x, n, 0, WE, true);
    assertEquals(0.15, p.get(1).centre(), TOL);
    assertEquals(0.15 + 3 * Math.sqrt(0.15 * 0.85 / 120), p.get(1).upper(), TOL);
    assertEquals(0.15 - 3 * Math.sqrt(0.15 * 0.85 / 80), p.get(2).lower(), TOL);
    assertEquals(List.of(3), signals(p));
    List<Point> u = ControlChart.chart(Type.U, x, n, 0, WE, true);
    assertEquals(0.15 + 3 * Math.sqrt(0.15 / 120), u.get(1).upper(), TOL);
  }

  @Test
  void laneyPrimeScalesSigmaByTheSpreadOfTheZScores() {
    double[] x = {480, 530, 455, 610, 500};
    double[] n = {1000, 1000, 1000, 1000, 1000};
    double p = 2575 / 5000.0;
    double s = Math.sqrt(p * (1 - p) / 1000);
    double[] z = IntStream.range(0, 5).mapToDouble(i -> (x[i] / 1000 - p) / s).toArray();
    double mrz = (Math.abs(z[1] - z[0]) + Math.abs(z[2] - z[1]) + Math.abs(z[3] - z[2]) + Math.abs(z[4] - z[3])) / 4;
    List<Point> pp = ControlChart.chart(Type.PP, x, n, 0, WE, true);
    assertEquals(p + 3 * s * mrz / 1.128, pp.get(0).upper(), TOL);
    assertTrue(signals(ControlChart.chart(Type.P, x, n, 0, WE, true)).contains(3), "plain p limits call 0.61 a signal");
    assertEquals(List.of(), signals(pp), "p-prime widens them by sigma_z = " + mrz / 1.128);
  }

  @Test
  void westernElectricZoneRules() {
    // Baseline 10, 12 alternating: centre 11, sigma 2 / 1.128. Then eight points just above the centre, then two of
    // three beyond 2 sigma, then four of five beyond 1 sigma below.
    double sigma = 2 / 1.128;
    double[] x = new double[8 + 8 + 3 + 5];
    for (int i = 0; i < 8; i++) {
      x[i] = i % 2 == 0 ? 10 : 12;
    }
    for (int i = 8; i < 16; i++) {
      x[i] = 11 + 0.5 * sigma;
    }
    x[16] = 11 + 2.5 * sigma;
    x[17] = 11;
    x[18] = 11 + 2.2 * sigma;
    double[] below = {-1.5, -1.2, 0, -1.1, -1.3};
    for (int i = 0; i < 5; i++) {
      x[19 + i] = 11 + below[i] * sigma;
    }
    List<Point> chart = ControlChart.chart(Type.I, x, null, 8, WE, true);
    for (int i = 8; i < 16; i++) {
      assertTrue(chart.get(i).rules().contains("eight in a row on one side"), "point " + i + " " + chart.get(i).rules());
    }
    assertTrue(chart.get(16).rules().contains("two of three beyond 2 sigma"));
    assertTrue(chart.get(18).rules().contains("two of three beyond 2 sigma"));
    assertEquals(List.of(), chart.get(17).rules(), "a point on the centre line breaks nothing");
    for (int i : new int[] {19, 20, 22, 23}) {
      assertTrue(chart.get(i).rules().contains("four of five beyond 1 sigma"), "point " + i + " " + chart.get(i).rules());
    }
    assertEquals(List.of(), chart.get(21).rules());
  }

  @Test
  void anhoejRulesUseTheLongestRunAndTheNumberOfCrossings() {
    // Ten useful points: a run longer than round(log2 10 + 3) = 6, or fewer crossings than qbinom(0.05, 9, 0.5) = 2,
    // is a signal (Anhoej and Olesen 2014, table 1).
    List<Point> shifted = ControlChart.chart(Type.I, new double[] {1, 1, 1, 1, 1, 1, 1, 9, 9, 9}, null, 0, Rules.ANHOEJ, true);
    assertTrue(shifted.get(0).rules().contains("longest run 7 > 6"), shifted.get(0).rules().toString());
    assertTrue(shifted.get(9).rules().contains("crossings 1 < 2"), shifted.get(9).rules().toString());
    assertTrue(!shifted.get(9).rules().contains("longest run 7 > 6"), "the run of three above is not the longest");
    List<Point> random = ControlChart.chart(Type.I, new double[] {1, 9, 2, 8, 1, 9, 9, 1, 2, 8}, null, 0, Rules.ANHOEJ, true);
    assertEquals(List.of(), signals(random));
  }

  @Test
  void refusesSeriesItCannotChart() {
    assertThrows(IllegalArgumentException.class, () -> ControlChart.chart(Type.P, new double[] {5}, null, 0, WE, true));
    assertThrows(IllegalArgumentException.class, () -> ControlChart.chart(Type.P, new double[] {5}, new double[] {4}, 0, WE, true));
    assertThrows(IllegalArgumentException.class, () -> ControlChart.chart(Type.MR, new double[] {5}, null, 0, WE, true));
  }
}
