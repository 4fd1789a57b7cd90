package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoverageCommandTest {
  @Test
  void coverageReportsTheWorldsDesignsBesideTheUnequalProbabilityStudy() {
    Captured c = Captured.run("coverage", "--replications", "5", "--format", "csv");
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("method,replications,coverage_pct,mean_width_pp,mean_deff"), c.out());
    assertTrue(c.out().contains("design,level,period,replications,cells,mean_n,coverage_95_pct,coverage_998_pct,"
        + "median_width_95_pp"), c.out());
    assertTrue(c.out().contains("ftd,sector,quarter,5,") && c.out().contains("force_survey,force,financial_year,5,5,"), c.out());
  }
}
