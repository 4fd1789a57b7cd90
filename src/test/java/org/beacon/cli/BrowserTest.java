package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The browser check finds what it looks for: on a hand-made page with one fault of each kind, and on a clean one. */
class BrowserTest {
  private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  @Test
  void aBrokenImageAHeaderlessTableAndAScriptErrorAreEachFound() throws Exception {
    Assumptions.assumeTrue(Browser.installed(), "chromium is not installed");
    Path page = Files.createTempFile("beacon-faulty", ".html");
    Files.writeString(page, "<!DOCTYPE html><html><head><title>t</title></head><body>"
        + "<img src=\"data:image/png;base64," + PNG + "\" alt=\"good\"><img src=\"data:image/png;base64,AAAA\" alt=\"bad\">"
        + "<table><tr><th>h</th></tr><tr><td>1</td></tr></table><table><tr><td>no header</td></tr></table>"
        + "<script>undefinedFunction();</script></body></html>");
    Browser.Check check = Browser.check(page);
    assertEquals(2, check.images());
    assertEquals(List.of("bad"), check.brokenImages());
    assertEquals(2, check.tables());
    assertEquals(1, check.tablesWithoutHeaders());
    assertTrue(check.errors().stream().anyMatch(e -> e.contains("undefinedFunction")), "the script error: " + check.errors());
  }

  @Test
  void aCleanPageReportsNoFault() throws Exception {
    Assumptions.assumeTrue(Browser.installed(), "chromium is not installed");
    Path page = Files.createTempFile("beacon-clean", ".html");
    Files.writeString(page, "<!DOCTYPE html><html><head><title>t</title></head><body><img src=\"data:image/png;base64," + PNG
        + "\" alt=\"good\"><table><tr><th>h</th></tr></table></body></html>");
    assertEquals(new Browser.Check(1, List.of(), 1, 0, List.of()), Browser.check(page));
  }
}
