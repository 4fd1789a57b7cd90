package org.beacon.indicators;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.runtime.Columns;
import org.beacon.runtime.FinancialYear;
import org.beacon.survey.SurveySource;

/**
 * Design-based survey estimates for every indicator, area, period and subgroup, in three aggregations.
 *
 * <p>Each estimate is a Hájek ratio R = Σ w·y / Σ w·x over the cell's domain (x = 1 for a valid answer in
 * the domain, y = 1 for a positive one, or the score for a mean). Its variance is the Taylor-linearised
 * with-replacement variance of {@link org.beacon.stats.TaylorVariance}, assembled from per-stratum sums
 * so the linearised values never need a second pass over the rows: with PSU totals Y_j = Σ w·y and
 * X_j = Σ w·x, U_j = (Y_j − R·X_j) / X, and
 * <pre>
 *   Σ_j U_j  = (ΣY − R·ΣX) / X
 *   Σ_j U_j² = (ΣY² − 2R·ΣYX + R²·ΣX²) / X²
 *   v_h      = c_h · (Σ U² − (Σ U)² / n_h),   c_h = (1 − f_h) · n_h / (n_h − 1)
 * </pre>
 * where n_h counts every PSU of the stratum in the period, inside the domain or not (domain
 * estimation). A stratum with a single PSU contributes nothing (taken as a certainty unit). R is the cell's
 * own constant, so the strata add up before R is known, in one aggregation:
 * <pre>
 *   v = Σ_h v_h = (Q_YY − 2R·Q_YX + R²·Q_XX) / X²,   Q_AB = Σ_h c_h · (ΣAB − ΣA·ΣB / n_h)
 * </pre>
 * Proportions
 * get Wilson intervals on the design-effective n = min(n, p(1 − p) / v) (Korn and Graubard 1998; a design
 * effect below 1, often a chance result of a stratum with few PSUs, counts as 1), falling back to Kish's n_eff
 * where v = 0, and scaled for the interval by Korn and Graubard's (t_{n−1} / t_{df})² with
 * df = Σ n_h − H over the strata that hold respondents of the cell, n_h counting each such stratum's PSUs in
 * the period: a cell's variance comes from those strata alone (every other stratum adds zero), so their PSUs
 * are the information it rests on, and an OCU's cell gets its own strata's df rather than the whole sample's.
 * (R's degf() of a subset counts only PSUs with respondents in the domain: the same for areas and periods,
 * larger here for a subgroup whose members miss some PSUs.) Means get t intervals on the same df.
 */
public final class SurveyEstimates {
  private SurveyEstimates() {}

  /** The levels a source can be estimated at: its area level and every level above, lowest first. */
  public static List<String> levels(SurveySource source) {
    List<String> all = SurveySource.LEVELS;
    return all.subList(all.indexOf(source.areaLevel()), all.size());
  }

  /**
   * Unit-level frame: weight, stratum, PSU, geography, periods (with a running quarter index), subgroup
   * values as text, and per indicator the pair (x, y) in an array column.
   */
  public static Dataset<Row> withDesignAndFlags(Dataset<Row> responses, SurveySource source, List<Indicator> indicators) {
    List<String> needed = new ArrayList<>(List.of("financial_year", "quarter", "wave"));
    levels(source).forEach(l -> needed.add(l + "_code"));
    source.subgroups().stream().filter(s -> !source.derivedSubgroups().containsKey(s)).forEach(needed::add);
    SurveySource.Design d = source.design();
    for (String c : List.of(d.weight(), d.strata(), d.psu(), d.fpc())) {
      if (!c.isEmpty()) {
        needed.add(c);
      }
    }
    Columns.require(responses, "SurveyEstimates.withDesignAndFlags", needed);
    List<Column> flags = new ArrayList<>();
    for (Indicator i : indicators) {
      Column domain = i.filter().isEmpty() ? lit(true) : coalesce(expr(i.filter()), lit(false));
      Column valid;
      Column value;
      if (i.scale() != null) {
        Column sum = lit(0);
        valid = domain;
        for (String q : i.scale().questions()) {
          Column score = lit(null).cast("int");
          for (var e : i.scale().scores().entrySet()) {
            score = when(col(q).equalTo(e.getKey()), lit(e.getValue())).otherwise(score);
          }
          sum = sum.plus(score);
          valid = valid.and(score.isNotNull());
        }
        value = i.estimand() == Indicator.Estimand.MEAN ? sum.cast("double")
            : when(sum.geq(i.scale().cutOff()), lit(1.0)).otherwise(lit(0.0));
      } else {
        Column answer = col(i.question());
        valid = domain.and(answer.isNotNull()).and(not(answer.isin(i.excluded().toArray())));
        value = when(answer.isin(i.positive().toArray()), lit(1.0)).otherwise(lit(0.0));
      }
      Column isValid = coalesce(valid, lit(false));
      flags.add(struct(lit(i.id()).as("indicator_id"), when(isValid, lit(1.0)).otherwise(lit(0.0)).as("x"),
          when(isValid, value).otherwise(lit(0.0)).as("y")));
    }
    List<Column> select = new ArrayList<>();
    select.add((d.weight().isEmpty() ? lit(1.0) : col(d.weight()).cast("double")).as("_w"));
    select.add((d.strata().isEmpty() ? lit("all") : col(d.strata()).cast("string")).as("_stratum"));
    // Without a PSU column every respondent is its own PSU; a row id stands in for it.
    select.add((d.psu().isEmpty() ? lit(null).cast("string") : col(d.psu()).cast("string")).as("_psu"));
    select.add((d.fpc().isEmpty() ? lit(null).cast("double") : col(d.fpc()).cast("double")).as("_fpc"));
    levels(source).forEach(l -> select.add(col(l + "_code")));
    select.add(col("financial_year"));
    select.add(col("wave"));
    select.add(FinancialYear.quarterIndex(col("financial_year"), col("quarter")).as("_qi"));
    source.subgroups().forEach(s -> select.add(coalesce(source.subgroupColumn(s).cast("string"), lit("Not stated")).as(s)));
    select.add(array(flags.toArray(new Column[0])).as("_flags"));
    return responses.select(select.toArray(new Column[0]));
  }

  /** "2007/08 Q3" for a running quarter index. */
  private static Column waveLabel(Column qi) {
    return concat(FinancialYear.labelOfQuarterIndex(qi), lit(" Q"), pmod(qi, lit(4)).plus(1).cast("string"));
  }

  /**
   * The periods of the given types a unit belongs to: its year, its quarter, the four rolling windows ending in
   * its quarter and the next three, and the years to date.
   */
  private static List<Column> periods(int firstQi, int lastQi, List<String> types) {
    List<Column> p = new ArrayList<>();
    if (types.contains("financial_year")) {
      p.add(struct(lit("financial_year").as("period_type"), col("financial_year").as("period"), col("financial_year").as("fy")));
    }
    if (types.contains("quarter")) {
      p.add(struct(lit("quarter").as("period_type"), col("wave").as("period"), col("financial_year").as("fy")));
    }
    if (types.contains("rolling_4q")) {
      for (int k = 0; k < 4; k++) {
        Column end = col("_qi").plus(k);
        Column inRange = end.geq(firstQi + 3).and(end.leq(lastQi));
        p.add(struct(lit("rolling_4q").as("period_type"), when(inRange, waveLabel(end)).as("period"), FinancialYear.labelOfQuarterIndex(end).as("fy")));
      }
    }
    if (types.contains("year_to_date")) {
      p.addAll(yearToDate(lastQi));
    }
    return p;
  }

  /**
   * The financial year to date ("2007/08 Q1-Q3") windows a unit belongs to: those ending in its quarter or a
   * later one of the same year, observed already. A window to Q4 is the financial year itself, so it is left out.
   */
  private static List<Column> yearToDate(int lastQi) {
    List<Column> p = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      Column end = col("_qi").plus(k);
      Column inRange = pmod(col("_qi"), lit(4)).plus(k).leq(2).and(end.leq(lastQi));
      p.add(struct(lit("year_to_date").as("period_type"),
          when(inRange, concat(col("financial_year"), lit(" Q1-Q"), pmod(end, lit(4)).plus(1).cast("string"))).as("period"),
          col("financial_year").as("fy")));
    }
    return p;
  }

  /**
   * Every cell's estimate. {@code firstQi}/{@code lastQi} bound the observed quarters, so rolling windows
   * are complete. Subgroups are estimated at the levels and period types the source's subgroup-cells name.
   */
  public static Dataset<Row> estimate(Dataset<Row> units, SurveySource source, List<Indicator> indicators, int firstQi,
      int lastQi, String interval) {
    Columns.require(units, "SurveyEstimates.estimate", List.of("_w", "_stratum", "_psu", "_fpc", "_qi", "_flags"));
    List<String> levels = levels(source);
    List<String> geography = levels.stream().map(l -> l + "_code").toList();
    boolean clustered = !source.design().psu().isEmpty();
    String[] cellKey = {"indicator_id", "level", "area_code", "period_type", "period", "financial_year", "subgroup_type", "subgroup"};

    // Groupings: the whole population, and each subgroup when the source has subgroup cells. Per respondent,
    // indicator and grouping, the weighted totals and (unclustered) their squares add up.
    Map<String, List<String>> subgroupCells = source.subgroupCells();
    List<Column> groupings = new ArrayList<>(List.of(struct(lit("all").as("subgroup_type"), lit("all").as("subgroup"))));
    if (!subgroupCells.isEmpty()) {
      source.subgroups().forEach(g -> groupings.add(struct(lit(g).as("subgroup_type"), col(g).as("subgroup"))));
    }
    List<String> sums = clustered ? List.of("Y", "X", "n", "sw2", "swyy") : List.of("Y", "X", "n", "sw2", "swyy", "YY", "YX", "XX");
    List<String> unit = clustered ? List.of("indicator_id", "_stratum", "_psu") : List.of("indicator_id", "_stratum");
    Dataset<Row> pieces = pieces(units, indicators, groupings, geography, clustered, sums);
    // Strata that are the areas of a level (ocu_code) nest within that level's areas and every level's above: a
    // cell above is the union of its strata's cells at that level, so its per-stratum sums are those cells' and
    // are not taken from the pieces again. The strata's level is then estimated for every period type above too.
    String strataLevel = levels.stream().filter(l -> (l + "_code").equals(source.design().strata())).findFirst().orElse(null);
    List<String> above = strataLevel == null ? List.of() : levels.subList(levels.indexOf(strataLevel) + 1, levels.size());
    Map<String, List<String>> allTypes = new java.util.LinkedHashMap<>();
    Map<String, List<String>> subgroupTypes = new java.util.LinkedHashMap<>();
    for (String level : levels.subList(0, levels.size() - above.size())) {
      allTypes.put(level, SurveySource.periodTypes(level));
      if (subgroupCells.containsKey(level)) {
        subgroupTypes.put(level, subgroupCells.get(level));
      }
    }
    for (String level : above) {
      allTypes.merge(strataLevel, SurveySource.periodTypes(level), SurveyEstimates::union);
      if (subgroupCells.containsKey(level)) {
        subgroupTypes.merge(strataLevel, subgroupCells.get(level), SurveyEstimates::union);
      }
    }
    Dataset<Row> exploded = toCells(pieces, allTypes, subgroupTypes, unit, sums, firstQi, lastQi);
    Dataset<Row> psus = clustered
        ? sumBy(exploded, withStratum(cellKey, "_psu"), sums)
            .withColumn("YY", col("Y").multiply(col("Y")))
            .withColumn("YX", col("Y").multiply(col("X")))
            .withColumn("XX", col("X").multiply(col("X")))
        : exploded;
    Dataset<Row> strata = psus.groupBy(withStratum(cellKey))
        .agg(sum("Y").as("SY"), sum("X").as("SX"), sum("YY").as("SYY"), sum("YX").as("SYX"), sum("XX").as("SXX"),
            sum("n").as("n"), sum("sw2").as("sw2"), sum("swyy").as("swyy"));
    if (!above.isEmpty()) {
      // Each stratum's row at its own level stands also for the areas above that contain it (one pass: a union of
      // the rows with themselves would compute them twice).
      Dataset<Row> parents = units.select(col("_stratum"), array(above.stream().map(SurveyEstimates::area).toArray(Column[]::new))
          .as("_above")).distinct();
      Column self = array(struct(col("level"), col("area_code")));
      strata = strata.join(broadcast(parents), Columns.seq("_stratum"), "left")
          .withColumn("_a", explode(when(col("level").equalTo(strataLevel), concat(self, col("_above"))).otherwise(self)))
          .withColumn("level", col("_a.level")).withColumn("area_code", col("_a.area_code")).drop("_a", "_above");
    }
    strata = strata.filter(listed(levels, subgroupCells));
    Dataset<Row> design = designCounts(units, firstQi, lastQi, clustered);
    Column nh = col("n_h").cast("double");
    Column f = when(col("fpc").isNull(), lit(0.0)).when(col("fpc").gt(1), nh.divide(col("fpc"))).otherwise(col("fpc"));
    Column c = when(nh.gt(1), lit(1.0).minus(f).multiply(nh).divide(nh.minus(1))).otherwise(lit(0.0));
    Dataset<Row> perCell = strata.join(broadcast(design), Columns.seq("_stratum", "period_type", "period"))
        .withColumn("c_h", c)
        .withColumn("QYY", centred("SYY", "SY", "SY"))
        .withColumn("QYX", centred("SYX", "SY", "SX"))
        .withColumn("QXX", centred("SXX", "SX", "SX"))
        .groupBy(names(cellKey))
        .agg(sum("SY").as("Y"), sum("SX").as("weighted_n"), sum("QYY").as("QYY"), sum("QYX").as("QYX"), sum("QXX").as("QXX"),
            sum("n").cast("long").as("n"), sum("sw2").as("sw2"), sum("swyy").as("swyy"),
            sum(col("n_h")).minus(count(lit(1))).cast("int").as("df"));
    Column x = col("weighted_n");
    Column r = col("estimate");
    // The three terms cancel exactly where every PSU's linearised value is zero (a domain inside one PSU of its
    // stratum, all answers alike): what is left is rounding, of the order of eps times the terms, and its square root
    // would be published as an se (about 1e-6 for a mean score near 50). A variance within 1e-12 of its terms' size
    // cannot be told from zero in double precision, so it is zero; a real variance is many orders above that.
    Column terms = abs(col("QYY")).plus(lit(2).multiply(abs(r.multiply(col("QYX"))))).plus(r.multiply(r).multiply(abs(col("QXX"))));
    Column variance = col("QYY").minus(lit(2).multiply(r).multiply(col("QYX"))).plus(r.multiply(r).multiply(col("QXX")));
    perCell = perCell.withColumn("estimate", when(x.gt(0), col("Y").divide(x)))
        .withColumn("variance", when(abs(variance).leq(terms.multiply(1e-12)), lit(0.0)).otherwise(variance).divide(x.multiply(x)));
    List<String> means = indicators.stream().filter(i -> i.estimand() == Indicator.Estimand.MEAN).map(Indicator::id).toList();
    return CellStatistics.finish(perCell.withColumn("_is_mean", col("indicator_id").isin(means.toArray())), source, interval);
  }

  /**
   * Sums are additive within a PSU, so respondents are first collapsed to the smallest pieces a cell is built
   * from: lowest area and quarter (keeping PSUs apart when the design clusters, since their squares are taken
   * per cell), per grouping. Every grouping goes through the same few aggregations, so the plan does not grow
   * with them. Every indicator's sums are taken in the same pass, a column each, and only the pieces are then
   * split into a row per indicator: respondents' rows are never repeated per indicator.
   */
  private static Dataset<Row> pieces(Dataset<Row> units, List<Indicator> indicators, List<Column> groupings,
      List<String> geography, boolean clustered, List<String> sums) {
    List<String> key = new ArrayList<>(List.of("_stratum"));
    if (clustered) {
      key.add("_psu");
    }
    key.addAll(geography);
    key.addAll(List.of("financial_year", "wave", "_qi", "subgroup_type", "subgroup"));
    Column w = col("_w");
    List<Column> totals = new ArrayList<>();
    for (int k = 0; k < indicators.size(); k++) {
      Column x = col("_flags").getItem(k).getField("x");
      Column y = col("_flags").getItem(k).getField("y");
      Map<String, Column> perUnit = new java.util.LinkedHashMap<>();
      perUnit.put("Y", w.multiply(y));
      perUnit.put("X", w.multiply(x));
      perUnit.put("n", x);
      perUnit.put("sw2", w.multiply(w).multiply(x));
      perUnit.put("swyy", w.multiply(x).multiply(y).multiply(y));
      perUnit.put("YY", w.multiply(y).multiply(w.multiply(y)));
      perUnit.put("YX", w.multiply(y).multiply(w.multiply(x)));
      perUnit.put("XX", w.multiply(x).multiply(w.multiply(x)));
      for (String c : sums) {
        totals.add(sum(perUnit.get(c)).as(c + "_" + k));
      }
    }
    Dataset<Row> byPiece = units.withColumn("g", explode(array(groupings.toArray(new Column[0]))))
        .withColumn("subgroup_type", col("g.subgroup_type")).withColumn("subgroup", col("g.subgroup"))
        .groupBy(names(key.toArray(new String[0])))
        .agg(totals.get(0), totals.subList(1, totals.size()).toArray(new Column[0]));
    List<Column> perIndicator = new ArrayList<>();
    for (int k = 0; k < indicators.size(); k++) {
      List<Column> fields = new ArrayList<>(List.of(lit(indicators.get(k).id()).as("indicator_id")));
      for (String c : sums) {
        fields.add(col(c + "_" + k).as(c));
      }
      perIndicator.add(struct(fields.toArray(new Column[0])));
    }
    List<Column> withIndicators = new ArrayList<>(List.of(names(key.toArray(new String[0]))));
    withIndicators.add(explode(array(perIndicator.toArray(new Column[0]))).as("f"));
    List<Column> flat = new ArrayList<>(List.of(col("f.indicator_id").as("indicator_id")));
    key.forEach(c -> flat.add(col(c)));
    sums.forEach(c -> flat.add(col("f." + c).as(c)));
    return byPiece.select(withIndicators.toArray(new Column[0])).select(flat.toArray(new Column[0]));
  }

  /** A stratum's Q_AB = c_h · (ΣAB − ΣA·ΣB / n_h), its part of the cell's variance before R is applied. */
  private static Column centred(String ab, String a, String b) {
    return col("c_h").multiply(col(ab).minus(col(a).multiply(col(b)).divide(col("n_h"))));
  }

  /** PSUs per stratum and period among all respondents of the source (the domain-estimation n_h), with the FPC. */
  static Dataset<Row> designCounts(Dataset<Row> units, int firstQi, int lastQi, boolean clustered) {
    Column psu = clustered ? col("_psu") : monotonically_increasing_id().cast("string");
    return units.select(col("_stratum"), psu.as("_unit"), col("_fpc"), explode(array(periods(firstQi, lastQi, SurveySource.PERIOD_TYPES)
            .toArray(new Column[0]))).as("p"))
        .filter(col("p.period").isNotNull())
        .groupBy(col("_stratum"), col("p.period_type").as("period_type"), col("p.period").as("period"))
        .agg(clustered ? countDistinct("_unit").as("n_h") : count(lit(1)).as("n_h"), first("_fpc", true).as("fpc"));
  }

  /**
   * The pieces' sums in every cell they belong to, as (cell, design unit) rows, at the levels and period types
   * given for the whole population and for subgroups. The pieces are first summed per area of each level, so
   * that an upper level's cells repeat far fewer rows, and each area's quarter is then repeated once per
   * period of those types that contains it.
   */
  private static Dataset<Row> toCells(Dataset<Row> pieces, Map<String, List<String>> allTypes,
      Map<String, List<String>> subgroupTypes, List<String> unit, List<String> sums, int firstQi, int lastQi) {
    Column isAll = col("subgroup_type").equalTo("all");
    List<Column> allAreas = allTypes.keySet().stream().map(SurveyEstimates::area).toList();
    List<Column> subgroupAreas = subgroupTypes.keySet().stream().map(SurveyEstimates::area).toList();
    Column areas = subgroupAreas.isEmpty() ? array(allAreas.toArray(new Column[0]))
        : when(isAll, array(allAreas.toArray(new Column[0]))).otherwise(array(subgroupAreas.toArray(new Column[0])));
    List<String> areaKey = new ArrayList<>(unit);
    areaKey.addAll(List.of("level", "area_code", "financial_year", "wave", "_qi", "subgroup_type", "subgroup"));
    Dataset<Row> placed = pieces.withColumn("a", explode(areas))
        .withColumn("level", col("a.level")).withColumn("area_code", col("a.area_code"));
    Dataset<Row> byArea = sumBy(placed, names(areaKey.toArray(new String[0])), sums);
    Column periodsOf = null;
    for (String level : allTypes.keySet()) {
      Column these = when(isAll, array(periods(firstQi, lastQi, allTypes.get(level)).toArray(new Column[0])));
      if (subgroupTypes.containsKey(level)) {
        these = these.otherwise(array(periods(firstQi, lastQi, subgroupTypes.get(level)).toArray(new Column[0])));
      }
      periodsOf = periodsOf == null ? when(col("level").equalTo(level), these) : periodsOf.when(col("level").equalTo(level), these);
    }
    List<Column> out = new ArrayList<>(List.of(col("level"), col("area_code"), col("c.period_type").as("period_type"),
        col("c.period").as("period"), col("c.fy").as("financial_year"), col("subgroup_type"), col("subgroup")));
    unit.forEach(u -> out.add(col(u)));
    sums.forEach(x -> out.add(col(x)));
    return byArea.withColumn("c", explode(periodsOf)).filter(col("c.period").isNotNull()).select(out.toArray(new Column[0]));
  }

  /** The cells a source estimates: every level's period types for the whole population, its subgroup cells'. */
  private static Column listed(List<String> levels, Map<String, List<String>> subgroupCells) {
    Column isAll = col("subgroup_type").equalTo("all");
    Column listed = lit(false);
    for (String level : levels) {
      Column types = when(isAll, col("period_type").isin(SurveySource.periodTypes(level).toArray()))
          .otherwise(subgroupCells.containsKey(level) ? col("period_type").isin(subgroupCells.get(level).toArray()) : lit(false));
      listed = listed.or(col("level").equalTo(level).and(types));
    }
    return listed;
  }

  /** The period types of both lists, in the order of SurveySource.PERIOD_TYPES. */
  private static List<String> union(List<String> a, List<String> b) {
    return SurveySource.PERIOD_TYPES.stream().filter(t -> a.contains(t) || b.contains(t)).toList();
  }

  private static Column area(String level) {
    return struct(lit(level).as("level"), col(level + "_code").as("area_code"));
  }

  /** The rows summed per key, each sum keeping its column's name. */
  private static Dataset<Row> sumBy(Dataset<Row> rows, Column[] key, List<String> sums) {
    Column[] totals = sums.stream().map(c -> sum(c).as(c)).toArray(Column[]::new);
    return rows.groupBy(key).agg(totals[0], java.util.Arrays.copyOfRange(totals, 1, totals.length));
  }

  private static Column[] names(String[] columns) {
    Column[] out = new Column[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = col(columns[i]);
    }
    return out;
  }

  private static Column[] withStratum(String[] cellKey, String... extra) {
    List<Column> out = new ArrayList<>(List.of(names(cellKey)));
    out.add(col("_stratum"));
    for (String e : extra) {
      out.add(col(e));
    }
    return out.toArray(new Column[0]);
  }
}
