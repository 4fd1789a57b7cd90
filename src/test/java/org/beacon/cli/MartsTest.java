package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.beacon.SharedSpark;
import org.beacon.runtime.Settings;
import org.junit.jupiter.api.Test;

/** docs/marts.md is what the default lakehouse's gold tables say of themselves. */
class MartsTest {
  @Test
  void theMartsPageIsTheTablesOwnDescription() throws Exception {
    Path lakehouse = DefaultLakehouse.path();
    String page = MartsCommand.markdown(SharedSpark.session(), Settings.load(Map.of("beacon.lakehouse", lakehouse.toString())));
    assertTrue(page.contains("## gold.survey_estimates") && page.contains("| `lower_95` | double |"), page);
    assertEquals(Files.readString(MartsCommand.PAGE), page, "docs/marts.md is stale: run jobs/beacon marts --out docs/marts.md "
        + "on a lakehouse built by jobs/beacon run, and commit it.");
  }
}
