package org.beacon.grading;

import org.beacon.indicators.IndicatorTables;

import org.beacon.crime.CrimeTables;

import org.beacon.workforce.WorkforceTables;

import org.beacon.survey.SurveyTables;

import org.beacon.generate.GeneratorSettings;

import static org.apache.spark.sql.functions.*;

import com.univocity.parsers.common.record.Record;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.beacon.stats.Mover;

/**
 * Regenerates the figures of the seed report (reference/published-figures.csv) from the marts and puts
 * them beside the published ones. How each figure is computed, and how each published judgement reads in
 * Beacon's terms, is declared in reference/report-figures.csv: a value matches within 0.1 (percent or
 * points; counts exactly), a judgement when its direction is the same.
 */
public final class ReportVerification {
  public static final double TOLERANCE = 0.1;

  /** One figure: what was published, what Beacon computes, and whether they agree. */
  public record Line(String figureId, String measure, String period, String published, String computed,
      String publishedJudgement, String computedJudgement, String status) {
    public boolean isMismatch() {
      return status.startsWith("MISMATCH");
    }

    public boolean isChecked() {
      return status.equals("match") || isMismatch();
    }

    public List<Object> values() {
      return List.of(figureId, period, published, computed, publishedJudgement, computedJudgement, status);
    }
  }

  public static final List<String> COLUMNS = List.of("figure_id", "period", "published", "computed", "published_judgement",
      "computed_judgement", "status");

  /** A computed value and, where the figure has one, the judgement: Beacon's canonical direction and its statement. */
  private record Computed(double value, String direction, String statement) {}

  private final SparkSession spark;
  private final Settings settings;
  private final String home;
  private final Map<String, Row> estimates = new HashMap<>();
  private final Map<String, Row> comparisons = new HashMap<>();
  private final Map<String, Row> gaps = new HashMap<>();
  private final Map<String, Row> areaGrades = new HashMap<>();
  private final Map<String, Row> judgements = new HashMap<>();

  private ReportVerification(SparkSession spark, Settings settings) {
    this.spark = spark;
    this.settings = settings;
    this.home = GeneratorSettings.of(settings).homeForce();
  }

  public static List<Line> verify(SparkSession spark, Settings settings) {
    for (TableName t : List.of(IndicatorTables.GOLD_SURVEY_ESTIMATES, GradingTables.GOLD_INDICATOR_COMPARISONS, GradingTables.GOLD_INDICATOR_GAPS,
        GradingTables.GOLD_INDICATOR_GRADES, WorkforceTables.SILVER_WORKFORCE, SurveyTables.SILVER_GEOGRAPHY, CrimeTables.GOLD_CRIME_FINANCIAL_YEARS,
        SurveyTables.SILVER_OCU_POPULATION, WorkforceTables.SILVER_CONTINGENCY_FUND)) {
      if (!Tables.exists(settings, t)) {
        throw new BeaconException(t + " does not exist yet: run jobs/beacon run first.");
      }
    }
    return new ReportVerification(spark, settings).lines();
  }

  private List<Line> lines() {
    load();
    Map<String, Record> specs = new LinkedHashMap<>();
    readResource("reference/report-figures.csv").forEach(r -> specs.put(r.getString("figure_id"), r));
    List<Line> out = new ArrayList<>();
    for (Record f : readResource("reference/published-figures.csv")) {
      String id = f.getString("figure_id");
      Record spec = specs.get(id);
      String published = nz(f.getString("value"));
      String judgement = nz(f.getString("published_judgement"));
      if (spec == null) {
        out.add(new Line(id, f.getString("measure"), nz(f.getString("period")), published, "", judgement, "",
            "MISMATCH: reference/report-figures.csv does not say how to compute this figure"));
        continue;
      }
      String check = spec.getString("check");
      if (check.equals("pending") || check.equals("method") || check.equals("inconsistent")) {
        out.add(new Line(id, f.getString("measure"), nz(f.getString("period")), published, "", judgement, "",
            "not checked: " + nz(spec.getString("note"))));
        continue;
      }
      out.add(compare(id, f, spec, published, judgement));
    }
    Judgements.published().forEach(j -> out.add(judgement(j)));
    return out;
  }

  /**
   * A published summary judgement beside the judgement the inspection team recorded and Beacon's outcome assessment
   * from SPI evidence. The recorded judgement is what is checked; the outcome assessment is the starting point HMIC
   * moderates with the inspection's evidence, so where it differs the line says so and gives the team's rationale.
   */
  private Line judgement(Record j) {
    String id = j.getString("judgement_id");
    String period = j.getString("period");
    String published = j.getString("published_judgement");
    String area = Judgements.PUBLISHED_AREAS.get(j.getString("area"));
    Row a = area == null ? null : judgements.get(area + "|" + period);
    String measure = j.getString("area") + " summary judgement";
    if (a == null || a.getAs("outcome_assessment") == null) {
      return new Line(id, measure, period, "", "", published, "", "MISMATCH: gold.area_judgements has no outcome assessment for "
          + j.getString("area") + " in " + period);
    }
    String assessment = a.getAs("outcome_assessment");
    String recorded = a.getAs("moderated_judgement");
    String publishedGrade = published.toLowerCase(java.util.Locale.ROOT).split(" ")[0];
    String computed = "outcome assessment from SPI evidence: " + assessment + (recorded == null ? "; no moderated judgement recorded"
        : "; moderated judgement recorded: " + recorded + (recorded.equals(assessment) ? ""
            : " (moderated from the outcome assessment: " + a.getAs("judgement_rationale") + ")"));
    String status = recorded == null
        ? (assessment.equals(publishedGrade) ? "match" : "not checked: no moderated judgement recorded (landing/" + Judgements.FILE
            + "); the outcome assessment from SPI evidence is only the starting point of the published judgement")
        : recorded.equals(publishedGrade) ? "match" : "MISMATCH: the recorded judgement is not the published one";
    return new Line(id, measure, period, "", "", published, computed, status);
  }

  private Line compare(String id, Record f, Record spec, String published, String judgement) {
    String measure = f.getString("measure");
    String period = nz(f.getString("period"));
    Computed c;
    try {
      c = compute(spec);
    } catch (IllegalStateException e) {
      return new Line(id, measure, period, published, "", judgement, "", "MISMATCH: " + e.getMessage());
    }
    String computedText = spec.getString("check").equals("area_summary") ? "" : format(c.value());
    List<String> problems = new ArrayList<>();
    if (!published.isEmpty() && Math.abs(Double.parseDouble(published) - c.value()) > TOLERANCE) {
      problems.add("value differs by more than " + TOLERANCE);
    }
    String expected = nz(spec.getString("expected"));
    if (expected.isEmpty()) {
      // Without a reading of the published judgement, its words must be Beacon's own.
      if (!judgement.isEmpty() && !judgement.equals(c.statement())) {
        problems.add("judgement differs");
      }
    } else if (!expected.equals(c.direction())) {
      problems.add("judgement differs: published reads as '" + expected + "', computed '" + c.direction() + "'");
    }
    return new Line(id, measure, period, published, computedText, judgement, nz(c.statement()),
        problems.isEmpty() ? "match" : "MISMATCH: " + String.join("; ", problems));
  }

  private Computed compute(Record spec) {
    String subject = nz(spec.getString("subject"));
    String period = nz(spec.getString("period"));
    String comparator = nz(spec.getString("comparator"));
    String subgroup = nz(spec.getString("subgroup"));
    return switch (spec.getString("check")) {
      case "estimate" -> new Computed(100 * estimate(subject, subgroup, period).<Double>getAs("estimate"), null, null);
      case "msf" -> comparison(subject, "msf_average", period);
      case "change" -> {
        Computed c = comparison(subject, "two_years_earlier", period);
        String comparedWith = comparisons.get(subject + "|two_years_earlier|" + period).getAs("comparator");
        if (!comparedWith.equals(comparator)) {
          throw new IllegalStateException("two years before " + period + " is " + comparedWith + ", not " + comparator);
        }
        yield c;
      }
      case "subgroup_change" -> change(side(estimate(subject, subgroup, period)), side(estimate(subject, subgroup, comparator)),
          comparator);
      case "pooled_change" -> change(pooled(subject, subgroup.split("\\+"), period), pooled(subject, subgroup.split("\\+"), comparator),
          comparator);
      case "gap" -> {
        Row g = gaps.get(subject + "|" + period);
        if (g == null) {
          throw new IllegalStateException("gold.indicator_gaps has no " + subject + " for " + period);
        }
        boolean significant = g.getAs("is_significant_95");
        double gap = g.getAs("gap");
        yield new Computed(gap, !significant ? "no gap" : gap < 0 ? "group lower" : "versus lower", g.getAs("statement"));
      }
      case "area_summary" -> {
        Row a = areaGrades.get(subject + "|" + period);
        if (a == null) {
          throw new IllegalStateException("gold.indicator_grades has no roll-up for " + subject + " in " + period);
        }
        yield new Computed(Double.NaN, null, a.getAs("reason"));
      }
      case "workforce_sum" -> new Computed(workforce(period).agg(sum(subject)).first().getLong(0), null, null);
      case "workforce_share_min" -> new Computed(workforce(period).agg(min("np_share_pct")).first().getDouble(0), null, null);
      case "workforce_share_max" -> new Computed(workforce(period).agg(max("np_share_pct")).first().getDouble(0), null, null);
      case "workforce_share_force" -> {
        Row r = workforce(period).agg(sum("np_officers"), sum("officers")).first();
        yield new Computed(100.0 * r.getLong(0) / r.getLong(1), null, null);
      }
      case "crime_change" -> {
        Row r = crimeYear(subject, subgroup, period);
        if (!comparator.equals(previousYear(period))) {
          throw new IllegalStateException("the change in gold.crime_financial_years is against " + previousYear(period) + ", not "
              + comparator);
        }
        if (r.isNullAt(r.fieldIndex("change_pct"))) {
          throw new IllegalStateException("gold.crime_financial_years has no " + comparator + " to compare " + period + " with");
        }
        yield new Computed(r.<Double>getAs("change_pct"), null, r.<Long>getAs("fewer_victims") + " fewer victims");
      }
      case "crime_monthly_average" -> {
        long records = 0;
        long months = 0;
        for (String year : period.split("\\+")) {
          Row r = crimeYear(subject, "", year);
          records += r.<Long>getAs("records");
          months += r.<Long>getAs("months");
        }
        yield new Computed((double) records / months, null, null);
      }
      case "sanction_rate" -> new Computed(crimeYear(subject, "", period).<Double>getAs("sanction_detection_rate_pct"), null, null);
      case "fund" -> {
        Row total = Tables.read(spark, settings, WorkforceTables.SILVER_CONTINGENCY_FUND)
            .filter(col("force_code").equalTo(home).and(col("category").equalTo(subject)).and(col("financial_year").equalTo(period)))
            .agg(sum("amount_gbp")).first();
        if (total.isNullAt(0)) {
          throw new IllegalStateException("silver.workforce__contingency_fund has no " + subject + " for " + period);
        }
        yield new Computed(total.getDouble(0), null, null);
      }
      case "population" -> new Computed(Tables.read(spark, settings, SurveyTables.SILVER_OCU_POPULATION)
          .filter(col("force_code").equalTo(home)).agg(sum("population_all_ages")).first().getLong(0), null, null);
      case "geography_count" -> new Computed(Tables.read(spark, settings, SurveyTables.SILVER_GEOGRAPHY)
          .filter(col("force_code").equalTo(home)).select(subject).distinct().count(), null, null);
      case "panel_members" -> new Computed(Tables.read(spark, settings, SurveyTables.silver(org.beacon.indicators.ModelSources.of(settings).panel()))
          .filter(col("financial_year").equalTo(period).and(col("quarter").equalTo(1))).select("panel_member_key").distinct()
          .count(), null, null);
      default -> throw new IllegalStateException("reference/report-figures.csv names an unknown check '"
          + spec.getString("check") + "'");
    };
  }

  private Row crimeYear(String group, String ocu, String period) {
    List<Row> rows = Tables.read(spark, settings, CrimeTables.GOLD_CRIME_FINANCIAL_YEARS)
        .filter(col("group_id").equalTo(group).and(col("financial_year").equalTo(period))
            .and(ocu.isEmpty() ? col("level").equalTo("force").and(col("area_code").equalTo(home))
                : col("level").equalTo("ocu").and(col("area_code").equalTo(ocu)).and(col("force_code").equalTo(home))))
        .collectAsList();
    if (rows.size() != 1) {
      throw new IllegalStateException("gold.crime_financial_years has no " + group + " for " + (ocu.isEmpty() ? home : ocu)
          + " in " + period);
    }
    return rows.get(0);
  }

  private static String previousYear(String period) {
    int start = Integer.parseInt(period.substring(0, 4)) - 1;
    return org.beacon.runtime.FinancialYear.label(start);
  }

  private Dataset<Row> workforce(String period) {
    return Tables.read(spark, settings, WorkforceTables.SILVER_WORKFORCE)
        .filter(col("force_code").equalTo(home).and(col("financial_year").equalTo(period)));
  }

  private Row estimate(String indicator, String subgroup, String period) {
    String key = indicator + "|" + (subgroup.isEmpty() ? "all=all" : subgroup) + "|" + period;
    Row r = estimates.get(key);
    if (r == null || r.<Boolean>getAs("is_suppressed")) {
      throw new IllegalStateException("gold.survey_estimates has no published " + key + " for " + home);
    }
    return r;
  }

  private Computed comparison(String indicator, String comparison, String period) {
    Row r = comparisons.get(indicator + "|" + comparison + "|" + period);
    if (r == null) {
      throw new IllegalStateException("gold.indicator_comparisons has no " + comparison + " for " + indicator + " in " + period);
    }
    return new Computed(r.getAs("difference"), r.getAs("direction"), r.getAs("statement"));
  }

  /** {estimate, lower, upper} in percent at 95%. */
  private static double[] side(Row r) {
    return new double[] {100 * r.<Double>getAs("estimate"), 100 * r.<Double>getAs("lower_95"), 100 * r.<Double>getAs("upper_95")};
  }

  /** OCUs pooled: they are strata of the force's design, so the pooled value weights each by its weighted base. */
  private double[] pooled(String indicator, String[] ocus, String period) {
    Dataset<Row> rows = Tables.read(spark, settings, IndicatorTables.GOLD_SURVEY_ESTIMATES)
        .filter(col("indicator_id").equalTo(indicator).and(col("level").equalTo("ocu")).and(col("area_code").isin((Object[]) ocus))
            .and(col("period_type").equalTo("financial_year")).and(col("period").equalTo(period))
            .and(col("subgroup_type").equalTo("all")).and(not(col("is_suppressed"))));
    List<Row> list = rows.collectAsList();
    if (list.size() != ocus.length) {
      throw new IllegalStateException("gold.survey_estimates has " + list.size() + " of the " + ocus.length + " OCUs for " + period);
    }
    double total = list.stream().mapToDouble(r -> r.<Double>getAs("weighted_n")).sum();
    double[] c = new double[list.size()];
    double[][] s = new double[3][list.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = list.get(i).<Double>getAs("weighted_n") / total;
      double[] side = side(list.get(i));
      for (int k = 0; k < 3; k++) {
        s[k][i] = side[k];
      }
    }
    return Mover.linear(c, s[0], s[1], s[2]);
  }

  private static Computed change(double[] now, double[] before, String comparator) {
    double[] d = Mover.difference(now[0], now[1], now[2], before[0], before[1], before[2]);
    boolean significant = d[1] > 0 || d[2] < 0;
    String direction = !significant ? "unchanged" : d[0] > 0 ? "improved" : "deteriorated";
    return new Computed(d[0], direction, significant ? "significantly " + direction + " compared with " + comparator
        : "unchanged compared with " + comparator);
  }

  private void load() {
    Dataset<Row> e = Tables.read(spark, settings, IndicatorTables.GOLD_SURVEY_ESTIMATES)
        .filter(col("level").equalTo("force").and(col("area_code").equalTo(home)).and(col("period_type").equalTo("financial_year")));
    for (Row r : e.collectAsList()) {
      estimates.put(r.getAs("indicator_id") + "|" + r.getAs("subgroup_type") + "=" + r.getAs("subgroup") + "|" + r.getAs("period"), r);
    }
    Dataset<Row> c = Tables.read(spark, settings, GradingTables.GOLD_INDICATOR_COMPARISONS)
        .filter(col("level").equalTo("force").and(col("area_code").equalTo(home)));
    for (Row r : c.collectAsList()) {
      comparisons.put(r.getAs("indicator_id") + "|" + r.getAs("comparison") + "|" + r.getAs("period"), r);
    }
    Dataset<Row> g = Tables.read(spark, settings, GradingTables.GOLD_INDICATOR_GAPS)
        .filter(col("level").equalTo("force").and(col("area_code").equalTo(home)));
    for (Row r : g.collectAsList()) {
      gaps.put(r.getAs("gap_id") + "|" + r.getAs("period"), r);
    }
    Dataset<Row> a = Tables.read(spark, settings, GradingTables.GOLD_INDICATOR_GRADES)
        .filter(col("grade_level").equalTo(Grades.OUTCOME_ASSESSMENT).and(col("force_code").equalTo(home)));
    for (Row r : a.collectAsList()) {
      areaGrades.put(r.getAs("inspection_area") + "|" + r.getAs("period"), r);
    }
    if (Tables.exists(settings, GradingTables.GOLD_AREA_JUDGEMENTS)) {
      for (Row r : Tables.read(spark, settings, GradingTables.GOLD_AREA_JUDGEMENTS).filter(col("force_code").equalTo(home))
          .collectAsList()) {
        judgements.put(r.getAs("inspection_area") + "|" + r.getAs("period"), r);
      }
    }
  }

  static List<Record> readResource(String name) {
    CsvParserSettings parser = new CsvParserSettings();
    parser.setHeaderExtractionEnabled(true);
    try (InputStream in = ReportVerification.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new BeaconException("The resource " + name + " is missing from the build.");
      }
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        return new CsvParser(parser).parseAllRecords(reader);
      }
    } catch (IOException e) {
      throw new BeaconException("Cannot read the resource " + name + ": " + e.getMessage() + ".", e);
    }
  }

  private static String format(double v) {
    return v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.2f", v);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
