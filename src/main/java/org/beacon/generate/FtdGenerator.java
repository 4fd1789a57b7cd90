package org.beacon.generate;

import org.beacon.survey.SurveySources;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Settings;
import org.beacon.survey.SurveySource;

/**
 * Feeling the Difference: interviews per OCU per financial year in four quarterly waves, one file per
 * wave. Every question's force-level share of positive answers among valid answers is calibrated by
 * exact counts to the configured targets; OCU differences follow the neighbourhood staffing share.
 */
final class FtdGenerator {
  /** Response propensity by age band: older people answer more often. */
  static final double[] AGE_RESPONSE = {0.6, 0.8, 0.95, 1.05, 1.15, 1.25, 1.2};
  /** Response propensity of women against men's 1. */
  static final double FEMALE_RESPONSE = 1.1;
  private static final String[] COMMENTS = {
      "Would like to see more officers walking the beat", "The PCSO on our estate is excellent",
      "Cars race up and down the road every night, nobody does anything", "Never see a police officer round here",
      "Kids hanging round the shops, \"it's intimidating\" at night", "Reported a break-in, officer was very helpful",
      "Street lighting needs fixing, feels unsafe", "Good neighbourhood meetings, keep them going",
      "PC Davies called back when she said she would", "Drug dealing near the park, reported it twice"};

  private final GeneratorSettings g;
  private final Settings settings;
  private final World world;
  private final Manifest manifest;
  private final Map<String, Question> questions;
  /** Weighted positive and valid totals by question|ocu|year, for pinned changes on the previous year. */
  private final Map<String, double[]> actual = new LinkedHashMap<>();

  FtdGenerator(Settings settings, World world, Manifest manifest) {
    this.settings = settings;
    this.g = GeneratorSettings.of(settings);
    this.world = world;
    this.manifest = manifest;
    this.questions = Question.ofSource(settings, "ftd");
  }

  /** A respondent being built: demographics, place, date and answers by column. */
  private static final class Respondent {
    String id;
    World.Sector sector;
    World.Neighbourhood neighbourhood;
    int quarter;
    LocalDate date;
    int age;
    int sex;
    String ethnic;
    String ethnicGroup5;
    double weight;
    String disability;
    String religion;
    String comment;
    final Map<String, String> answers = new LinkedHashMap<>();
  }

  Map<String, Long> write(Path landing) {
    Map<String, Long> rows = new LinkedHashMap<>();
    SurveySource source = SurveySources.of(settings, "ftd");
    Config c = g.raw().getConfig("ftd");
    for (World.ForceArea force : world.forces) {
      if (!force.isHome() && !g.localSourcesForAll()) {
        continue;
      }
      for (int y = g.firstYear(); y <= g.lastYear(); y++) {
        Rng rng = Rng.of(g.seed(), "ftd", force.force().slug(), String.valueOf(y));
        Map<World.Ocu, List<Respondent>> byOcu = new LinkedHashMap<>();
        int counter = 0;
        for (World.Ocu ocu : force.ocus()) {
          int n = g.scaled(c.getInt("interviews-per-ocu-year"));
          int[] perQuarter = Allocation.largestRemainder(new double[] {1, 1, 1, 1}, n, null);
          List<Respondent> list = new ArrayList<>();
          for (int q = 0; q < 4; q++) {
            for (int i = 0; i < perQuarter[q]; i++) {
              list.add(respondent(force, ocu, y, q + 1, ++counter, rng, c));
            }
          }
          byOcu.put(ocu, list);
        }
        byOcu.forEach(this::rake);
        for (String q : questions.keySet()) {
          answer(force, y, q, byOcu, rng, c);
        }
        for (int quarter = 1; quarter <= 4; quarter++) {
          String file = String.format("ftd/%s/ftd_%s_q%d.csv", force.force().slug(),
              FinancialYear.label(y).replace('/', '-'), quarter);
          try (CsvOut out = new CsvOut(landing.resolve(file), source.columns())) {
            for (List<Respondent> list : byOcu.values()) {
              for (Respondent r : list) {
                if (r.quarter == quarter) {
                  out.write(row(r, source.columns()));
                }
              }
            }
            rows.put(file, out.rows());
          }
        }
      }
    }
    return rows;
  }

  private Respondent respondent(World.ForceArea force, World.Ocu ocu, int year, int quarter, int counter, Rng rng, Config c) {
    Respondent r = new Respondent();
    r.id = String.format("%s%02d%06d", force.force().prefix(), year % 100, counter);
    r.sector = ocu.sectors.get(rng.nextInt(ocu.sectors.size()));
    r.neighbourhood = r.sector.neighbourhoods().get(rng.nextInt(r.sector.neighbourhoods().size()));
    r.quarter = quarter;
    r.date = FinancialYear.quarterStart(year, quarter).plusDays(rng.nextInt(89));
    // Older people and women answer more often, so raking against the population matters later.
    World.Person p = ocu.draw(rng, AGE_RESPONSE, FEMALE_RESPONSE);
    r.age = p.age();
    r.sex = p.sex();
    r.ethnic = p.ethnicGroup();
    r.ethnicGroup5 = p.ethnicGroup5();
    String group = p.ethnicGroup5();
    if (rng.chance(0.01)) {
      r.ethnic = "Not stated";
      r.ethnicGroup5 = "Not stated";
    }
    r.disability = World.disability(r.age, rng);
    r.religion = World.religion(group, rng);
    r.comment = rng.chance(c.getDouble("comment-rate")) ? COMMENTS[rng.nextInt(COMMENTS.length)] : "";
    return r;
  }

  /**
   * Answers one question for a force-year: don't-know and refusals at their rates, then exactly the
   * calibrated number of positive answers in each OCU, chosen within the OCU with sector effects.
   */
  private void rake(World.Ocu ocu, List<Respondent> respondents) {
    double[] w = RakedWeights.of(SurveySources.of(settings, "ftd").weighting(), ocu,
        respondents.stream().map(r -> new RakedWeights.Person(World.AGE_BANDS.get(r.age), World.SEXES.get(r.sex), r.ethnicGroup5))
            .toList());
    for (int i = 0; i < w.length; i++) {
      respondents.get(i).weight = w[i];
    }
  }

  /**
   * Answers one question for a force-year: don't-know and refusals at their rates, then positive answers
   * chosen in each OCU (with sector effects) so that the OCU's weighted share is its true value plus
   * binomial sampling error, shifted by a common amount that puts the force's weighted estimate exactly on
   * the target.
   */
  private void answer(World.ForceArea force, int year, String q, Map<World.Ocu, List<Respondent>> byOcu, Rng rng, Config c) {
    Question question = questions.get(q);
    boolean asked = !q.equals("q_asb_crime_matter") || year >= c.getInt("asb-crime-matter-from-year");
    String targetKey = "targets.ftd." + q;
    if (!asked || !g.hasAnchors(targetKey)) {
      byOcu.values().forEach(list -> list.forEach(r -> r.answers.put(q, "")));
      return;
    }
    double askedShare = c.hasPath("asked-share." + q) ? c.getDouble("asked-share." + q) : 1.0;
    double dkRate = c.getDouble("dont-know-rate") * (q.equals("q_foot_patrol") ? 3 : 1);
    double refusedRate = c.getDouble("refused-rate");
    List<World.Ocu> ocus = new ArrayList<>(byOcu.keySet());
    int n = ocus.size();
    double[] validWeight = new double[n];
    for (int i = 0; i < n; i++) {
      for (Respondent r : byOcu.get(ocus.get(i))) {
        double u = rng.uniform();
        if (askedShare < 1 && rng.uniform() >= askedShare) {
          r.answers.put(q, "");
        } else if (u < dkRate) {
          r.answers.put(q, question.dontKnow());
        } else if (u < dkRate + refusedRate) {
          r.answers.put(q, question.refused());
        } else {
          r.answers.put(q, null);
          validWeight[i] += r.weight;
        }
      }
    }
    double forceTarget = g.anchors(targetKey).at(year) + (force.isHome() ? 0 : 3 * force.offset());
    double[] effect = g.staffingEffect(q);
    double forceShare = WorldBuilder.forceSharePct(force, year);
    double[] target = new double[n];
    for (int i = 0; i < n; i++) {
      World.Ocu o = ocus.get(i);
      double ocuEffect = effect[1] * Rng.of(g.seed(), "ftd-ocu-effect", force.force().slug(), o.code, q).normal();
      target[i] = clamp(forceTarget + effect[0] * (o.npSharePct.get(year) - forceShare) + ocuEffect);
      manifest.ocuTruth(force.force().slug(), o.code, "ftd." + q, year, target[i], o.npSharePct.get(year), ocuEffect);
      // The sample's own error: the OCU's realised share scatters around its true value as a binomial sample of
      // its valid respondents would (the force total is pinned below, so published figures stay exact).
      long valid = byOcu.get(o).stream().filter(r -> r.answers.get(q) == null).count();
      double p = target[i] / 100;
      target[i] = clamp(target[i] + 100 * Math.sqrt(p * (1 - p) / Math.max(1, valid))
          * Rng.of(g.seed(), "ftd-sampling", force.force().slug(), o.code, q, String.valueOf(year)).normal());
    }
    boolean[] pinned = new boolean[n];
    if (force.isHome()) {
      for (Config pin : g.raw().getConfigList("targets.ftd-ocu-changes")) {
        if (pin.getString("question").equals(q) && FinancialYear.startYear(pin.getString("year")) == year) {
          double prevPositive = 0;
          double prevValid = 0;
          List<Integer> members = new ArrayList<>();
          for (String code : pin.getStringList("ocus")) {
            members.add(indexOf(ocus, code));
            double[] prev = actual.get(q + "|" + code + "|" + (year - 1));
            if (prev == null) {
              throw new IllegalStateException("The pinned change for " + code + " in " + year + " needs the year before.");
            }
            prevPositive += prev[0];
            prevValid += prev[1];
          }
          shift(target, validWeight, members, 100 * prevPositive / prevValid + pin.getDouble("change-pp"));
          members.forEach(m -> pinned[m] = true);
        }
      }
      // The remaining OCUs move together so that the force's weighted estimate is the target.
      double pinnedPositive = 0;
      double all = 0;
      List<Integer> free = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all += validWeight[i];
        if (pinned[i]) {
          pinnedPositive += target[i] * validWeight[i];
        } else {
          free.add(i);
        }
      }
      double freeWeight = free.stream().mapToDouble(i -> validWeight[i]).sum();
      shift(target, validWeight, free, (forceTarget * all - pinnedPositive) / freeWeight);
    }
    for (int i = 0; i < n; i++) {
      List<Respondent> list = byOcu.get(ocus.get(i)).stream().filter(r -> r.answers.get(q) == null).toList();
      double[] weights = new double[list.size()];
      double[] keys = new double[list.size()];
      for (int j = 0; j < keys.length; j++) {
        Respondent r = list.get(j);
        weights[j] = r.weight;
        keys[j] = answerKey(r.sector.effectPp(), r.age) + rng.gumbel();
      }
      boolean[] positive = Allocation.weightedShare(weights, keys, target[i] / 100);
      double positiveWeight = 0;
      for (int j = 0; j < keys.length; j++) {
        list.get(j).answers.put(q, question.answer(positive[j], rng));
        positiveWeight += positive[j] ? weights[j] : 0;
      }
      actual.put(q + "|" + ocus.get(i).code + "|" + year, new double[] {positiveWeight, validWeight[i]});
    }
  }

  /**
   * A respondent's propensity to answer positively, before the Gumbel draw that makes the choice a logit model: higher
   * in a sector with a positive effect and with age band.
   */
  static double answerKey(double sectorEffectPp, int ageBand) {
    return sectorEffectPp / 20 + 0.03 * ageBand;
  }

  /** Moves the members' targets by one amount so that their pooled weighted share is {@code pooledPct}. */
  private static void shift(double[] target, double[] weight, List<Integer> members, double pooledPct) {
    double positive = 0;
    double all = 0;
    for (int i : members) {
      positive += target[i] * weight[i];
      all += weight[i];
    }
    double delta = pooledPct - positive / all;
    for (int i : members) {
      target[i] = Math.max(0, Math.min(100, target[i] + delta));
    }
  }

  private static int indexOf(List<World.Ocu> ocus, String code) {
    for (int i = 0; i < ocus.size(); i++) {
      if (ocus.get(i).code.equals(code)) {
        return i;
      }
    }
    throw new IllegalStateException("The pinned OCU " + code + " is not in the home force.");
  }

  static double clamp(double pct) {
    return Math.max(2, Math.min(98, pct));
  }

  private static double clampTotal(double pct) {
    return Math.max(0, Math.min(100, pct));
  }

  private Object[] row(Respondent r, List<String> columns) {
    Object[] values = new Object[columns.size()];
    for (int i = 0; i < values.length; i++) {
      String col = columns.get(i);
      values[i] = switch (col) {
        case "respondent_id" -> r.id;
        case "interview_date" -> r.date.toString();
        case "neighbourhood_code" -> r.neighbourhood.code();
        case "age_band" -> World.AGE_BANDS.get(r.age);
        case "sex" -> World.SEXES.get(r.sex);
        case "ethnic_group" -> r.ethnic;
        case "disability" -> r.disability;
        case "religion" -> r.religion;
        case "comment" -> r.comment;
        default -> r.answers.get(col);
      };
    }
    return values;
  }
}
