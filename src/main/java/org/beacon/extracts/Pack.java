package org.beacon.extracts;

import java.util.List;
import java.util.Map;

/**
 * Everything one inspection extract publishes, for a force (or one of its OCUs) and a financial year, already
 * read, passed through disclosure control and judged by {@link PackReader} and {@link FigureReader}: plain data
 * that the CSV, workbook and HTML writers only lay out.
 *
 * @param versions "layer.table@version" of every Delta table read, in reading order
 * @param names indicator and gap ids to their names
 * @param inspectionAreas inspection area ids to their names, in the grading's order
 */
record Pack(String force, String forceName, String year, String ocu, String ocuName, String ruleVersion, int threshold,
    Map<String, Long> versions, Map<String, String> names, Map<String, String> inspectionAreas, ExtractTable indicators,
    ExtractTable grades, ExtractTable judgements, ExtractTable scorecard, ExtractTable gaps, ExtractTable crime,
    Figures figures) {

  /** The area whose extract this is: the OCU when one was asked for, else the force. */
  String level() {
    return ocu == null ? "force" : "ocu";
  }

  String areaCode() {
    return ocu == null ? force : ocu;
  }

  /** An indicator's or a gap's name, or its id when the catalogue does not know it. */
  String nameOf(String id) {
    return names.getOrDefault(id, id);
  }

  Pack withFigures(Figures figures) {
    return new Pack(force, forceName, year, ocu, ocuName, ruleVersion, threshold, versions, names, inspectionAreas,
        indicators, grades, judgements, scorecard, gaps, crime, figures);
  }

  List<ExtractTable> tables() {
    return List.of(indicators, grades, judgements, scorecard, gaps, crime);
  }
}
