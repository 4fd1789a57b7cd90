package org.beacon.indicators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoverageStudyTest {
  /** A small run of the study (the job runs thousands): it must be deterministic and near nominal. */
  @Test
  void wilsonCoverageIsNearNominalAndTheRunIsReproducible() {
    List<CoverageStudy.Result> a = CoverageStudy.run(400, 200, 0.8, Math.sqrt(Math.log(1.5)), 0.95, 11);
    List<CoverageStudy.Result> b = CoverageStudy.run(400, 200, 0.8, Math.sqrt(Math.log(1.5)), 0.95, 11);
    assertEquals(a, b);
    // 400 replications: a binomial sd of about 1.1 points around 95%.
    assertEquals(0.95, a.get(0).coverage(), 0.035);
    assertTrue(a.get(0).meanDeff() > 1.2 && a.get(0).meanDeff() < 1.9, "deff " + a.get(0).meanDeff());
  }
}
