package org.beacon.generate;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.runtime.Settings;

/**
 * Street-level crime and ASB in the data.police.uk CSV format, one file per force per month
 * ({@code police_uk/2007-04/2007-04-west-midlands-street.csv}). Counts are exact: recorded crime per
 * financial year, pinned types and OCU changes, and the share of sanction detections; the rest is
 * spread by population, season and LSOA.
 */
final class PoliceUkGenerator {
  static final List<String> HEADER = List.of("Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
      "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context");
  static final String ASB = "Anti-social behaviour";
  static final List<String> SANCTION_OUTCOMES = List.of("Offender sent to prison", "Offender given a caution",
      "Offender fined", "Offender given community sentence", "Awaiting court outcome", "Offender given penalty notice");
  private static final List<String> OTHER_OUTCOMES = List.of("Investigation complete; no suspect identified",
      "Unable to prosecute suspect", "Under investigation", "Status update unavailable", "Local resolution");
  private static final String[] STREETS = {"High Street", "Church Road", "Station Road", "Park Avenue", "Victoria Road",
      "Stratford Road", "Soho Road", "Coventry Road", "Parking Area", "Supermarket", "Petrol Station", "Shopping Area",
      "Bristol Road", "Alcester Road", "Hagley Road", "Walsall Road"};

  private final GeneratorSettings g;
  private final World world;

  PoliceUkGenerator(Settings settings, World world) {
    this.g = GeneratorSettings.of(settings);
    this.world = world;
  }

  Map<String, Long> write(Path landing) {
    Map<String, Long> rows = new LinkedHashMap<>();
    Config c = g.raw().getConfig("police-uk");
    Map<String, Object> shareMap = c.getObject("type-shares").unwrapped();
    List<String> types = new ArrayList<>(shareMap.keySet());
    double homeAdults = world.home.ocus().stream().mapToDouble(World.Ocu::adults).sum();
    for (World.ForceArea force : world.forces) {
      if (!force.isHome() && !g.localSourcesForAll()) {
        continue;
      }
      double size = force.ocus().stream().mapToDouble(World.Ocu::adults).sum() / homeAdults * g.scale()
          * (force.isHome() ? 1 : Math.exp(0.1 * force.offset()));
      List<World.Ocu> ocus = force.ocus();
      // counts[type][ocu] for the previous year, for pinned OCU changes.
      Map<String, int[]> previous = new HashMap<>();
      for (int y = g.firstYear(); y <= g.lastYear(); y++) {
        Rng rng = Rng.of(g.seed(), "police-uk", force.force().slug(), String.valueOf(y));
        long crimes = Math.round(g.anchors("police-uk.all-crime").at(y) * size);
        Map<String, Long> byType = typeTotals(c, types, shareMap, y, crimes, force.isHome() && g.scale() == 1.0);
        byType.put(ASB, Math.round(g.anchors("police-uk.asb-per-year").at(y) * size));
        // OCU split: population times a per-OCU, per-type rate; pinned OCU changes take their exact counts.
        Map<String, int[]> byOcu = new LinkedHashMap<>();
        for (String type : byType.keySet()) {
          double[] w = new double[ocus.size()];
          for (int o = 0; o < w.length; o++) {
            w[o] = ocus.get(o).adults() * Math.exp(0.25 * Rng.of(g.seed(), "crime-rate", force.force().slug(), ocus.get(o).code, type).normal());
          }
          int[] counts = new int[w.length];
          long rest = byType.get(type);
          if (force.isHome() && g.scale() == 1.0) {
            for (Config pin : c.getConfigList("ocu-changes")) {
              if (pin.getString("type").equals(type) && y == 2007 && previous.containsKey(type)) {
                int o = indexOf(ocus, pin.getString("ocu"));
                counts[o] = (int) Math.round(previous.get(type)[o] * (1 + pin.getDouble("change-pct") / 100));
                w[o] = 0;
                rest -= counts[o];
              }
            }
          }
          int[] free = Allocation.largestRemainder(w, rest, null);
          for (int o = 0; o < w.length; o++) {
            counts[o] += free[o];
          }
          byOcu.put(type, counts);
        }
        previous = byOcu;
        rows.putAll(writeYear(landing, force, y, byOcu, crimes, rng, c));
      }
    }
    return rows;
  }

  /** Recorded crime by type: pinned types exactly, the others sharing what remains. */
  private Map<String, Long> typeTotals(Config c, List<String> types, Map<String, Object> shareMap, int y, long crimes, boolean pin) {
    Map<String, Long> out = new LinkedHashMap<>();
    long rest = crimes;
    List<String> free = new ArrayList<>();
    for (String type : types) {
      if (type.equals(ASB)) {
        continue;
      }
      String key = "police-uk.pinned-types." + Settings.quote(type);
      if (pin && g.hasAnchors(key) && g.anchors(key).defines(y)) {
        long v = Math.round(g.anchors(key).at(y));
        out.put(type, v);
        rest -= v;
      } else {
        free.add(type);
      }
    }
    double[] shares = free.stream().mapToDouble(t -> ((Number) shareMap.get(t)).doubleValue()).toArray();
    int[] counts = Allocation.largestRemainder(shares, rest, null);
    for (int i = 0; i < free.size(); i++) {
      out.put(free.get(i), (long) counts[i]);
    }
    return out;
  }

  private Map<String, Long> writeYear(Path landing, World.ForceArea force, int y, Map<String, int[]> byOcu, long crimes,
      Rng rng, Config c) {
    Map<String, Long> rows = new LinkedHashMap<>();
    List<World.Ocu> ocus = force.ocus();
    double[] season = new double[12];
    for (int m = 0; m < 12; m++) {
      season[m] = 1 + 0.08 * Math.cos(2 * Math.PI * (m - 3) / 12.0);
    }
    // counts[month][type][ocu]
    Map<String, int[][]> monthly = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : byOcu.entrySet()) {
      int[][] m = new int[12][ocus.size()];
      for (int o = 0; o < ocus.size(); o++) {
        int[] split = Allocation.largestRemainder(season, e.getValue()[o], null);
        for (int k = 0; k < 12; k++) {
          m[k][o] = split[k];
        }
      }
      monthly.put(e.getKey(), m);
    }
    boolean exactDetections = force.isHome() && y == 2007;
    long detectionsLeft = Math.round(c.getDouble("sanction-detection-pct") / 100 * crimes);
    long crimesLeft = crimes;
    for (int k = 0; k < 12; k++) {
      YearMonth month = YearMonth.of(y, 4).plusMonths(k);
      String file = String.format("police_uk/%s/%s-%s-street.csv%s", month, month, force.force().slug(),
          c.getBoolean("compress") ? ".gz" : "");
      try (CsvOut out = new CsvOut(landing.resolve(file), HEADER)) {
        for (Map.Entry<String, int[][]> e : monthly.entrySet()) {
          String type = e.getKey();
          for (int o = 0; o < ocus.size(); o++) {
            World.Ocu ocu = ocus.get(o);
            List<World.Lsoa> lsoas = ocu.neighbourhoods().stream().flatMap(n -> n.lsoas().stream()).toList();
            double[] lw = lsoas.stream().mapToDouble(World.Lsoa::weight).toArray();
            boolean pinned = isPinned(c, force, ocu, type, y);
            for (int i = 0; i < e.getValue()[k][o]; i++) {
              boolean asb = type.equals(ASB);
              String outcome = "";
              if (!asb) {
                boolean detected;
                if (exactDetections) {
                  // Selection sampling (Knuth, Algorithm S): exactly the target number, uniformly placed.
                  detected = rng.uniform() * crimesLeft < detectionsLeft;
                  crimesLeft--;
                  if (detected) {
                    detectionsLeft--;
                  }
                } else {
                  detected = rng.chance(0.25);
                }
                outcome = detected ? SANCTION_OUTCOMES.get(rng.nextInt(SANCTION_OUTCOMES.size()))
                    : OTHER_OUTCOMES.get(rng.nextInt(OTHER_OUTCOMES.size()));
              }
              String id = asb ? "" : rng.hex(64);
              if (!pinned && rng.chance(c.getDouble("no-location-rate"))) {
                out.write(id, month.toString(), force.force().name(), force.force().name(), "", "", "No Location", "", "",
                    type, outcome, "");
              } else {
                World.Lsoa l = lsoas.get(rng.pick(lw));
                out.write(id, month.toString(), force.force().name(), force.force().name(),
                    fixed6(l.longitude() + 0.002 * rng.normal()), fixed6(l.latitude() + 0.002 * rng.normal()),
                    "On or near " + STREETS[rng.nextInt(STREETS.length)], l.code(), l.name(), type, outcome, "");
              }
            }
          }
        }
        rows.put(file, out.rows());
      }
    }
    return rows;
  }

  /** Cells behind a published OCU change keep every row mappable, so the change can be recomputed exactly. */
  private boolean isPinned(Config c, World.ForceArea force, World.Ocu ocu, String type, int y) {
    if (!force.isHome() || (y != 2006 && y != 2007)) {
      return false;
    }
    return c.getConfigList("ocu-changes").stream()
        .anyMatch(p -> p.getString("ocu").equals(ocu.code) && p.getString("type").equals(type));
  }

  /** Six decimals, as data.police.uk prints coordinates (String.format is too slow for millions of rows). */
  static String fixed6(double v) {
    long micro = Math.round(Math.abs(v) * 1_000_000);
    String frac = Long.toString(1_000_000 + micro % 1_000_000).substring(1);
    return (v < 0 ? "-" : "") + (micro / 1_000_000) + "." + frac;
  }

  private static int indexOf(List<World.Ocu> ocus, String code) {
    for (int i = 0; i < ocus.size(); i++) {
      if (ocus.get(i).code.equals(code)) {
        return i;
      }
    }
    throw new IllegalStateException("OCU " + code + " is not in the home force.");
  }
}
