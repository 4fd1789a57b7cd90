package org.beacon.extracts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Disclosure control for survey cells, in the way of the GSS guidance on tables from surveys: primary
 * suppression of every cell from fewer respondents than the threshold, then secondary (complementary)
 * suppression so that no suppressed cell can be recovered by subtracting published cells from a
 * published total (Cox 1980; Hundepool et al. 2012, Statistical Disclosure Control, ch. 4).
 *
 * <p>An additive set is a total and the disjoint cells that make it up. Beacon's sets: the subgroups of
 * one subgroup type within their area's "all" cell; the child areas (OCUs, sectors, neighbourhoods)
 * within their parent; the quarters within their financial year and within each year-to-date period, and
 * a shorter year-to-date period with the quarters that follow it. In every set the number of
 * suppressed cells must be 0 or at least 2: where exactly one is suppressed, the published part with
 * the fewest respondents is suppressed too (the least information lost), and the sets are checked
 * again until none has exactly one. Sets are treated as additive even where a category is missing
 * (respondents with no answer), which can only suppress more than needed.
 *
 * <p>Subgroup types can nest: ethnic_minority's "Minority ethnic" is the sum of ethnic_group's non-white
 * categories, user_type's "Crime victim" the sum of four victim groups. Each coarse cell and the fine cells
 * that make it up are an additive set too, so that a suppressed fine cell cannot be recovered from its coarse
 * total and its published siblings ({@link Nesting}, found in the respondents' data by {@link #nestings}).
 */
public final class Disclosure {
  private static final Pattern YEAR_TO_DATE = Pattern.compile("(\\d{4}/\\d{2}) Q1-Q(\\d)");

  /**
   * One published cell. parentArea is the area that the cell's area is part of (null for the top);
   * primaryReason is set where the source already withheld the cell.
   */
  public record Cell(String indicator, String area, String parentArea, String periodType, String period,
      String subgroupType, String subgroup, long n, String primaryReason) {
    String key() {
      return Disclosure.key(indicator, area, periodType, period, subgroupType, subgroup);
    }
  }

  private record AdditiveSet(int total, List<Integer> parts, String kind) {}

  /** The fine subgroup type's values, each inside one value of the coarse type (coarseOf: fine value -> coarse value). */
  public record Nesting(String fineType, String coarseType, Map<String, String> coarseOf) {}

  private Disclosure() {}

  /** The identity of a cell, the one way totals, parts and callers look cells up. */
  static String key(String indicator, String area, String periodType, String period, String subgroupType, String subgroup) {
    return String.join("|", indicator, area, periodType, period, subgroupType, subgroup);
  }

  /** The suppression reason of each cell, in the order given; null where the cell may be published. */
  public static List<String> suppress(List<Cell> cells, int threshold, List<Nesting> nestings) {
    List<String> reasons = new ArrayList<>(cells.size());
    for (Cell c : cells) {
      reasons.add(c.primaryReason() != null ? c.primaryReason()
          : c.n() < threshold ? "fewer than " + threshold + " respondents" : null);
    }
    List<AdditiveSet> sets = additiveSets(cells, nestings);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (AdditiveSet set : sets) {
        List<Integer> members = new ArrayList<>(set.parts());
        members.add(set.total());
        List<Integer> hidden = members.stream().filter(i -> reasons.get(i) != null).toList();
        if (hidden.size() != 1) {
          continue;
        }
        int exposed = hidden.get(0);
        Integer complement = set.parts().stream().filter(i -> reasons.get(i) == null)
            .min(Comparator.<Integer>comparingLong(i -> cells.get(i).n()).thenComparing(i -> cells.get(i).key()))
            .orElse(null);
        if (complement == null) {
          // Only the total is published besides the hidden part's siblings: hide the total.
          complement = set.total();
        }
        reasons.set(complement, "secondary suppression: " + describe(cells.get(exposed)) + " is suppressed and would follow from "
            + set.kind() + " by subtraction");
        changed = true;
      }
    }
    return reasons;
  }

  private static String describe(Cell c) {
    return c.area() + " " + c.period() + (c.subgroupType().equals("all") ? "" : " " + c.subgroupType() + "=" + c.subgroup());
  }

  private static List<AdditiveSet> additiveSets(List<Cell> cells, List<Nesting> nestings) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < cells.size(); i++) {
      index.put(cells.get(i).key(), i);
    }
    Map<String, List<Integer>> subgroupParts = new LinkedHashMap<>();
    Map<String, List<Integer>> areaParts = new LinkedHashMap<>();
    for (int i = 0; i < cells.size(); i++) {
      Cell c = cells.get(i);
      if (!c.subgroupType().equals("all")) {
        String total = key(c.indicator(), c.area(), c.periodType(), c.period(), "all", "all");
        subgroupParts.computeIfAbsent(total + "#" + c.subgroupType(), k -> new ArrayList<>()).add(i);
      }
      if (c.parentArea() != null) {
        areaParts.computeIfAbsent(key(c.indicator(), c.parentArea(), c.periodType(), c.period(), c.subgroupType(),
            c.subgroup()), k -> new ArrayList<>()).add(i);
      }
    }
    List<AdditiveSet> sets = new ArrayList<>();
    subgroupParts.forEach((k, parts) -> addSet(sets, index, k.substring(0, k.indexOf('#')), parts, "the area's total and its other "
        + k.substring(k.indexOf('#') + 1) + " groups"));
    areaParts.forEach((total, parts) -> addSet(sets, index, total, parts, "the parent area and its other parts"));
    sets.addAll(periodSets(cells, index));
    for (Nesting nesting : nestings) {
      Map<String, List<Integer>> nested = new LinkedHashMap<>();
      for (int i = 0; i < cells.size(); i++) {
        Cell c = cells.get(i);
        String coarse = c.subgroupType().equals(nesting.fineType()) ? nesting.coarseOf().get(c.subgroup()) : null;
        if (coarse != null) {
          nested.computeIfAbsent(key(c.indicator(), c.area(), c.periodType(), c.period(), nesting.coarseType(), coarse),
              k -> new ArrayList<>()).add(i);
        }
      }
      nested.forEach((total, parts) -> addSet(sets, index, total, parts, "its " + nesting.coarseType() + " total and the other "
          + nesting.fineType() + " groups within it"));
    }
    return sets;
  }

  /**
   * The nestings among subgroup types, from the distinct combinations of their values in the respondents' data
   * (one row per combination, values in the order of types; null for a missing value): B nests A where every
   * value of A comes with one value of B and B has fewer values. A chance nesting in a small sample only adds
   * sets, which can only suppress more.
   */
  public static List<Nesting> nestings(List<String> types, List<List<String>> combinations) {
    List<Nesting> out = new ArrayList<>();
    for (int a = 0; a < types.size(); a++) {
      for (int b = 0; b < types.size(); b++) {
        if (a == b) {
          continue;
        }
        Map<String, String> coarseOf = new LinkedHashMap<>();
        boolean function = true;
        for (List<String> row : combinations) {
          String fine = row.get(a);
          String coarse = row.get(b);
          if (fine == null || coarse == null) {
            continue;
          }
          String before = coarseOf.putIfAbsent(fine, coarse);
          function &= before == null || before.equals(coarse);
        }
        if (function && new java.util.HashSet<>(coarseOf.values()).size() < coarseOf.size()) {
          out.add(new Nesting(types.get(a), types.get(b), Map.copyOf(coarseOf)));
        }
      }
    }
    return out;
  }

  private static void addSet(List<AdditiveSet> sets, Map<String, Integer> index, String totalKey, List<Integer> parts, String kind) {
    Integer total = index.get(totalKey);
    if (total != null) {
      sets.add(new AdditiveSet(total, parts, kind));
    }
  }

  /** A financial year (Q1-Q4) or year to date (Q1-Qm) as its quarters, or as a shorter year to date and the quarters after it. */
  private static List<AdditiveSet> periodSets(List<Cell> cells, Map<String, Integer> index) {
    List<AdditiveSet> sets = new ArrayList<>();
    for (Cell c : cells) {
      String year;
      int last;
      Matcher ytd = YEAR_TO_DATE.matcher(c.period());
      if (c.periodType().equals("financial_year")) {
        year = c.period();
        last = 4;
      } else if (c.periodType().equals("year_to_date") && ytd.matches()) {
        year = ytd.group(1);
        last = Integer.parseInt(ytd.group(2));
      } else {
        continue;
      }
      int total = index.get(c.key());
      for (int first = 1; first <= last; first++) {
        // first = 1: the quarters alone; otherwise the year to date Q1-Q(first-1) and the quarters from first on.
        List<Integer> parts = new ArrayList<>();
        if (first > 1) {
          Integer head = index.get(periodKey(c, "year_to_date", year + " Q1-Q" + (first - 1)));
          if (head == null) {
            continue;
          }
          parts.add(head);
        }
        // A quarter with no cell had no respondents, so the parts present still add up to the total.
        for (int q = first; q <= last; q++) {
          Integer quarter = index.get(periodKey(c, "quarter", year + " Q" + q));
          if (quarter != null) {
            parts.add(quarter);
          }
        }
        if (!parts.isEmpty()) {
          sets.add(new AdditiveSet(total, parts, "the " + c.period() + " total and its other quarters"));
        }
      }
    }
    return sets;
  }

  /** The key of the cell like c in another period. */
  private static String periodKey(Cell c, String periodType, String period) {
    return key(c.indicator(), c.area(), periodType, period, c.subgroupType(), c.subgroup());
  }
}
