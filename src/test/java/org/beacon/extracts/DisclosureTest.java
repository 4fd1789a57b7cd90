package org.beacon.extracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Primary and secondary suppression on small hand-made tables whose right answer is known. */
class DisclosureTest {
  private static final int THRESHOLD = 30;

  private static Disclosure.Cell cell(String area, String parent, String periodType, String period, String type, String group,
      long n) {
    return new Disclosure.Cell("x", area, parent, periodType, period, type, group, n, null);
  }

  /** An area's whole-population cell for 2007/08. */
  private static Disclosure.Cell total(String area, String parent, long n) {
    return cell(area, parent, "financial_year", "2007/08", "all", "all", n);
  }

  private static Disclosure.Cell subgroup(String type, String group, long n) {
    return cell("ocu:A", null, "financial_year", "2007/08", type, group, n);
  }

  @Test
  void aLoneSmallSubgroupTakesItsSmallestSiblingWithIt() {
    List<Disclosure.Cell> cells = List.of(subgroup("all", "all", 200), subgroup("age", "16-24", 10),
        subgroup("age", "25-64", 50), subgroup("age", "65+", 140));
    List<String> reasons = Disclosure.suppress(cells, THRESHOLD, List.of());
    assertNull(reasons.get(0), "the total stays published");
    assertEquals("fewer than 30 respondents", reasons.get(1));
    assertTrue(reasons.get(2).startsWith("secondary suppression: ocu:A 2007/08 age=16-24 is suppressed"), reasons.get(2));
    assertNull(reasons.get(3), "one complementary cell is enough");
  }

  @Test
  void twoSmallSubgroupsNeedNothingMore() {
    List<Disclosure.Cell> cells = List.of(subgroup("all", "all", 200), subgroup("age", "16-24", 10),
        subgroup("age", "25-64", 20), subgroup("age", "65+", 170));
    List<String> reasons = Disclosure.suppress(cells, THRESHOLD, List.of());
    assertNull(reasons.get(0));
    assertNull(reasons.get(3));
    assertEquals(2, reasons.stream().filter(r -> r != null).count());
  }

  @Test
  void aSourceSuppressionCountsAsPrimary() {
    List<Disclosure.Cell> cells = List.of(subgroup("all", "all", 200),
        new Disclosure.Cell("x", "ocu:A", null, "financial_year", "2007/08", "sex", "Female", 45, "fewer than 50 valid responses"),
        subgroup("sex", "Male", 155));
    List<String> reasons = Disclosure.suppress(cells, THRESHOLD, List.of());
    assertEquals("fewer than 50 valid responses", reasons.get(1));
    assertTrue(reasons.get(2).startsWith("secondary suppression"), "Male = all - Female otherwise");
  }

  /** Force F = OCUs A + B + C, OCU B = sectors B1 + B2. */
  private static List<Disclosure.Cell> forceF() {
    return List.of(total("force:F", null, 1000), total("ocu:A", "force:F", 500), total("ocu:B", "force:F", 480),
        total("ocu:C", "force:F", 20), total("sector:B1", "ocu:B", 240), total("sector:B2", "ocu:B", 240));
  }

  @Test
  void secondarySuppressionCascadesDownTheAreaHierarchy() {
    // Force F = OCUs A + B + C; C is small, so B (the smaller of A and B) goes too; B = sectors B1 + B2, so one of them goes.
    List<String> reasons = Disclosure.suppress(forceF(), THRESHOLD, List.of());
    assertNull(reasons.get(0));
    assertNull(reasons.get(1));
    assertTrue(reasons.get(2).startsWith("secondary"), "B: " + reasons.get(2));
    assertEquals("fewer than 30 respondents", reasons.get(3));
    assertTrue(reasons.get(4).startsWith("secondary"), "B1 (first by key of the two equal sectors): " + reasons.get(4));
    assertNull(reasons.get(5));
  }

  /** Extracts compute suppression over one force's cells only (Published); that must agree with all forces at once. */
  @Test
  void oneForceAloneIsSuppressedAsAmongAllForces() {
    List<Disclosure.Cell> f = forceF();
    // Force G = OCUs G1 + G2 + G3: G1 is small and G2, the smallest other, goes with it.
    List<Disclosure.Cell> g = List.of(total("force:G", null, 800), total("ocu:G1", "force:G", 20), total("ocu:G2", "force:G", 30),
        total("ocu:G3", "force:G", 750));
    // Interleaved, as a sort by level and area code would leave them.
    List<Disclosure.Cell> all = List.of(f.get(0), g.get(0), f.get(1), f.get(2), f.get(3), g.get(1), g.get(2), g.get(3), f.get(4),
        f.get(5));
    List<String> together = Disclosure.suppress(all, THRESHOLD, List.of());
    List<String> alone = new ArrayList<>(Disclosure.suppress(f, THRESHOLD, List.of()));
    alone.addAll(Disclosure.suppress(g, THRESHOLD, List.of()));
    List<String> expected = new ArrayList<>();
    for (Disclosure.Cell c : all) {
      int i = f.indexOf(c);
      expected.add(alone.get(i >= 0 ? i : f.size() + g.indexOf(c)));
    }
    assertEquals(expected, together);
    assertEquals(5, together.stream().filter(r -> r != null).count(), "B, C and B1 in F; G1 and G2 in G: " + together);
  }

  @Test
  void quartersYearToDateAndTheYearCannotGiveAwayASmallQuarter() {
    List<Disclosure.Cell> cells = new ArrayList<>(List.of(
        total("ocu:A", null, 325),
        cell("ocu:A", null, "year_to_date", "2007/08 Q1-Q3", "all", "all", 300),
        cell("ocu:A", null, "quarter", "2007/08 Q1", "all", "all", 100),
        cell("ocu:A", null, "quarter", "2007/08 Q2", "all", "all", 110),
        cell("ocu:A", null, "quarter", "2007/08 Q3", "all", "all", 90),
        cell("ocu:A", null, "quarter", "2007/08 Q4", "all", "all", 25)));
    List<String> reasons = Disclosure.suppress(cells, THRESHOLD, List.of());
    assertEquals("fewer than 30 respondents", reasons.get(5));
    // Q4 = year - (Q1 + Q2 + Q3) and Q4 = year - year to date: each of those sets now hides two cells.
    List<List<Integer>> sets = List.of(List.of(0, 2, 3, 4, 5), List.of(0, 1, 5), List.of(1, 2, 3, 4));
    for (List<Integer> set : sets) {
      long hidden = set.stream().filter(i -> reasons.get(i) != null).count();
      assertTrue(hidden == 0 || hidden >= 2, "set " + set + " hides " + hidden + ": " + reasons);
    }
  }

  @Test
  void nothingSmallNothingSuppressed() {
    List<Disclosure.Cell> cells = List.of(subgroup("all", "all", 200), subgroup("sex", "Female", 100), subgroup("sex", "Male", 100));
    assertEquals(List.of(), Disclosure.suppress(cells, THRESHOLD, List.of()).stream().filter(r -> r != null).toList());
  }

  /**
   * The recovery attack across nested subgroups: Pakistani (10) is suppressed and, within the flat ethnic_group
   * set, White Irish with it; but Minority ethnic (50) minus Indian (40) would give Pakistani back. With the
   * nesting found in the respondents' combinations, the minority set hides one more cell, and no set of the
   * table (flat, white, minority) is left with exactly one hidden cell.
   */
  @Test
  void aSuppressedDetailedGroupCannotBeRecoveredFromItsCoarseTotal() {
    List<String> types = List.of("ethnic_group", "ethnic_minority", "sex");
    List<List<String>> combinations = List.of(List.of("White British", "White", "Male"), List.of("White Irish", "White", "Female"),
        List.of("White British", "White", "Female"), List.of("Indian", "Minority ethnic", "Male"),
        List.of("Pakistani", "Minority ethnic", "Female"), List.of("Pakistani", "Minority ethnic", "Male"));
    List<Disclosure.Nesting> nestings = Disclosure.nestings(types, combinations);
    assertEquals(List.of(new Disclosure.Nesting("ethnic_group", "ethnic_minority", java.util.Map.of("White British", "White",
        "White Irish", "White", "Indian", "Minority ethnic", "Pakistani", "Minority ethnic"))), nestings,
        "ethnic_group nests in ethnic_minority, and sex in neither");
    List<Disclosure.Cell> cells = List.of(subgroup("all", "all", 200), subgroup("ethnic_group", "White British", 120),
        subgroup("ethnic_group", "White Irish", 30), subgroup("ethnic_group", "Indian", 40), subgroup("ethnic_group", "Pakistani", 10),
        subgroup("ethnic_minority", "White", 150), subgroup("ethnic_minority", "Minority ethnic", 50));
    List<String> flat = Disclosure.suppress(cells, THRESHOLD, List.of());
    assertTrue(flat.get(3) == null && flat.get(6) == null, "without the nesting, 50 - 40 gives the suppressed Pakistani cell");
    List<String> reasons = Disclosure.suppress(cells, THRESHOLD, nestings);
    assertEquals("fewer than 30 respondents", reasons.get(4));
    for (List<Integer> set : List.of(List.of(0, 1, 2, 3, 4), List.of(0, 5, 6), List.of(5, 1, 2), List.of(6, 3, 4))) {
      long hidden = set.stream().filter(i -> reasons.get(i) != null).count();
      assertTrue(hidden != 1, "the set " + set + " has exactly one hidden cell: " + reasons);
    }
  }
}
