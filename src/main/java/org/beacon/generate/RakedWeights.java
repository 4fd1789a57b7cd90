package org.beacon.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beacon.survey.SurveySource;
import org.beacon.indicators.Weighting;

/**
 * The raked weight each respondent will get in Beacon (the same function, margins and rounded population
 * as the pipeline), so that the generator can calibrate published figures on the weighted estimate.
 */
final class RakedWeights {
  /** What raking can use of a respondent; age and sex may be null for a survey that does not record them. */
  record Person(String ageBand, String sex, String ethnicGroup5) {}

  private RakedWeights() {}

  static double[] of(SurveySource.Weighting weighting, World.Ocu ocu, List<Person> respondents) {
    double[] w = new double[respondents.size()];
    if (!weighting.isRaked()) {
      Arrays.fill(w, 1.0);
      return w;
    }
    List<String> groups = new ArrayList<>(World.ETHNIC_GROUPS.keySet());
    Map<String, Double> targets = new LinkedHashMap<>();
    double adults = 0;
    for (int a = 0; a < World.AGE_BANDS.size(); a++) {
      for (int s = 0; s < 2; s++) {
        for (int e = 0; e < groups.size(); e++) {
          // The population file holds whole people: rake to the same rounded numbers.
          double people = Math.round(ocu.population[a][s][e]);
          adults += people;
          Person cell = new Person(World.AGE_BANDS.get(a), World.SEXES.get(s), groups.get(e));
          for (int m = 0; m < weighting.margins().size(); m++) {
            targets.merge(m + "#" + category(weighting.margins().get(m), cell), people, Double::sum);
          }
        }
      }
    }
    List<String[]> keys = new ArrayList<>();
    for (Person r : respondents) {
      String[] k = new String[weighting.margins().size()];
      for (int m = 0; m < k.length; m++) {
        k[m] = category(weighting.margins().get(m), r);
      }
      keys.add(k);
    }
    return Weighting.rakeGroup(keys, weighting.margins().size(), (m, k) -> targets.get(m + "#" + k), adults,
        weighting.trimLower(), weighting.trimUpper()).weights();
  }

  private static String category(List<String> columns, Person p) {
    StringBuilder sb = new StringBuilder();
    for (String column : columns) {
      String v = switch (column) {
        case "age_band" -> p.ageBand();
        case "sex" -> p.sex();
        case "ethnic_group_5" -> p.ethnicGroup5();
        default -> throw new IllegalStateException("The generator cannot rake on " + column + ".");
      };
      sb.append(sb.length() == 0 ? "" : "|").append(v);
    }
    return sb.toString();
  }
}
