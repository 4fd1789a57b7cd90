package org.beacon.generate;

import org.beacon.survey.SurveySources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.beacon.runtime.Checksums;
import org.beacon.runtime.Settings;
import org.junit.jupiter.api.Test;

class GeneratorTest {
  private static Map<String, String> generate(long seed) throws IOException {
    Settings settings = Settings.load(Map.of("beacon.lakehouse", Files.createTempDirectory("beacon-gen").toString(),
        "beacon.generate.seed", seed, "beacon.generate.scale", 0.05, "beacon.generate.years", 2, "beacon.generate.forces", 3));
    Generator.run(settings);
    Map<String, String> checksums = new TreeMap<>();
    try (Stream<Path> files = Files.walk(settings.landing())) {
      files.filter(Files::isRegularFile).forEach(f -> checksums.put(settings.landing().relativize(f).toString(), Checksums.sha256(f)));
    }
    return checksums;
  }

  @Test
  void theSameSeedWritesByteIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
    Map<String, String> first = generate(7);
    assertEquals(first, generate(7));
    Map<String, String> other = generate(8);
    assertEquals(first.keySet(), other.keySet());
    assertNotEquals(first.get("ftd/west-midlands/ftd_2004-05_q1.csv"), other.get("ftd/west-midlands/ftd_2004-05_q1.csv"));
  }

  @Test
  void writesEverySourceAndTheManifest() throws IOException {
    Map<String, String> files = generate(7);
    for (String prefix : Generator.SOURCES) {
      assertTrue(files.keySet().stream().anyMatch(f -> f.startsWith(prefix + "/")), "no files for " + prefix);
    }
    assertTrue(files.containsKey(Generator.MANIFEST));
    assertTrue(files.containsKey("police_uk/2004-04/2004-04-west-midlands-street.csv"));
  }

  @Test
  void policeUkFilesHaveTheExactDataPoliceUkHeaderAndBlankAsbIds() throws IOException {
    Settings settings = Settings.load(Map.of("beacon.lakehouse", Files.createTempDirectory("beacon-gen").toString(),
        "beacon.generate.scale", 0.02, "beacon.generate.years", 1, "beacon.generate.forces", 1));
    Generator.run(settings);
    Path file = settings.landing().resolve("police_uk/2004-05/2004-05-west-midlands-street.csv");
    assertEquals("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
        + "Last outcome category,Context", Files.readAllLines(file).get(0));
    int[] asb = {0};
    LandingCsv.forEach(file, r -> {
      if (r.get("Crime type").equals("Anti-social behaviour")) {
        asb[0]++;
        assertEquals("", r.get("Crime ID"));
        assertEquals("", r.get("Last outcome category"));
      } else {
        assertEquals(64, r.get("Crime ID").length());
      }
      assertEquals("2004-05", r.get("Month"));
    });
    assertTrue(asb[0] > 0);
  }

  @Test
  void fixedDecimalsMatchStringFormat() {
    for (double v : new double[] {-1.8912345678, 52.4800004, 0.0000004, -0.0000006, 12.9999999}) {
      assertEquals(String.format("%.6f", v), PoliceUkGenerator.fixed6(v));
    }
  }

  @Test
  void everySurveyFileHasItsSourcesConfiguredHeader() throws IOException {
    Settings settings = Settings.load(Map.of("beacon.lakehouse", Files.createTempDirectory("beacon-gen").toString(),
        "beacon.generate.scale", 0.02, "beacon.generate.years", 1, "beacon.generate.forces", 2));
    Generator.run(settings);
    for (var source : SurveySources.all(settings)) {
      try (Stream<Path> files = Files.walk(settings.landing().resolve(source.landingDir()))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertEquals(String.join(",", source.columns()), Files.readAllLines(f).get(0), f.toString());
        }
      }
    }
  }
}
