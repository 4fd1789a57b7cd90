package org.beacon.generate;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Settings;

/**
 * The BCS-style force survey: about 1,000 interviews per force per year, an equal sample per BCU
 * stratum (so small BCUs are over-sampled and large ones under-sampled), clustered in primary sampling
 * units, with grossing design weights N_h / n_h that correct the deliberate imbalance. SPI 2a, the KDI
 * and SPI 10b are calibrated on the weighted estimate.
 */
final class ForceSurveyGenerator {
  static final List<String> STRANDS = List.of("q_asb_noisy_neighbours", "q_asb_teenagers", "q_asb_rubbish",
      "q_asb_vandalism", "q_asb_drugs", "q_asb_drunk", "q_asb_abandoned_cars");
  static final List<String> COLUMNS;
  /**
   * Respondents in proportion to the stratum's adults: the design weights gross up strata, not age or sex
   * groups, and answers do not depend on them, so the survey's estimates need no further weighting.
   */
  private static final double[] POPULATION_RESPONSE = {1, 1, 1, 1, 1, 1, 1};

  static {
    List<String> c = new ArrayList<>(List.of("respondent_id", "force_code", "interview_date", "stratum", "psu",
        "design_weight", "age_band", "sex", "ethnic_group", "disability", "religion", "q_police_job", "q_asb_crime_matter"));
    c.addAll(STRANDS);
    COLUMNS = List.copyOf(c);
  }

  /** The standard deviation of a PSU's effect on answers, on the logit scale. */
  static final double PSU_SD = 0.3;

  /** PSUs in a stratum of this many interviews: about 12 interviews each, at least two. */
  static int psus(int interviews) {
    return Math.max(2, interviews / 12);
  }

  private final GeneratorSettings g;
  private final World world;
  private final Question policeJob;
  private final Question asbCrimeMatter;
  private final List<String> problemLabels;
  private final String problemDontKnow;

  ForceSurveyGenerator(Settings settings, World world) {
    this.g = GeneratorSettings.of(settings);
    this.world = world;
    this.policeJob = Question.of("q_police_job", settings.scale("rating5"), Set.of("excellent", "good"), Set.of("dont_know", "refused"));
    this.asbCrimeMatter = Question.of("q_asb_crime_matter", settings.scale("agree5"), Set.of("strongly_agree", "tend_to_agree"),
        Set.of("dont_know", "refused"));
    Map<String, String> problem = settings.scale("problem4");
    // Labels by score 0..3: not a problem at all .. very big problem.
    List<String> byScore = new ArrayList<>();
    for (String code : List.of("not_a_problem", "not_very_big_problem", "fairly_big_problem", "very_big_problem")) {
      byScore.add(problem.entrySet().stream().filter(e -> e.getValue().equals(code)).findFirst().orElseThrow().getKey());
    }
    this.problemLabels = byScore;
    this.problemDontKnow = problem.entrySet().stream().filter(e -> e.getValue().equals("dont_know")).findFirst().orElseThrow().getKey();
  }

  Map<String, Long> write(Path landing) {
    Map<String, Long> rows = new LinkedHashMap<>();
    Config c = g.raw().getConfig("force-survey");
    int cutOff = c.getInt("high-asb-cut-off");
    for (World.ForceArea force : world.forces) {
      List<World.Ocu> strata = force.ocus();
      for (int y = g.firstYear(); y <= g.lastYear(); y++) {
        Rng rng = Rng.of(g.seed(), "force-survey", force.force().slug(), String.valueOf(y));
        // Respondents' demographics come from streams of their own, so adding them changed no answer (and adding
        // disability and religion changed no other demographic).
        Rng people = Rng.of(g.seed(), "force-survey-people", force.force().slug(), String.valueOf(y));
        Rng equality = Rng.of(g.seed(), "force-survey-disability-religion", force.force().slug(), String.valueOf(y));
        int[] perStratum = Allocation.largestRemainder(strata.stream().mapToDouble(o -> 1).toArray(),
            g.scaled(c.getInt("interviews-per-force-year")), null);
        int n = Arrays.stream(perStratum).sum();
        String[] id = new String[n];
        String[] stratum = new String[n];
        String[] psu = new String[n];
        double[] weight = new double[n];
        double[] cluster = new double[n];
        String[] date = new String[n];
        World.Person[] person = new World.Person[n];
        String[] disability = new String[n];
        String[] religion = new String[n];
        int i = 0;
        for (int h = 0; h < strata.size(); h++) {
          World.Ocu o = strata.get(h);
          int psus = psus(perStratum[h]);
          double[] psuEffect = new double[psus];
          for (int p = 0; p < psus; p++) {
            psuEffect[p] = PSU_SD * rng.normal();
          }
          for (int j = 0; j < perStratum[h]; j++, i++) {
            int p = rng.nextInt(psus);
            id[i] = String.format("B%s%02d%06d", force.force().prefix(), y % 100, i + 1);
            stratum[i] = o.code;
            psu[i] = String.format("%s-P%02d", o.code, p + 1);
            weight[i] = Math.round(o.adults() / perStratum[h] * 1000) / 1000.0;
            cluster[i] = psuEffect[p];
            date[i] = FinancialYear.quarterStart(y, 1).plusDays(rng.nextInt(364)).toString();
            person[i] = o.draw(people, POPULATION_RESPONSE, 1.0);
            disability[i] = World.disability(person[i].age(), equality);
            religion[i] = World.religion(person[i].ethnicGroup5(), equality);
          }
        }
        String[] job = answers(force, y, "q_police_job", policeJob, weight, cluster, rng);
        String[] kdi = answers(force, y, "q_asb_crime_matter", asbCrimeMatter, weight, cluster, rng);
        String[][] strands = strands(force, y, cutOff, weight, cluster, rng, c.getDouble("strand-dont-know-rate"));
        String file = String.format("force_survey/%s/force_survey_%s.csv", force.force().slug(),
            FinancialYear.label(y).replace('/', '-'));
        try (CsvOut out = new CsvOut(landing.resolve(file), COLUMNS)) {
          for (int r = 0; r < n; r++) {
            Object[] row = new Object[COLUMNS.size()];
            Object[] head = {id[r], force.force().slug(), date[r], stratum[r], psu[r], weight[r],
                World.AGE_BANDS.get(person[r].age()), World.SEXES.get(person[r].sex()), person[r].ethnicGroup(),
                disability[r], religion[r], job[r], kdi[r]};
            System.arraycopy(head, 0, row, 0, head.length);
            for (int s = 0; s < STRANDS.size(); s++) {
              row[head.length + s] = strands[r][s];
            }
            out.write(row);
          }
          rows.put(file, out.rows());
        }
      }
    }
    return rows;
  }

  /** One question: don't know at 3%, then a weighted share of positives among the rest equal to the target. */
  private String[] answers(World.ForceArea force, int y, String measure, Question q, double[] weight, double[] cluster, Rng rng) {
    int n = weight.length;
    String[] out = new String[n];
    List<Integer> valid = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (rng.chance(0.03)) {
        out[i] = q.dontKnow();
      } else {
        valid.add(i);
      }
    }
    double target = PeerTargets.target(g, world, force, "targets.force-survey." + measure, measure, y);
    boolean[] positive = select(valid, weight, cluster, target, rng);
    for (int j = 0; j < valid.size(); j++) {
      out[valid.get(j)] = q.answer(positive[j], rng);
    }
    return out;
  }

  private static boolean[] select(List<Integer> valid, double[] weight, double[] cluster, double targetPct, Rng rng) {
    double[] w = valid.stream().mapToDouble(i -> weight[i]).toArray();
    double[] priority = valid.stream().mapToDouble(i -> cluster[i] + rng.gumbel()).toArray();
    return Allocation.weightedShare(w, priority, FtdGenerator.clamp(targetPct) / 100);
  }

  /**
   * The seven ASB strands scored 0-3. Respondents with any strand unanswered are outside the SPI 10b
   * base; among the rest, a weighted share equal to the target scores at or above the cut-off.
   */
  private String[][] strands(World.ForceArea force, int y, int cutOff, double[] weight, double[] cluster, Rng rng, double dkRate) {
    int n = weight.length;
    String[][] out = new String[n][STRANDS.size()];
    List<Integer> complete = new ArrayList<>();
    boolean[] hasDk = new boolean[n];
    for (int i = 0; i < n; i++) {
      for (int s = 0; s < STRANDS.size(); s++) {
        if (rng.chance(dkRate)) {
          hasDk[i] = true;
          out[i][s] = problemDontKnow;
        }
      }
      if (!hasDk[i]) {
        complete.add(i);
      }
    }
    double target = PeerTargets.target(g, world, force, "targets.force-survey.high_asb", "high_asb", y);
    boolean[] high = select(complete, weight, cluster, target, rng);
    boolean[] isHigh = new boolean[n];
    for (int j = 0; j < complete.size(); j++) {
      isHigh[complete.get(j)] = high[j];
    }
    double[] highDist = {0.08, 0.22, 0.37, 0.33};
    double[] lowDist = {0.35, 0.38, 0.19, 0.08};
    for (int i = 0; i < n; i++) {
      int[] score = new int[STRANDS.size()];
      int sum = 0;
      for (int s = 0; s < score.length; s++) {
        score[s] = rng.pick(isHigh[i] ? highDist : lowDist);
        sum += score[s];
      }
      // Nudge strands until the total sits on the right side of the cut-off.
      while (isHigh[i] && sum < cutOff) {
        int s = rng.nextInt(score.length);
        if (score[s] < 3) {
          score[s]++;
          sum++;
        }
      }
      while (!isHigh[i] && sum >= cutOff) {
        int s = rng.nextInt(score.length);
        if (score[s] > 0) {
          score[s]--;
          sum--;
        }
      }
      for (int s = 0; s < score.length; s++) {
        if (out[i][s] == null) {
          out[i][s] = problemLabels.get(score[s]);
        }
      }
    }
    return out;
  }
}
