package org.beacon.generate;

import org.beacon.survey.SurveySources;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Settings;
import org.beacon.survey.SurveySource;

/**
 * The user (victim) satisfaction survey: interviews per BCU per year with victims of domestic burglary,
 * violent crime, vehicle crime and road traffic collisions, and with ASB reporters, on the 7-point
 * satisfaction scale. Calibrated on the raked weights Beacon will give each respondent: the home force's
 * overall, white and minority-ethnic whole-experience satisfaction, each stage's overall figure, the
 * ASB-reporter gaps over the configured window, and the peers' whole-experience figures around the MSF
 * average.
 */
final class UserSatisfactionGenerator {
  static final List<String> COLUMNS = List.of("respondent_id", "force_code", "bcu_code", "victim_group", "incident_date",
      "interview_date", "ethnic_group", "q_ease_of_contact", "q_actions_taken", "q_kept_informed", "q_treatment",
      "q_whole_experience");
  static final List<String> STAGES = List.of("q_ease_of_contact", "q_actions_taken", "q_kept_informed", "q_treatment",
      "q_whole_experience");
  static final String ASB = "Anti-social behaviour";
  private static final Set<String> SATISFIED = Set.of("completely_satisfied", "very_satisfied", "fairly_satisfied");

  private final GeneratorSettings g;
  private final World world;
  private final Question question;
  private final SurveySource.Weighting weighting;

  UserSatisfactionGenerator(Settings settings, World world) {
    this.g = GeneratorSettings.of(settings);
    this.world = world;
    this.weighting = SurveySources.of(settings, "user_satisfaction").weighting();
    this.question = Question.of("satisfied7", settings.scale("satisfied7"), SATISFIED, Set.of("dont_know", "not_applicable"));
  }

  private static final class Respondent {
    String id;
    World.Ocu bcu;
    String group;
    int quarter;
    LocalDate interview;
    LocalDate incident;
    String ethnicClass;
    String ethnic;
    String ethnicGroup5;
    double weight;
    final Map<String, String> answers = new LinkedHashMap<>();
  }

  Map<String, Long> write(Path landing) {
    Map<String, Long> rows = new LinkedHashMap<>();
    Config c = g.raw().getConfig("user-satisfaction");
    Map<String, Object> shares = c.getObject("group-shares").unwrapped();
    List<String> groups = new ArrayList<>(shares.keySet());
    double[] groupShares = groups.stream().mapToDouble(k -> ((Number) shares.get(k)).doubleValue()).toArray();
    for (World.ForceArea force : world.forces) {
      for (int y = g.firstYear(); y <= g.lastYear(); y++) {
        Rng rng = Rng.of(g.seed(), "user-satisfaction", force.force().slug(), String.valueOf(y));
        List<Respondent> all = new ArrayList<>();
        int counter = 0;
        for (World.Ocu bcu : force.ocus()) {
          List<Respondent> inBcu = new ArrayList<>();
          int[] perGroup = Allocation.largestRemainder(groupShares, g.scaled(c.getInt("interviews-per-bcu-year")), null);
          for (int gi = 0; gi < groups.size(); gi++) {
            for (int i = 0; i < perGroup[gi]; i++) {
              Respondent r = new Respondent();
              r.id = String.format("U%s%02d%06d", force.force().prefix(), y % 100, ++counter);
              r.bcu = bcu;
              r.group = groups.get(gi);
              r.quarter = 1 + rng.nextInt(4);
              r.interview = FinancialYear.quarterStart(y, r.quarter).plusDays(rng.nextInt(89));
              r.incident = r.interview.minusDays(42 + rng.nextInt(43));
              double minority = force.isHome() && !r.group.equals(ASB) ? c.getDouble("ethnic-shares.minority") : bcu.minorityShare * 0.9;
              double notStated = force.isHome() && !r.group.equals(ASB) ? c.getDouble("ethnic-shares.not-stated") : 0.1;
              r.ethnicClass = rng.pick(new double[] {1 - minority - notStated, minority, notStated}) == 0 ? "white"
                  : rng.uniform() < minority / (minority + notStated) ? "minority" : "not-stated";
              r.ethnic = ethnicLabel(r.ethnicClass, rng);
              r.ethnicGroup5 = World.ETHNIC_GROUPS.entrySet().stream().filter(e -> e.getValue().contains(r.ethnic))
                  .map(Map.Entry::getKey).findFirst().orElse(r.ethnic);
              inBcu.add(r);
            }
          }
          double[] w = RakedWeights.of(weighting, bcu, inBcu.stream()
              .map(r -> new RakedWeights.Person(null, null, r.ethnicGroup5)).toList());
          for (int i = 0; i < w.length; i++) {
            inBcu.get(i).weight = w[i];
          }
          all.addAll(inBcu);
        }
        for (String stage : STAGES) {
          answer(force, y, stage, all, rng);
        }
        String file = String.format("user_satisfaction/%s/user_satisfaction_%s.csv", force.force().slug(),
            FinancialYear.label(y).replace('/', '-'));
        try (CsvOut out = new CsvOut(landing.resolve(file), COLUMNS)) {
          for (Respondent r : all) {
            out.write(r.id, force.force().slug(), r.bcu.code, r.group, r.incident.toString(), r.interview.toString(), r.ethnic,
                r.answers.get("q_ease_of_contact"), r.answers.get("q_actions_taken"), r.answers.get("q_kept_informed"),
                r.answers.get("q_treatment"), r.answers.get("q_whole_experience"));
          }
          rows.put(file, out.rows());
        }
      }
    }
    return rows;
  }

  private static String ethnicLabel(String ethnicClass, Rng rng) {
    if (ethnicClass.equals("not-stated")) {
      return "Not stated";
    }
    List<String> groups = new ArrayList<>(World.ETHNIC_GROUPS.keySet());
    String group = ethnicClass.equals("white") ? "White" : groups.get(1 + rng.pick(new double[] {0.12, 0.60, 0.20, 0.08}));
    return World.ETHNIC_GROUPS.get(group).get(rng.pick(World.ETHNIC_SPLITS.get(group)));
  }

  private void answer(World.ForceArea force, int year, String stage, List<Respondent> all, Rng rng) {
    for (Respondent r : all) {
      double u = rng.uniform();
      double notApplicable = stage.equals("q_kept_informed") ? 0.03 : 0;
      r.answers.put(stage, u < 0.01 ? question.dontKnow() : u < 0.01 + notApplicable ? question.refused() : null);
    }
    List<Respondent> crime = all.stream().filter(r -> !r.group.equals(ASB)).toList();
    List<Respondent> asb = all.stream().filter(r -> r.group.equals(ASB)).toList();
    double overall = PeerTargets.target(g, world, force, "targets.user-satisfaction." + stage, stage, year);
    if (force.isHome() && stage.equals("q_whole_experience")) {
      // Whole experience by ethnicity: minority and white targets, "not stated" takes the rest of the overall.
      double minority = g.anchors("targets.user-satisfaction-minority").at(year);
      double white = g.hasAnchors("targets.user-satisfaction-white") && g.anchors("targets.user-satisfaction-white").defines(year)
          ? g.anchors("targets.user-satisfaction-white").at(year) : Double.NaN;
      double n = open(crime, stage, null);
      double nMinority = open(crime, stage, "minority");
      double nWhite = open(crime, stage, "white");
      double nNotStated = n - nMinority - nWhite;
      if (Double.isNaN(white)) {
        white = (overall * n - minority * nMinority - (overall + 3) * nNotStated) / nWhite;
      }
      double notStated = (overall * n - minority * nMinority - white * nWhite) / nNotStated;
      choose(crime, "minority", minority, stage, rng);
      choose(crime, "white", white, stage, rng);
      choose(crime, "not-stated", FtdGenerator.clamp(notStated), stage, rng);
    } else {
      choose(crime, null, overall, stage, rng);
    }
    double crimeRateAll = rate(crime, stage);
    double gap = force.isHome() && g.raw().hasPath("targets.asb-reporter-gaps." + stage)
        ? g.raw().getDouble("targets.asb-reporter-gaps." + stage) : -10;
    Config window = g.raw().getConfig("targets.asb-reporter-gap-window");
    if (force.isHome() && FinancialYear.startYear(window.getString("year")) == year) {
      List<Integer> quarters = window.getIntList("quarters");
      List<Respondent> crimeIn = crime.stream().filter(r -> quarters.contains(r.quarter)).toList();
      List<Respondent> asbIn = asb.stream().filter(r -> quarters.contains(r.quarter)).toList();
      List<Respondent> crimeOut = crime.stream().filter(r -> !quarters.contains(r.quarter)).toList();
      List<Respondent> asbOut = asb.stream().filter(r -> !quarters.contains(r.quarter)).toList();
      choose(asbIn, null, rate(crimeIn, stage) + gap, stage, rng);
      choose(asbOut, null, rate(crimeOut, stage) + gap, stage, rng);
    } else {
      choose(asb, null, crimeRateAll + gap, stage, rng);
    }
  }

  /** Weight of the respondents of a class whose answer to the stage is still open, i.e. valid (not don't know or not applicable). */
  private static double open(List<Respondent> list, String stage, String ethnicClass) {
    return list.stream().filter(r -> r.answers.get(stage) == null)
        .filter(r -> ethnicClass == null || r.ethnicClass.equals(ethnicClass)).mapToDouble(r -> r.weight).sum();
  }

  /** Satisfied answers among the valid respondents of the class (null: all), so that their weighted share is pct. */
  private void choose(List<Respondent> list, String ethnicClass, double pct, String stage, Rng rng) {
    List<Respondent> open = list.stream().filter(r -> r.answers.get(stage) == null)
        .filter(r -> ethnicClass == null || r.ethnicClass.equals(ethnicClass)).toList();
    double[] keys = new double[open.size()];
    double[] weights = new double[open.size()];
    for (int j = 0; j < keys.length; j++) {
      keys[j] = rng.gumbel();
      weights[j] = open.get(j).weight;
    }
    boolean[] positive = Allocation.weightedShare(weights, keys, FtdGenerator.clamp(pct) / 100);
    for (int j = 0; j < keys.length; j++) {
      open.get(j).answers.put(stage, question.answer(positive[j], rng));
    }
  }

  /** Weighted percentage satisfied among valid answers (don't know and not applicable left out). */
  private double rate(List<Respondent> list, String stage) {
    double valid = 0;
    double positive = 0;
    for (Respondent r : list) {
      String a = r.answers.get(stage);
      if (a != null && !a.equals(question.dontKnow()) && !a.equals(question.refused())) {
        valid += r.weight;
        if (question.positive().contains(a)) {
          positive += r.weight;
        }
      }
    }
    return valid == 0 ? 0 : 100.0 * positive / valid;
  }
}
