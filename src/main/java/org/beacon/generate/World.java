package org.beacon.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.survey.Demographics;

/**
 * The synthetic geography and workforce every generated source shares: forces, OCUs (BCUs), sectors,
 * neighbourhoods, LSOAs, adult population by age, sex and ethnic group, and each OCU's neighbourhood
 * staffing. The home force has the published structure (21 OCUs, 54 sectors, 224 neighbourhoods).
 */
public final class World {
  public static final List<String> AGE_BANDS = Demographics.AGE_BANDS;
  public static final double[] AGE_SHARES = {0.15, 0.17, 0.18, 0.16, 0.13, 0.11, 0.10};
  public static final List<String> SEXES = Demographics.SEXES;
  /** Within-group shares of the 2001 census categories, in Demographics.ETHNIC_GROUPS order. */
  public static final Map<String, List<String>> ETHNIC_GROUPS = Demographics.ETHNIC_GROUPS;
  public static final Map<String, double[]> ETHNIC_SPLITS = new LinkedHashMap<>();

  static {
    ETHNIC_SPLITS.put("White", new double[] {0.93, 0.03, 0.04});
    ETHNIC_SPLITS.put("Mixed", new double[] {0.45, 0.1, 0.3, 0.15});
    ETHNIC_SPLITS.put("Asian", new double[] {0.35, 0.45, 0.12, 0.08});
    ETHNIC_SPLITS.put("Black", new double[] {0.6, 0.3, 0.1});
    ETHNIC_SPLITS.put("Chinese or other", new double[] {0.5, 0.5});
  }

  public record Lsoa(String code, String name, double latitude, double longitude, double weight) {}

  public record Neighbourhood(String code, String name, List<Lsoa> lsoas) {}

  public record Sector(String code, String name, List<Neighbourhood> neighbourhoods, double effectPp) {}

  /** An OCU with its adult population [age][sex][ethnic group], officers and neighbourhood share by year. */
  public static final class Ocu {
    public final String code;
    public final String name;
    public final String district;
    public final List<Sector> sectors = new ArrayList<>();
    public final double[][][] population;
    public final double minorityShare;
    public int officers;
    public final Map<Integer, Double> npSharePct = new LinkedHashMap<>();
    public final Map<Integer, Integer> npOfficers = new LinkedHashMap<>();

    Ocu(String code, String name, String district, double[][][] population, double minorityShare) {
      this.code = code;
      this.name = name;
      this.district = district;
      this.population = population;
      this.minorityShare = minorityShare;
    }

    public double adults() {
      double s = 0;
      for (double[][] a : population) {
        for (double[] b : a) {
          for (double v : b) {
            s += v;
          }
        }
      }
      return s;
    }

    public List<Neighbourhood> neighbourhoods() {
      return sectors.stream().flatMap(s -> s.neighbourhoods().stream()).toList();
    }

    /**
     * An adult of this OCU drawn in proportion to its population, each age band's share scaled by
     * ageResponse and women's by femaleResponse (the groups that answer surveys more often), then a detailed
     * ethnic group within the five-group one.
     */
    Person draw(Rng rng, double[] ageResponse, double femaleResponse) {
      double[] cell = new double[AGE_BANDS.size() * 2 * 5];
      for (int a = 0; a < AGE_BANDS.size(); a++) {
        for (int s = 0; s < 2; s++) {
          for (int e = 0; e < 5; e++) {
            cell[(a * 2 + s) * 5 + e] = population[a][s][e] * ageResponse[a] * (s == 1 ? femaleResponse : 1.0);
          }
        }
      }
      int k = rng.pick(cell);
      String group = new ArrayList<>(ETHNIC_GROUPS.keySet()).get(k % 5);
      return new Person(k / 10, (k / 5) % 2, group, ETHNIC_GROUPS.get(group).get(rng.pick(ETHNIC_SPLITS.get(group))));
    }
  }

  /** A drawn adult: age band and sex (indexes into AGE_BANDS and SEXES), five-group and detailed ethnic group. */
  record Person(int age, int sex, String ethnicGroup5, String ethnicGroup) {}

  /** "Yes" or "No": reported disability, more common with age (age is the index into AGE_BANDS). */
  static String disability(int age, Rng rng) {
    return rng.chance(0.08 + 0.03 * age) ? "Yes" : "No";
  }

  /** A religion (Demographics.RELIGIONS) drawn from shares that differ by five-group ethnic group. */
  static String religion(String ethnicGroup5, Rng rng) {
    double[] w = switch (ethnicGroup5) {
      case "Asian" -> new double[] {0.04, 0.01, 0.15, 0.0, 0.55, 0.2, 0.01, 0.02, 0.02};
      case "White" -> new double[] {0.72, 0.002, 0.001, 0.003, 0.004, 0.001, 0.005, 0.2, 0.064};
      default -> new double[] {0.55, 0.02, 0.02, 0.0, 0.1, 0.02, 0.02, 0.2, 0.07};
    };
    return Demographics.RELIGIONS.get(rng.pick(w));
  }

  public record ForceArea(Forces.Force force, boolean isHome, boolean isMsfPeer, List<Ocu> ocus, double offset) {}

  public final List<ForceArea> forces;
  public final ForceArea home;

  World(List<ForceArea> forces) {
    this.forces = forces;
    this.home = forces.get(0);
  }

  public List<ForceArea> peers() {
    return forces.stream().filter(ForceArea::isMsfPeer).toList();
  }
}
