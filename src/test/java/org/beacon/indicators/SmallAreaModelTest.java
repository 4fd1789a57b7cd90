package org.beacon.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small-area model on hand-made areas whose expected behaviour follows from its definition. */
class SmallAreaModelTest {
  private static final double[] DIRECT = {0.52, 0.61, 0.70, 0.58, 0.77, 0.66, 0.49};
  /** Areas 0-3 lie in OCU O1, the rest in O2; the OCUs' direct estimates differ, as a model needs. */
  private static final Map<String, Double> OCUS = Map.of("O1", 0.60, "O2", 0.68);

  private static SmallAreaModel.Area area(int i, Double direct, double nEff, Double staffing) {
    String ocu = i < 4 ? "O1" : "O2";
    return new SmallAreaModel.Area("N" + i, "Area " + i, ocu, 100 + 10L * i, direct, direct == null ? null : 0.05,
        direct == null ? null : nEff, OCUS.get(ocu), new Double[] {staffing, null, null});
  }

  private static List<SmallAreaModel.Area> areas(double nEff) {
    List<SmallAreaModel.Area> out = new ArrayList<>();
    for (int i = 0; i < DIRECT.length; i++) {
      out.add(area(i, DIRECT[i], nEff, 0.2 + 0.01 * i));
    }
    return out;
  }

  @Test
  void fewerAreasWithDataThanTheMinimumFitNoModel() {
    List<SmallAreaModel.Area> four = new ArrayList<>(areas(80).subList(0, SmallAreaModel.MIN_AREAS - 1));
    four.add(area(9, null, 0, 0.3));
    assertEquals(List.of(), SmallAreaModel.fit(four), "four areas with data and one without are too few for a model");
  }

  @Test
  void theOcusAreasAreBenchmarkedToItsDirectEstimate() {
    List<SmallAreaModel.Estimate> fit = SmallAreaModel.fit(areas(60));
    assertEquals(DIRECT.length, fit.size());
    Map<String, double[]> sums = new HashMap<>();
    for (SmallAreaModel.Estimate e : fit) {
      double[] s = sums.computeIfAbsent(e.area().ocu(), k -> new double[2]);
      s[0] += e.area().n() * e.eblup();
      s[1] += e.area().n();
      assertEquals(Math.min(1, e.eblupUnbenchmarked() * e.benchmarkFactor()), e.eblup(), 1e-15,
          "the benchmarked EBLUP is the model's times the OCU's factor");
      assertTrue(e.lower95() < e.eblup() && e.eblup() < e.upper95(), "the interval brackets the estimate for " + e.area().code());
    }
    sums.forEach((ocu, s) -> assertEquals(OCUS.get(ocu), s[0] / s[1], 1e-12,
        "the n-weighted mean of " + ocu + "'s areas equals its direct estimate"));
  }

  @Test
  void withNegligibleSamplingErrorTheEblupIsTheDirectEstimate() {
    // ψ = 1/(4 n_eff) is tiny beside the spread of the areas, so γ = σ²/(σ² + ψ) is close to 1 (Rao and Molina 2015, 6.1.2).
    for (SmallAreaModel.Estimate e : SmallAreaModel.fit(areas(1e7))) {
      assertEquals(1.0, e.shrinkageWeight(), 1e-4, "γ for " + e.area().code());
      assertEquals(e.area().direct(), e.eblupUnbenchmarked(), 1e-5, "the EBLUP of " + e.area().code());
    }
  }

  @Test
  void anAreaWithoutADirectEstimateGetsTheSyntheticEstimate() {
    List<SmallAreaModel.Area> areas = areas(60);
    areas.add(area(8, null, 0, 0.25));
    SmallAreaModel.Estimate synthetic = SmallAreaModel.fit(areas).stream().filter(e -> e.area().code().equals("N8")).findFirst()
        .orElseThrow();
    assertTrue(synthetic.isSynthetic(), "no direct estimate: synthetic");
    assertEquals(0.0, synthetic.shrinkageWeight(), "a synthetic estimate puts no weight on a direct one");
    assertTrue(SmallAreaModel.fit(areas).stream().filter(e -> !e.area().code().equals("N8")).noneMatch(SmallAreaModel.Estimate::isSynthetic));
  }

  @Test
  void aCovariateOneAreaLacksIsLeftOutForAll() {
    List<SmallAreaModel.Area> partial = areas(60);
    SmallAreaModel.Area first = partial.get(0);
    partial.set(0, new SmallAreaModel.Area(first.code(), first.name(), first.ocu(), first.n(), first.direct(), first.directSe(),
        first.nEff(), first.ocuDirect(), new Double[] {null, null, null}));
    List<SmallAreaModel.Area> none = partial.stream().map(a -> new SmallAreaModel.Area(a.code(), a.name(), a.ocu(), a.n(), a.direct(),
        a.directSe(), a.nEff(), a.ocuDirect(), new Double[] {null, null, null})).toList();
    List<SmallAreaModel.Estimate> withPartial = SmallAreaModel.fit(partial);
    List<SmallAreaModel.Estimate> withNone = SmallAreaModel.fit(none);
    assertFalse(withPartial.isEmpty());
    for (int i = 0; i < withPartial.size(); i++) {
      assertEquals(withNone.get(i).eblup(), withPartial.get(i).eblup(), 0.0, "the same model without the staffing share");
    }
  }
}
