package org.beacon.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.beacon.runtime.Settings;
import org.junit.jupiter.api.Test;

/**
 * The published intervals, on the generated world's own designs, cover the truth about as often as they say. With
 * 100 replications (seed 7) FTD gives 2,100 to 21,600 cells per level and period, so its 95% intervals must cover
 * between 93% and 97% of the time (a true 95% falls outside that by chance less than once in a thousand); the force
 * survey gives one force a replication (100 year cells, 400 quarter cells): between 90% and 99%.
 */
class WorldCoverageTest {
  @Test
  void intervalsOnTheWorldsOwnDesignsCoverTheTruth() {
    List<WorldCoverage.Result> results = WorldCoverage.run(Settings.load(Map.of()), 100, 7);
    assertEquals(6, results.size(), "FTD's OCU and sector, the force survey's force, each by quarter and year");
    for (WorldCoverage.Result r : results) {
      String cell = r.design() + " " + r.level() + " by " + r.period();
      boolean ftd = r.design().equals("ftd");
      assertTrue(r.cells() >= (ftd ? 2000 : 100), cell + ": " + r.cells() + " cells");
      assertTrue(r.coverage95() >= (ftd ? 0.93 : 0.90) && r.coverage95() <= (ftd ? 0.97 : 0.99),
          cell + ": 95% intervals covered " + r.coverage95());
      assertTrue(r.coverage998() >= 0.99, cell + ": 99.8% intervals covered " + r.coverage998());
    }
  }
}
