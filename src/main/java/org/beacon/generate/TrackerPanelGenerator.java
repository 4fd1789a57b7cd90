package org.beacon.generate;

import org.beacon.survey.SurveySources;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.Settings;

/**
 * Tracker panels: fixed respondents in a few OCUs asked the FTD questions every quarter. Each member
 * keeps a personal tendency across waves; members drop out at the attrition rate and are replaced.
 */
final class TrackerPanelGenerator {
  private final Settings settings;
  private final GeneratorSettings g;
  private final World world;
  private final Map<String, Question> questions;

  TrackerPanelGenerator(Settings settings, World world) {
    this.settings = settings;
    this.g = GeneratorSettings.of(settings);
    this.world = world;
    this.questions = Question.ofSource(settings, "ftd");
  }

  private record Member(String id, int age, int sex, String ethnic, double tendency, int joinedWave) {}

  Map<String, Long> write(Path landing) {
    Map<String, Long> rows = new LinkedHashMap<>();
    Config c = g.raw().getConfig("tracker-panel");
    // The delivered layout is the tracker_panel source's: nine fixed columns, then the FTD questions.
    List<String> columns = SurveySources.of(settings, "tracker_panel").columns();
    List<String> questions = columns.subList(9, columns.size());
    for (World.ForceArea force : world.forces) {
      if (!force.isHome() && !g.localSourcesForAll()) {
        continue;
      }
      List<World.Ocu> ocus = force.isHome()
          ? force.ocus().stream().filter(o -> c.getStringList("ocus").contains(o.code)).toList()
          : force.ocus().subList(0, Math.min(4, force.ocus().size()));
      String file = String.format("tracker_panel/%s/tracker_panel.csv", force.force().slug());
      try (CsvOut out = new CsvOut(landing.resolve(file), columns)) {
        for (World.Ocu ocu : ocus) {
          Rng rng = Rng.of(g.seed(), "tracker", force.force().slug(), ocu.code);
          List<Member> members = new ArrayList<>();
          int counter = 0;
          int size = g.scaled(c.getInt("members-per-ocu"));
          int wave = 0;
          for (int y = g.firstYear(); y <= g.lastYear(); y++) {
            for (int q = 1; q <= 4; q++, wave++) {
              List<Member> next = new ArrayList<>();
              for (Member m : members) {
                if (!rng.chance(c.getDouble("attrition-per-wave"))) {
                  next.add(m);
                }
              }
              while (next.size() < size) {
                int k = rng.pick(new double[] {0.12, 0.16, 0.18, 0.17, 0.15, 0.12, 0.10});
                next.add(new Member(String.format("P%s%s%04d", force.force().prefix(), ocu.code, ++counter), k,
                    rng.nextInt(2), ocu.minorityShare > rng.uniform() ? "Indian" : "White British", rng.normal(), wave));
              }
              members = next;
              for (Member m : members) {
                Object[] row = new Object[columns.size()];
                row[0] = m.id();
                row[1] = ocu.code;
                row[2] = FinancialYear.label(y);
                row[3] = q;
                row[4] = FinancialYear.quarterStart(y, q).plusDays(rng.nextInt(89)).toString();
                row[5] = m.joinedWave() == wave && wave > 0;
                row[6] = World.AGE_BANDS.get(m.age());
                row[7] = World.SEXES.get(m.sex());
                row[8] = m.ethnic();
                for (int i = 0; i < questions.size(); i++) {
                  row[9 + i] = answer(force, ocu, y, questions.get(i), m, rng);
                }
                out.write(row);
              }
            }
          }
        }
        rows.put(file, out.rows());
      }
    }
    return rows;
  }

  private String answer(World.ForceArea force, World.Ocu ocu, int year, String q, Member m, Rng rng) {
    String key = "targets.ftd." + q;
    boolean asked = !q.equals("q_asb_crime_matter") || year >= g.raw().getInt("ftd.asb-crime-matter-from-year");
    if (!asked || !g.hasAnchors(key)) {
      return "";
    }
    Question question = questions.get(q);
    if (rng.chance(0.03)) {
      return question.dontKnow();
    }
    double[] effect = g.staffingEffect(q);
    double pct = FtdGenerator.clamp(g.anchors(key).at(year) + (force.isHome() ? 0 : 3 * force.offset())
        + effect[0] * (ocu.npSharePct.get(year) - WorldBuilder.forceSharePct(force, year)));
    double logit = Math.log(pct / (100 - pct)) + m.tendency();
    return question.answer(rng.uniform() < 1 / (1 + Math.exp(-logit)), rng);
  }
}
