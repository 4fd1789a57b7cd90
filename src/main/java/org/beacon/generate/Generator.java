package org.beacon.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `beacon generate`: writes every source's landing files as a force or the Home Office would deliver
 * them, deterministic by seed, with a manifest of the true parameters. Re-running with the same
 * parameters leaves the files as they are.
 */
public final class Generator {
  private static final Logger LOG = LoggerFactory.getLogger(Generator.class);
  static final List<String> SOURCES = List.of("reference", "workforce", "ftd", "tracker_panel", "user_satisfaction",
      "force_survey", "police_uk");
  public static final String MANIFEST = "_manifest.json";

  private Generator() {}

  /** Writes the landing files; returns row counts by file (relative to the landing folder). */
  public static Map<String, Long> run(Settings settings) {
    GeneratorSettings g = GeneratorSettings.of(settings);
    Path landing = settings.landing();
    Map<String, Object> parameters = parameters(g);
    if (sameParameters(landing.resolve(MANIFEST), parameters)) {
      LOG.info("Landing files for these generator parameters are already in {}; nothing to write", landing);
      return Map.of();
    }
    for (String source : SOURCES) {
      delete(landing.resolve(source));
    }
    long start = System.nanoTime();
    World world = WorldBuilder.build(g);
    Manifest manifest = new Manifest(parameters);
    manifest.files(WorldBuilder.writeReference(g, world, landing));
    manifest.files(WorldBuilder.writeWorkforce(g, world, landing));
    step("ftd", () -> manifest.files(new FtdGenerator(settings, world, manifest).write(landing)));
    step("tracker_panel", () -> manifest.files(new TrackerPanelGenerator(settings, world).write(landing)));
    step("user_satisfaction", () -> manifest.files(new UserSatisfactionGenerator(settings, world).write(landing)));
    step("force_survey", () -> manifest.files(new ForceSurveyGenerator(settings, world).write(landing)));
    step("police_uk", () -> manifest.files(new PoliceUkGenerator(settings, world).write(landing)));
    Map<String, Object> staffing = new LinkedHashMap<>();
    for (World.ForceArea f : world.forces) {
      for (World.Ocu o : f.ocus()) {
        Map<String, Object> byYear = new LinkedHashMap<>();
        o.npSharePct.forEach((y, v) -> byYear.put(FinancialYear.label(y), Math.round(v * 100) / 100.0));
        staffing.put(f.force().slug() + "/" + o.code, byYear);
      }
    }
    manifest.put("np_share_pct_by_ocu", staffing);
    manifest.write(landing.resolve(MANIFEST));
    long rows = manifest.files().values().stream().mapToLong(Long::longValue).sum();
    LOG.info("Generated {} files, {} rows, in {}: {} s", manifest.files().size(), rows, landing,
        String.format("%.1f", (System.nanoTime() - start) / 1e9));
    return manifest.files();
  }

  private static void step(String source, Runnable body) {
    long start = System.nanoTime();
    body.run();
    LOG.info("generate {}: {} s", source, String.format("%.1f", (System.nanoTime() - start) / 1e9));
  }

  private static Map<String, Object> parameters(GeneratorSettings g) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("seed", g.seed());
    p.put("first_financial_year", FinancialYear.label(g.firstYear()));
    p.put("years", g.years());
    p.put("forces", g.forces());
    p.put("scale", g.scale());
    p.put("local_sources_forces", g.localSourcesForAll() ? "all" : "home");
    p.put("settings_hash", Integer.toHexString(g.raw().root().render().hashCode()));
    return p;
  }

  private static boolean sameParameters(Path manifest, Map<String, Object> parameters) {
    if (!Files.isRegularFile(manifest)) {
      return false;
    }
    try {
      // Both sides parsed from JSON text, so numbers compare as the same node types.
      ObjectMapper mapper = new ObjectMapper();
      return mapper.readTree(mapper.writeValueAsString(parameters)).equals(mapper.readTree(manifest.toFile()).get("parameters"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
