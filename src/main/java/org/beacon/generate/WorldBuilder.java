package org.beacon.generate;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Settings;

/** Builds the {@link World} from the settings and writes the reference and workforce landing files. */
final class WorldBuilder {
  /** Home force OCUs: code, local authority district, name, adult minority-ethnic share. */
  private static final Object[][] HOME_OCUS = {
      {"D1", "Birmingham", "Aston", 0.52}, {"D2", "Birmingham", "Handsworth", 0.55}, {"D3", "Birmingham", "Perry Barr", 0.38},
      {"E1", "Birmingham", "Sutton Coldfield", 0.08}, {"E2", "Birmingham", "Erdington", 0.17}, {"E3", "Birmingham", "Hodge Hill", 0.42},
      {"F1", "Birmingham", "Ladywood", 0.40}, {"F2", "Birmingham", "Sparkhill", 0.58}, {"F3", "Birmingham", "Selly Oak", 0.16},
      {"M1", "Coventry", "Coventry North", 0.18}, {"M2", "Coventry", "Coventry Central", 0.22}, {"M3", "Coventry", "Coventry South", 0.10},
      {"J1", "Dudley", "Dudley North", 0.09}, {"J2", "Dudley", "Dudley South", 0.05}, {"K1", "Sandwell", "Sandwell West", 0.19},
      {"K2", "Sandwell", "Sandwell East", 0.23}, {"L1", "Solihull", "Solihull", 0.05}, {"H1", "Walsall", "Walsall North", 0.15},
      {"H2", "Walsall", "Walsall South", 0.12}, {"G1", "Wolverhampton", "Wolverhampton East", 0.25},
      {"G2", "Wolverhampton", "Wolverhampton West", 0.20}};
  private static final String[] SECTOR_SUFFIX = {"North", "South", "East"};
  private static final String[] NEIGHBOURHOOD_SUFFIX = {"Central", "Park", "Green", "Heath", "Hill"};
  /** Minority population split: Mixed, Asian, Black, Chinese or other. */
  private static final double[] MINORITY_SPLIT = {0.12, 0.60, 0.20, 0.08};
  private static final double HOME_ADULTS = 2_000_000;

  private WorldBuilder() {}

  static World build(GeneratorSettings g) {
    List<World.ForceArea> forces = new ArrayList<>();
    List<String> order = new ArrayList<>();
    order.add(g.homeForce());
    order.addAll(g.msfPeers());
    for (Forces.Force f : Forces.ENGLAND_AND_WALES) {
      if (!order.contains(f.slug())) {
        order.add(f.slug());
      }
    }
    int lsoaCounter = 9000;
    for (int fi = 0; fi < g.forces(); fi++) {
      Forces.Force force = Forces.bySlug(order.get(fi));
      boolean home = fi == 0;
      Rng rng = Rng.of(g.seed(), "world", force.slug());
      List<World.Ocu> ocus = new ArrayList<>();
      int count = home ? HOME_OCUS.length : g.raw().getInt("other-force-bcus");
      for (int o = 0; o < count; o++) {
        String code = home ? (String) HOME_OCUS[o][0] : String.format("%s%02d", force.prefix(), o + 1);
        String district = home ? (String) HOME_OCUS[o][1] : force.name().replaceAll(" (Police|Constabulary).*", "");
        String name = home ? (String) HOME_OCUS[o][2] : district + " BCU " + (o + 1);
        double minority = home ? (Double) HOME_OCUS[o][3] : Math.max(0.02, 0.08 + 0.04 * rng.normal());
        double adults = (home ? HOME_ADULTS / count : 150_000) * Math.exp(0.2 * rng.normal());
        World.Ocu ocu = new World.Ocu(code, name, district, population(adults, minority), minority);
        int sectors = home ? (o < 12 ? 3 : 2) : 2;
        for (int s = 0; s < sectors; s++) {
          String sectorCode = code + "S" + (s + 1);
          String sectorName = name + " " + SECTOR_SUFFIX[s];
          int sectorIndex = home ? ocus.stream().mapToInt(x -> x.sectors.size()).sum() + s : 99;
          int hoods = home ? (sectorIndex < 8 ? 5 : 4) : 4;
          List<World.Neighbourhood> neighbourhoods = new ArrayList<>();
          for (int n = 0; n < hoods; n++) {
            List<World.Lsoa> lsoas = new ArrayList<>();
            double per = g.raw().getDouble("police-uk.lsoas-per-neighbourhood");
            int lsoaCount = (int) Math.floor(per) + (rng.chance(per - Math.floor(per)) ? 1 : 0);
            double lat = 52.48 + (home ? 0.15 : 1.5) * rng.normal();
            double lon = -1.89 + (home ? 0.2 : 1.5) * rng.normal();
            for (int l = 0; l < lsoaCount; l++) {
              lsoaCounter++;
              int lsoaArea = ocus.size() * 10 + s * 4 + n;
              lsoas.add(new World.Lsoa(String.format("E01%06d", lsoaCounter),
                  String.format("%s %03d%c", ocu.district, lsoaArea + 1, (char) ('A' + l)),
                  lat + 0.005 * rng.normal(), lon + 0.005 * rng.normal(), Math.exp(0.4 * rng.normal())));
            }
            neighbourhoods.add(new World.Neighbourhood(sectorCode + "N" + (n + 1),
                sectorName + " " + NEIGHBOURHOOD_SUFFIX[n], lsoas));
          }
          double sectorSd = g.raw().getDouble("staffing-effects.sector-sd-pp");
          ocu.sectors.add(new World.Sector(sectorCode, sectorName, neighbourhoods, sectorSd * rng.normal()));
        }
        ocus.add(ocu);
      }
      boolean peer = g.msfPeers().contains(force.slug());
      double offset = home ? 0 : rng.normal();
      World.ForceArea area = new World.ForceArea(force, home, peer, ocus, offset);
      staffing(g, area, rng);
      forces.add(area);
    }
    return new World(forces);
  }

  private static double[][][] population(double adults, double minority) {
    double[][][] p = new double[World.AGE_BANDS.size()][2][5];
    for (int a = 0; a < p.length; a++) {
      for (int s = 0; s < 2; s++) {
        p[a][s][0] = adults * World.AGE_SHARES[a] * 0.5 * (1 - minority);
        for (int e = 0; e < 4; e++) {
          p[a][s][e + 1] = adults * World.AGE_SHARES[a] * 0.5 * minority * MINORITY_SPLIT[e];
        }
      }
    }
    return p;
  }

  /**
   * Officers per OCU and the share dedicated to neighbourhood teams. For the home force in the year the
   * share anchors give, the shares span exactly the configured minimum and maximum and the force total
   * is the published count; other years scale every OCU's share with the force share.
   */
  private static void staffing(GeneratorSettings g, World.ForceArea area, Rng rng) {
    Config w = g.raw().getConfig("workforce");
    Anchors forceShare = g.anchors("workforce.np-share-pct");
    int reference = 2007;
    List<World.Ocu> ocus = area.ocus();
    int n = ocus.size();
    double[] adults = ocus.stream().mapToDouble(World.Ocu::adults).toArray();
    double refShare = area.isHome() ? forceShare.at(reference) : w.getDouble("msf-np-share-pct") + 2 * area.offset();
    int totalOfficers = area.isHome() ? (int) Math.round(w.getInt("np-officers") / (refShare / 100))
        : (int) Math.round(adults.length * 500 * Math.exp(0.1 * rng.normal()));
    int[] officers = Allocation.largestRemainder(adults, totalOfficers, null);
    // Evenly spaced ranks, shuffled, bent by a power so that the officer-weighted mean is the force share.
    double min = area.isHome() ? w.getDouble("np-share-min-pct") : refShare - 5;
    double max = area.isHome() ? w.getDouble("np-share-max-pct") : refShare + 8;
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = n == 1 ? 0.5 : i / (double) (n - 1);
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      double t = u[i];
      u[i] = u[j];
      u[j] = t;
    }
    double lo = 0.05;
    double hi = 20;
    double[] share = new double[n];
    for (int iter = 0; iter < 200; iter++) {
      double gamma = Math.sqrt(lo * hi);
      double mean = 0;
      for (int i = 0; i < n; i++) {
        share[i] = min + (max - min) * Math.pow(u[i], gamma);
        mean += share[i] * officers[i];
      }
      mean /= totalOfficers;
      if (mean > refShare) {
        lo = gamma;
      } else {
        hi = gamma;
      }
    }
    int npTotal = (int) Math.round(refShare / 100 * totalOfficers);
    double[] npShares = new double[n];
    int[] caps = officers.clone();
    int[] pinned = new int[n];
    if (area.isHome()) {
      // The OCUs at the ends of the published range get officer counts in hundreds, so that their
      // shares are exactly the published minimum and maximum; the largest other OCU absorbs the change.
      int lowest = argmin(u);
      int highest = argmax(u);
      int absorber = -1;
      for (int i = 0; i < n; i++) {
        if (i != lowest && i != highest && (absorber < 0 || officers[i] > officers[absorber])) {
          absorber = i;
        }
      }
      for (int end : new int[] {lowest, highest}) {
        int rounded = (int) Math.max(100, Math.round(officers[end] / 100.0) * 100);
        officers[absorber] -= rounded - officers[end];
        officers[end] = rounded;
        pinned[end] = (int) Math.round(share[end] / 100 * rounded);
        caps[end] = 0;
        npTotal -= pinned[end];
      }
      caps[absorber] = officers[absorber];
    }
    for (int i = 0; i < n; i++) {
      npShares[i] = caps[i] == 0 ? 0 : share[i] * officers[i];
    }
    int[] np = Allocation.largestRemainder(npShares, npTotal, caps);
    for (int i = 0; i < n; i++) {
      np[i] += pinned[i];
    }
    npTotal = java.util.Arrays.stream(np).sum();
    for (int i = 0; i < n; i++) {
      World.Ocu ocu = ocus.get(i);
      ocu.officers = officers[i];
      double refOcuShare = 100.0 * np[i] / officers[i];
      for (int y = g.firstYear(); y <= g.lastYear(); y++) {
        double yearShare = area.isHome() ? forceShare.at(y) : refShare * forceShare.at(y) / forceShare.at(reference);
        ocu.npSharePct.put(y, refOcuShare * yearShare / refShare);
      }
    }
    for (int y = g.firstYear(); y <= g.lastYear(); y++) {
      final int year = y;
      double[] want = ocus.stream().mapToDouble(o -> o.npSharePct.get(year) * o.officers / 100).toArray();
      long total = y == reference ? npTotal : Math.round(java.util.Arrays.stream(want).sum());
      int[] counts = Allocation.largestRemainder(want, total, officers);
      for (int i = 0; i < n; i++) {
        ocus.get(i).npOfficers.put(y, counts[i]);
        ocus.get(i).npSharePct.put(y, 100.0 * counts[i] / officers[i]);
      }
    }
  }

  private static int argmin(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      best = v[i] < v[best] ? i : best;
    }
    return best;
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      best = v[i] > v[best] ? i : best;
    }
    return best;
  }

  /** Force-level staffing share (officer-weighted) in a year. */
  static double forceSharePct(World.ForceArea area, int year) {
    double np = 0;
    double all = 0;
    for (World.Ocu o : area.ocus()) {
      np += o.npOfficers.get(year);
      all += o.officers;
    }
    return 100 * np / all;
  }

  static Map<String, Long> writeReference(GeneratorSettings g, World world, Path landing) {
    Map<String, Long> rows = new LinkedHashMap<>();
    Path dir = landing.resolve("reference");
    try (CsvOut geo = new CsvOut(dir.resolve("geography.csv"), List.of("force_code", "force_name", "ocu_code", "ocu_name",
        "local_authority", "sector_code", "sector_name", "neighbourhood_code", "neighbourhood_name"));
         CsvOut lsoa = new CsvOut(dir.resolve("lsoa_lookup.csv"), List.of("lsoa_code", "lsoa_name", "neighbourhood_code")
         );
         CsvOut pop = new CsvOut(dir.resolve("population.csv"), List.of("force_code", "ocu_code", "age_band", "sex",
             "ethnic_group", "population_16_plus"));
         CsvOut msf = new CsvOut(dir.resolve("msf_groups.csv"), List.of("force_code", "msf_force_code"));
         CsvOut total = new CsvOut(dir.resolve("ocu_population.csv"), List.of("force_code", "ocu_code", "population_all_ages"))) {
      for (World.ForceArea f : world.forces) {
        for (World.Ocu o : f.ocus()) {
          for (World.Sector s : o.sectors) {
            for (World.Neighbourhood n : s.neighbourhoods()) {
              geo.write(f.force().slug(), f.force().name(), o.code, o.name, o.district, s.code(), s.name(), n.code(), n.name());
              for (World.Lsoa l : n.lsoas()) {
                lsoa.write(l.code(), l.name(), n.code());
              }
            }
          }
          List<String> groups = new ArrayList<>(World.ETHNIC_GROUPS.keySet());
          for (int a = 0; a < World.AGE_BANDS.size(); a++) {
            for (int s = 0; s < 2; s++) {
              for (int e = 0; e < groups.size(); e++) {
                pop.write(f.force().slug(), o.code, World.AGE_BANDS.get(a), World.SEXES.get(s), groups.get(e),
                    Math.round(o.population[a][s][e]));
              }
            }
          }
        }
        // All ages: adults are about 77% of residents; the home force adds up to its published population.
        double[] adults = f.ocus().stream().mapToDouble(World.Ocu::adults).toArray();
        long people = f.isHome() ? g.raw().getLong("home-population") : Math.round(java.util.Arrays.stream(adults).sum() / 0.77);
        int[] residents = Allocation.largestRemainder(adults, people, null);
        for (int i = 0; i < residents.length; i++) {
          total.write(f.force().slug(), f.ocus().get(i).code, residents[i]);
        }
        // The home force and its peers form one family: each member's MSF group is the other members.
        List<World.ForceArea> family = new ArrayList<>(List.of(world.home));
        family.addAll(world.peers());
        if (family.contains(f)) {
          for (World.ForceArea p : family) {
            if (p != f) {
              msf.write(f.force().slug(), p.force().slug());
            }
          }
        }
      }
      rows.put("reference/geography.csv", geo.rows());
      rows.put("reference/lsoa_lookup.csv", lsoa.rows());
      rows.put("reference/population.csv", pop.rows());
      rows.put("reference/msf_groups.csv", msf.rows());
      rows.put("reference/ocu_population.csv", total.rows());
    }
    rows.put(org.beacon.grading.Judgements.FILE, writeJudgements(g, world, landing.resolve(org.beacon.grading.Judgements.FILE)));
    return rows;
  }

  /**
   * The home force's moderated judgements as an inspection team would record them: the seed report's published
   * summary judgements (reference/published-judgements.csv) for the years the world covers, with their evidence as
   * the rationale. The report is dated September 2008; the first of that month stands for the day.
   */
  private static long writeJudgements(GeneratorSettings g, World world, Path file) {
    try (CsvOut out = new CsvOut(file, List.of("force_code", "inspection_area", "period", "judgement", "rationale", "recorded_by",
        "recorded_on"))) {
      for (var j : org.beacon.grading.Judgements.published()) {
        int year = FinancialYear.startYear(j.getString("period"));
        if (year >= g.firstYear() && year <= g.lastYear()) {
          out.write(world.home.force().slug(), org.beacon.grading.Judgements.PUBLISHED_AREAS.get(j.getString("area")), j.getString("period"), j.getString("published_judgement"),
              j.getString("evidence"), "HMIC inspection team (published report)", "2008-09-01");
        }
      }
      return out.rows();
    }
  }

  /** Workforce per OCU and year, and the home force's contingency fund allocations, summing to the published totals. */
  static Map<String, Long> writeWorkforce(GeneratorSettings g, World world, Path landing) {
    Config w = g.raw().getConfig("workforce");
    Map<String, Long> rows = new LinkedHashMap<>();
    Path dir = landing.resolve("workforce");
    try (CsvOut out = new CsvOut(dir.resolve("workforce.csv"), List.of("financial_year", "force_code", "ocu_code",
        "officers", "np_officers", "np_sergeants", "np_inspectors", "np_pcsos", "np_specials"));
         CsvOut fund = new CsvOut(dir.resolve("contingency_fund.csv"), List.of("financial_year", "force_code", "ocu_code",
             "category", "amount_gbp"))) {
      for (World.ForceArea f : world.forces) {
        List<World.Ocu> ocus = f.ocus();
        for (int y = g.firstYear(); y <= g.lastYear(); y++) {
          final int year = y;
          double[] np = ocus.stream().mapToDouble(o -> o.npOfficers.get(year)).toArray();
          double ratio = f.isHome() ? 1.0 : 0.9;
          double npTotal = java.util.Arrays.stream(np).sum();
          double toRef = npTotal / w.getInt("np-officers");
          int[] sergeants = Allocation.largestRemainder(np, Math.round(w.getInt("np-sergeants") * toRef * ratio), null);
          int[] inspectors = Allocation.largestRemainder(np, Math.round(w.getInt("np-inspectors") * toRef * ratio), null);
          int[] pcsos = Allocation.largestRemainder(np, Math.round(w.getInt("np-pcsos") * toRef * ratio), null);
          int[] specials = Allocation.largestRemainder(np, Math.round(w.getInt("np-specials") * toRef * ratio), null);
          for (int i = 0; i < ocus.size(); i++) {
            World.Ocu o = ocus.get(i);
            out.write(FinancialYear.label(y), f.force().slug(), o.code, o.officers, o.npOfficers.get(y), sergeants[i],
                inspectors[i], pcsos[i], specials[i]);
          }
          String label = FinancialYear.label(y);
          if (f.isHome() && w.hasPath("contingency-fund." + Settings.quote(label))) {
            Config byCategory = w.getConfig("contingency-fund." + Settings.quote(label));
            for (String category : byCategory.root().keySet()) {
              int[] amounts = Allocation.largestRemainder(np, byCategory.getLong(category), null);
              for (int i = 0; i < ocus.size(); i++) {
                fund.write(label, f.force().slug(), ocus.get(i).code, category, amounts[i]);
              }
            }
          }
        }
      }
      rows.put("workforce/workforce.csv", out.rows());
      rows.put("workforce/contingency_fund.csv", fund.rows());
    }
    return rows;
  }
}
