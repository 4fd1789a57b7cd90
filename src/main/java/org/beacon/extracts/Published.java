package org.beacon.extracts;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.runtime.Columns;

/**
 * Which survey cells of a force may leave Beacon: {@link Disclosure} over every cell of the force's areas that a
 * pack lists, in every year: the whole population's, and the subgroups' at the levels and period types of
 * beacon.extracts.subgroup-cells (the same for every pack). Its additive sets never cross a force (a force has
 * no parent area), so the result for a force's cells is the same as over all forces at once, and extracts for
 * different forces, OCUs or years never disagree about a cell and cannot be combined to recover one; other
 * forces' cells are not read. Rolling four-quarter periods overlap two financial years and are not published
 * in extracts; they stay in the gold table for analysts.
 */
final class Published {
  private final Map<String, String> reasons = new HashMap<>();
  private final List<Row> cells;

  private Published(List<Row> cells) {
    this.cells = cells;
  }

  static Published of(Dataset<Row> estimates, Areas areas, String force, int threshold,
      Map<String, Map<String, List<String>>> subgroupCells, List<Disclosure.Nesting> nestings) {
    Columns.require(estimates, "Published.of", List.of("indicator_id", "source", "level", "area_code", "period_type", "period",
        "financial_year", "subgroup_type", "subgroup", "n", "n_eff", "estimate", "lower_95", "upper_95", "lower_998",
        "upper_998", "method", "is_suppressed", "suppression_reason"));
    List<Row> rows = estimates.filter(col("period_type").notEqual("rolling_4q").and(areas.rowsWithin("force", force))
            .and(listed(subgroupCells)))
        .select("indicator_id", "level", "area_code", "period_type", "period", "financial_year", "subgroup_type", "subgroup",
            "n", "n_eff", "estimate", "lower_95", "upper_95", "lower_998", "upper_998", "method", "is_suppressed",
            "suppression_reason")
        .orderBy("indicator_id", "level", "area_code", "period_type", "period", "subgroup_type", "subgroup").collectAsList();
    List<Disclosure.Cell> cells = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Areas.Area area = areas.get(r.getAs("level"), r.getAs("area_code"));
      boolean suppressed = r.<Boolean>getAs("is_suppressed");
      cells.add(new Disclosure.Cell(r.getAs("indicator_id"), r.getAs("level") + ":" + r.getAs("area_code"),
          area == null ? null : area.parentKey(), r.getAs("period_type"), r.getAs("period"), r.getAs("subgroup_type"),
          r.getAs("subgroup"), r.<Long>getAs("n"), suppressed ? r.getAs("suppression_reason") : null));
    }
    List<String> reasons = Disclosure.suppress(cells, threshold, nestings);
    Published p = new Published(rows);
    for (int i = 0; i < cells.size(); i++) {
      p.reasons.put(cells.get(i).key(), reasons.get(i));
    }
    return p;
  }

  /** The whole population's cells, and the subgroups' of the configured source, level and period types. */
  private static Column listed(Map<String, Map<String, List<String>>> subgroupCells) {
    Column listed = col("subgroup_type").equalTo("all");
    for (var source : subgroupCells.entrySet()) {
      for (var level : source.getValue().entrySet()) {
        listed = listed.or(col("source").equalTo(source.getKey()).and(col("level").equalTo(level.getKey()))
            .and(col("period_type").isin(level.getValue().toArray())));
      }
    }
    return listed;
  }

  /** Every listed cell of the force outside rolling periods, ordered by indicator, area, period and subgroup. */
  List<Row> cells() {
    return cells;
  }

  /** Null when the cell may be published, else why not; a cell Beacon never estimated counts as suppressed. */
  String reason(String indicator, String level, String area, String periodType, String period, String subgroupType,
      String subgroup) {
    String key = Disclosure.key(indicator, level + ":" + area, periodType, period, subgroupType, subgroup);
    return reasons.containsKey(key) ? reasons.get(key) : "no estimate";
  }

  boolean isPublished(String indicator, String level, String area, String periodType, String period) {
    return reason(indicator, level, area, periodType, period, "all", "all") == null;
  }
}
