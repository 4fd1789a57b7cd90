package org.beacon.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.runtime.Settings;
import org.beacon.stats.Kish;
import org.beacon.stats.TaylorVariance;
import org.beacon.stats.Wilson;
import org.beacon.survey.SurveySource;
import org.beacon.survey.SurveySources;

/**
 * `beacon coverage`, on the generated world's own Feeling the Difference design: how often the published 95% and
 * 99.8% intervals of an OCU and of a sector, for a quarter and for a year, contain the truth.
 *
 * <p>Each replication draws every home-force OCU's interviews as the generator does (the configured number a year, a
 * quarter of them each quarter; older people and women answer more often, in the generator's proportions; a sector
 * at random within the OCU; don't know and refused at their rates), rakes them to the OCU's population (age × sex,
 * ethnic group: the source's weighting) and estimates exactly as gold.survey_estimates does: the Hájek ratio with
 * the raked weights, its Taylor variance with the OCU as stratum and respondents as PSUs (a sector as a domain of
 * its OCU), the design-effective n truncated at n, Korn and Graubard's degrees-of-freedom adjustment, and a Wilson
 * interval. A person answers positively with probability logistic(α + sector effect / 20 + 0.03 · age band), the
 * choice model behind the generator's ranking keys (sector effect / 20 + 0.03 · age band + a Gumbel draw), α set so
 * that the OCU's adults average the question's force target; the truth of a cell is its adults' average
 * probability. Cells below the source's publication threshold are left out, as they are suppressed.
 */
public final class WorldCoverage {
  /** One design, level and period type: cells evaluated over all replications, their mean n, coverage and median width. */
  public record Result(String design, String level, String period, int replications, long cells, double meanN,
      double coverage95, double coverage998, double medianWidth95) {}

  private static final String[] LEVELS = {"ocu", "sector"};
  private static final String[] PERIODS = {"quarter", "financial_year"};

  private WorldCoverage() {}

  public static List<Result> run(Settings settings, int replications, long seed) {
    GeneratorSettings g = GeneratorSettings.of(settings);
    SurveySource ftd = SurveySources.of(settings, "ftd");
    World world = WorldBuilder.build(g);
    int year = g.lastYear();
    double target = g.anchors("targets.ftd.q_police_good_job").at(year) / 100;
    var c = g.raw().getConfig("ftd");
    int perYear = g.scaled(c.getInt("interviews-per-ocu-year"));
    double invalid = c.getDouble("dont-know-rate") + c.getDouble("refused-rate");
    List<World.Ocu> ocus = world.home.ocus();
    double[] alpha = new double[ocus.size()];
    // Each sector's truth is fixed by the world: computed once, not in every replication.
    double[][] sectorTruths = new double[ocus.size()][];
    for (int o = 0; o < ocus.size(); o++) {
      World.Ocu ocu = ocus.get(o);
      double a = alpha[o] = calibrate(ocu, target);
      sectorTruths[o] = ocu.sectors.stream().mapToDouble(s -> sectorTruth(ocu, a, s.effectPp())).toArray();
    }
    Map<String, Acc> acc = new LinkedHashMap<>();
    for (String level : LEVELS) {
      for (String period : PERIODS) {
        acc.put("ftd|" + level + "|" + period, new Acc());
      }
    }
    for (String period : PERIODS) {
      acc.put("force_survey|force|" + period, new Acc());
    }
    int[] perQuarter = Allocation.largestRemainder(new double[] {1, 1, 1, 1}, perYear, null);
    for (int r = 0; r < replications; r++) {
      Rng rng = Rng.of(seed, "coverage", String.valueOf(r));
      for (int o = 0; o < ocus.size(); o++) {
        World.Ocu ocu = ocus.get(o);
        int n = perYear;
        int[] quarter = new int[n];
        int[] sector = new int[n];
        boolean[] valid = new boolean[n];
        boolean[] positive = new boolean[n];
        List<RakedWeights.Person> people = new ArrayList<>(n);
        for (int i = 0, q = 0, inQuarter = 0; i < n; i++, inQuarter++) {
          while (inQuarter >= perQuarter[q]) {
            q++;
            inQuarter = 0;
          }
          quarter[i] = q;
          sector[i] = rng.nextInt(ocu.sectors.size());
          World.Person p = ocu.draw(rng, FtdGenerator.AGE_RESPONSE, FtdGenerator.FEMALE_RESPONSE);
          people.add(new RakedWeights.Person(World.AGE_BANDS.get(p.age()), World.SEXES.get(p.sex()), p.ethnicGroup5()));
          valid[i] = rng.uniform() >= invalid;
          positive[i] = rng.uniform() < probability(alpha[o], ocu.sectors.get(sector[i]).effectPp(), p.age());
        }
        double[] w = RakedWeights.of(ftd.weighting(), ocu, people);
        for (int q = -1; q < 4; q++) {
          String period = q < 0 ? "financial_year" : "quarter";
          for (int s = -1; s < ocu.sectors.size(); s++) {
            double truth = s < 0 ? target : sectorTruths[o][s];
            estimate(acc.get("ftd|" + (s < 0 ? "ocu" : "sector") + "|" + period), quarter, sector, valid, positive, w, null, null,
                q, s, truth, ftd.minCellSize());
          }
        }
      }
      forceSurvey(settings, g, world, year, acc, rng);
    }
    List<Result> out = new ArrayList<>();
    acc.forEach((key, a) -> {
      double[] widths = a.widths.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      String[] k = key.split("\\|");
      out.add(new Result(k[0], k[1], k[2], replications, a.cells, (double) a.n / a.cells,
          (double) a.covered95 / a.cells, (double) a.covered998 / a.cells, widths.length == 0 ? Double.NaN : widths[widths.length / 2]));
    });
    return out;
  }

  private static final class Acc {
    long cells;
    long n;
    long covered95;
    long covered998;
    final List<Double> widths = new ArrayList<>();
  }

  /**
   * One replication of the home force's force survey: an equal sample per OCU stratum, max(2, n_h / 12) PSUs each with
   * an effect drawn anew, grossing weights N_h / n_h, don't know at 3%, a quarter at random; a person answers
   * positively with probability logistic(α + PSU effect), α set so that the population's share (over PSU effects)
   * is the SPI 2a target. Its OCU cells (about 48 interviews) are under the threshold, so the force's are evaluated.
   */
  private static void forceSurvey(Settings settings, GeneratorSettings g, World world, int year, Map<String, Acc> acc, Rng rng) {
    SurveySource source = SurveySources.of(settings, "force_survey");
    double target = g.anchors("targets.force-survey.q_police_job").at(year) / 100;
    double alpha = calibrate(WorldCoverage::clusterMean, target);
    List<World.Ocu> strata = world.home.ocus();
    int[] perStratum = Allocation.largestRemainder(strata.stream().mapToDouble(o -> 1).toArray(),
        g.scaled(g.raw().getConfig("force-survey").getInt("interviews-per-force-year")), null);
    int n = Arrays.stream(perStratum).sum();
    String[] stratum = new String[n];
    String[] psu = new String[n];
    double[] w = new double[n];
    int[] quarter = new int[n];
    boolean[] valid = new boolean[n];
    boolean[] positive = new boolean[n];
    int[] none = new int[n];
    for (int h = 0, i = 0; h < strata.size(); h++) {
      int psus = ForceSurveyGenerator.psus(perStratum[h]);
      double[] effect = new double[psus];
      for (int p = 0; p < psus; p++) {
        effect[p] = ForceSurveyGenerator.PSU_SD * rng.normal();
      }
      for (int j = 0; j < perStratum[h]; j++, i++) {
        int p = rng.nextInt(psus);
        stratum[i] = strata.get(h).code;
        psu[i] = stratum[i] + "-P" + p;
        w[i] = strata.get(h).adults() / perStratum[h];
        quarter[i] = rng.nextInt(4);
        valid[i] = rng.uniform() >= 0.03;
        positive[i] = rng.uniform() < 1 / (1 + Math.exp(-(alpha + effect[p])));
      }
    }
    for (int q = -1; q < 4; q++) {
      estimate(acc.get("force_survey|force|" + (q < 0 ? "financial_year" : "quarter")), quarter, none, valid, positive, w, stratum,
          psu, q, -1, target, source.minCellSize());
    }
  }

  /** The population share at α: logistic(α + u) averaged over u ~ N(0, ForceSurveyGenerator.PSU_SD²), by the midpoint rule on ±8 sd. */
  private static double clusterMean(double alpha) {
    int steps = 2000;
    double sum = 0;
    double weights = 0;
    for (int k = 0; k < steps; k++) {
      double z = -8 + 16 * (k + 0.5) / steps;
      double density = Math.exp(-z * z / 2);
      sum += density / (1 + Math.exp(-(alpha + ForceSurveyGenerator.PSU_SD * z)));
      weights += density;
    }
    return sum / weights;
  }

  /**
   * One cell of one replication: the respondents of the period (q < 0: the year), a sector as a domain (s < 0: all);
   * strata and PSUs null for one stratum with respondents as PSUs (FTD's OCU), given for a clustered design.
   */
  private static void estimate(Acc acc, int[] quarter, int[] sector, boolean[] valid, boolean[] positive, double[] w,
      String[] strata, String[] psus, int q, int s, double truth, int minCell) {
    int count = 0;
    for (int i = 0; i < w.length; i++) {
      count += q < 0 || quarter[i] == q ? 1 : 0;
    }
    double[] x = new double[count];
    double[] y = new double[count];
    double[] ww = new double[count];
    String[] h = strata == null ? null : new String[count];
    String[] p = psus == null ? null : new String[count];
    int k = 0;
    int n = 0;
    for (int i = 0; i < w.length; i++) {
      if (q < 0 || quarter[i] == q) {
        boolean in = valid[i] && (s < 0 || sector[i] == s);
        x[k] = in ? 1 : 0;
        y[k] = in && positive[i] ? 1 : 0;
        ww[k] = w[i];
        if (h != null) {
          h[k] = strata[i];
          p[k] = psus[i];
        }
        n += in ? 1 : 0;
        k++;
      }
    }
    if (n < minCell) {
      return;
    }
    TaylorVariance.Result est = TaylorVariance.ratio(y, x, ww, h, p, null, TaylorVariance.LonelyPsu.CERTAINTY);
    double[] domain = new double[n];
    for (int i = 0, j = 0; i < count; i++) {
      if (x[i] > 0) {
        domain[j++] = ww[i];
      }
    }
    double nEff = TaylorVariance.effectiveN(est.estimate(), est.variance(), Kish.effectiveN(domain), n);
    // df: the strata's PSUs in the period less the strata, as the engine counts (FTD: every respondent of the OCU is a PSU).
    long df = h == null ? count - 1 : java.util.stream.IntStream.range(0, count).mapToObj(i -> p[i]).distinct().count()
        - java.util.stream.IntStream.range(0, count).mapToObj(i -> h[i]).distinct().count();
    acc.cells++;
    acc.n += n;
    for (double level : new double[] {0.95, 0.998}) {
      double nStar = TaylorVariance.kornGraubardN(nEff, n, df, level);
      double lo = Wilson.lower(est.estimate() * nStar, nStar, level);
      double hi = Wilson.upper(est.estimate() * nStar, nStar, level);
      boolean covered = lo <= truth && truth <= hi;
      if (level == 0.95) {
        acc.covered95 += covered ? 1 : 0;
        acc.widths.add(hi - lo);
      } else {
        acc.covered998 += covered ? 1 : 0;
      }
    }
  }

  private static double probability(double alpha, double sectorEffectPp, int ageBand) {
    return 1 / (1 + Math.exp(-(alpha + FtdGenerator.answerKey(sectorEffectPp, ageBand))));
  }

  /** The sector's adults' average probability (a sector's adults are its OCU's in make-up). */
  private static double sectorTruth(World.Ocu ocu, double alpha, double sectorEffectPp) {
    double people = 0;
    double positive = 0;
    for (int a = 0; a < ocu.population.length; a++) {
      double band = Arrays.stream(ocu.population[a]).flatMapToDouble(Arrays::stream).sum();
      people += band;
      positive += band * probability(alpha, sectorEffectPp, a);
    }
    return positive / people;
  }

  /** α such that the OCU's adults, sectors weighted equally (respondents fall in them equally), average the target. */
  private static double calibrate(World.Ocu ocu, double target) {
    return calibrate(a -> ocu.sectors.stream().mapToDouble(s -> sectorTruth(ocu, a, s.effectPp())).average().orElseThrow(), target);
  }

  /** The α at which an increasing share reaches the target, by bisection. */
  private static double calibrate(java.util.function.DoubleUnaryOperator share, double target) {
    double lo = -20;
    double hi = 20;
    for (int it = 0; it < 200; it++) {
      double mid = (lo + hi) / 2;
      double mean = share.applyAsDouble(mid);
      if (mean < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }
}
