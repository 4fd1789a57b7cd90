package org.beacon.generate;

import org.beacon.survey.SurveySources;

import org.beacon.indicators.Indicator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the generator answers one question: its positive and negative labels (most to least extreme
 * within each side) and the labels that leave the valid base.
 */
record Question(String column, List<String> positive, List<String> negative, String dontKnow, String refused) {

  /** Splits a configured scale (label -> code) by the positive codes; other substantive codes are negative. */
  static Question of(String column, Map<String, String> scale, Set<String> positiveCodes, Set<String> excludedCodes) {
    List<String> pos = new ArrayList<>();
    List<String> neg = new ArrayList<>();
    String dk = null;
    String refused = null;
    for (Map.Entry<String, String> e : scale.entrySet()) {
      String code = e.getValue();
      if (positiveCodes.contains(code)) {
        pos.add(e.getKey());
      } else if (code.equals("dont_know")) {
        dk = e.getKey();
      } else if (code.equals("refused") || code.equals("not_applicable")) {
        refused = e.getKey();
      } else if (!excludedCodes.contains(code)) {
        neg.add(e.getKey());
      }
    }
    return new Question(column, pos, neg, dk, refused);
  }

  /** Every question of a configured source, its positive answers taken from the indicator that reads it. */
  static Map<String, Question> ofSource(org.beacon.runtime.Settings settings, String sourceId) {
    org.beacon.survey.SurveySource source = SurveySources.of(settings, sourceId);
    Map<String, Question> out = new java.util.LinkedHashMap<>();
    for (String q : source.questionScales().keySet()) {
      org.beacon.indicators.Indicator ind = Indicator.all(settings).stream()
          .filter(i -> i.source().equals(sourceId) && i.question().equals(q)).findFirst()
          .orElseThrow(() -> new IllegalStateException("No indicator defines the positive answers of " + q + "."));
      out.put(q, of(q, source.scale(q), new java.util.HashSet<>(ind.positive()), new java.util.HashSet<>(ind.excluded())));
    }
    return out;
  }

  /** A substantive label on the chosen side, the milder labels more often. */
  String answer(boolean isPositive, Rng rng) {
    List<String> side = isPositive ? positive : negative;
    double[] w = new double[side.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = isPositive ? 1 + i : w.length - i;
    }
    return side.get(rng.pick(w));
  }
}
