package org.beacon.linkage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The models on simulated OCUs whose true staffing effect is known. */
class InvestmentModelsTest {
  private static List<InvestmentModels.Observation> simulate(double effect, long seed) {
    Random rng = new Random(seed);
    List<InvestmentModels.Observation> out = new ArrayList<>();
    String[] years = {"2004/05", "2005/06", "2006/07", "2007/08"};
    double[] force = {12, 16, 21, 24};
    for (int o = 0; o < 21; o++) {
      double base = 17 + 22 * rng.nextDouble();
      double unit = 1.5 * rng.nextGaussian();
      double proxy = 5 + 40 * rng.nextDouble();
      for (int t = 0; t < years.length; t++) {
        double share = base * force[t] / 24;
        double value = 70 + 2 * t + effect * (share - force[t]) + unit + 1.3 * rng.nextGaussian();
        out.add(new InvestmentModels.Observation("O" + o, years[t], value, share, proxy));
      }
    }
    return out;
  }

  private static InvestmentModels.Result find(List<InvestmentModels.Result> results, String specification, String term) {
    return results.stream().filter(r -> r.specification().equals(specification) && r.term().equals(term)).findFirst().orElseThrow();
  }

  @Test
  void aKnownEffectIsRecoveredWithinItsInterval() {
    List<InvestmentModels.Result> results = InvestmentModels.fit(simulate(0.4, 7), "2004/05", "2007/08");
    InvestmentModels.Result fe = find(results, "panel_fixed_effects", "share_pp");
    assertTrue(fe.lower() < 0.4 && 0.4 < fe.upper(), fe.toString());
    assertEquals("positive; the 95% interval excludes zero", fe.conclusion());
    assertEquals(84, fe.n());
    assertEquals(21, fe.clusters());
    InvestmentModels.Result fd = find(results, "ols_first_difference", "share_change_pp");
    assertTrue(fd.lower() < 0.4 && 0.4 < fd.upper(), fd.toString());
    assertEquals(21, fd.n());
    assertTrue(find(results, "pearson", "share_change_pp").estimate() > 0);
  }

  @Test
  void noEffectIsReportedAsNotSeparableFromZero() {
    List<InvestmentModels.Result> results = InvestmentModels.fit(simulate(0.0, 11), "2004/05", "2007/08");
    InvestmentModels.Result fe = find(results, "panel_fixed_effects", "share_pp");
    assertEquals("not separable from zero at 95%", fe.conclusion(), fe.toString());
    assertEquals("not separable from zero at 95%", find(results, "ols_first_difference", "share_change_pp").conclusion());
  }
}
