package org.beacon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page opened in headless Chromium (Debian's {@code chromium}): a screenshot, and what the loaded page reports
 * of itself (images that did not decode, tables without a header cell, script errors), read back from the DOM.
 */
final class Browser {
  private static final String BINARY = "chromium";
  /** Listens for errors from the first moment: scripts' and resources' (an image that fails fires one too). */
  private static final String LISTEN = "<script>window.__errors=[];window.addEventListener('error',function(e){"
      + "window.__errors.push(e.message||('failed to load '+(e.target&&(e.target.src||e.target.href))));},true);</script>";
  /** After load: the page's images and tables as the browser sees them, as JSON in a pre element. */
  private static final String REPORT = "<script>window.addEventListener('load',function(){var imgs=[].slice.call(document.images);"
      + "var broken=imgs.filter(function(i){return !i.complete||i.naturalWidth===0;}).map(function(i){return i.alt;});"
      + "var tables=[].slice.call(document.querySelectorAll('table'));"
      + "var headless=tables.filter(function(t){return t.querySelector('th')===null;}).length;"
      + "var p=document.createElement('pre');p.id='beacon-check';p.textContent=JSON.stringify({images:imgs.length,"
      + "broken:broken,tables:tables.length,headless:headless,errors:window.__errors});document.body.appendChild(p);});</script>";
  private static final Pattern CHECK = Pattern.compile("<pre id=\"beacon-check\">(.*?)</pre>", Pattern.DOTALL);

  record Check(int images, List<String> brokenImages, int tables, int tablesWithoutHeaders, List<String> errors) {}

  private Browser() {}

  static boolean installed() {
    try {
      return new ProcessBuilder(BINARY, "--version").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Saves a full-width screenshot of the page as it renders. */
  static void screenshot(Path page, Path png) throws IOException, InterruptedException {
    run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,6000");
    if (!Files.isRegularFile(png) || Files.size(png) == 0) {
      throw new AssertionError("Chromium wrote no screenshot of " + page + " to " + png + ".");
    }
  }

  /** Opens a copy of the page with the listeners added and returns what the loaded page reported. */
  static Check check(Path page) throws IOException, InterruptedException {
    String html = Files.readString(page, StandardCharsets.UTF_8);
    Path copy = Files.createTempFile("beacon-browser-check", ".html");
    Files.writeString(copy, html.replaceFirst("<head>", "<head>" + Matcher.quoteReplacement(LISTEN))
        .replace("</body>", REPORT + "</body>"), StandardCharsets.UTF_8);
    String dom = run(copy, "--dump-dom");
    Matcher m = CHECK.matcher(dom);
    if (!m.find()) {
      throw new AssertionError("The page " + page + " reported nothing after loading in Chromium:\n" + dom.substring(0,
          Math.min(2000, dom.length())));
    }
    JsonNode j = new ObjectMapper().readTree(m.group(1).replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<")
        .replace("&gt;", ">"));
    return new Check(j.get("images").asInt(), strings(j.get("broken")), j.get("tables").asInt(), j.get("headless").asInt(),
        strings(j.get("errors")));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String run(Path page, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--hide-scrollbars", "--virtual-time-budget=10000"));
    command.addAll(List.of(args));
    command.add(page.toUri().toString());
    Path log = Files.createTempFile("beacon-chromium", ".log");
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("Chromium did not finish with " + page + " in 120 s.");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("Chromium exited " + p.exitValue() + " on " + page + ":\n" + Files.readString(log));
    }
    return out;
  }
}
