package org.beacon.grading;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.beacon.indicators.Indicator;
import org.beacon.runtime.Columns;
import org.beacon.stats.DifferenceTest;
import org.beacon.stats.Mover;
import org.beacon.stats.Levels;
import org.beacon.stats.Wilson;

/**
 * Comparisons as HMIC's Appendix 3 makes them: each force against the average of its most similar forces
 * (MSF) and against one and two years earlier; each OCU against its force, against one and two years
 * earlier and against every other OCU of its force. A difference is significant when its interval excludes
 * zero; intervals are built from the two sides' own intervals (Wilson on design-effective n for
 * proportions, t for means) by MOVER ({@link Mover}), which is Newcombe's method 10 for two estimates and
 * takes account of both the force's and the MSF average's uncertainty. An OCU is one stratum of its
 * force's estimate, so that comparison removes the covariance instead:
 * Var(d) = (1 − 2W) Var(OCU) + Var(force), W the OCU's share of the force's weighted base.
 */
public final class Comparisons {
  static final String[] SIDE = {"value", "se", "lower_95", "upper_95", "lower_998", "upper_998"};

  private static final UserDefinedFunction MSF_AVERAGE = udf((UDF2<scala.collection.Seq<Row>, String, double[]>) (peers, method) -> {
    List<Row> list = scala.collection.JavaConverters.seqAsJavaList(peers);
    int m = list.size();
    double[] c = new double[m];
    double total = list.stream().mapToDouble(r -> method.equals("pooled") ? r.getDouble(6) : 1.0).sum();
    double variance = 0;
    double[][] cols = new double[6][m];
    for (int i = 0; i < m; i++) {
      c[i] = (method.equals("pooled") ? list.get(i).getDouble(6) : 1.0) / total;
      for (int k = 0; k < 6; k++) {
        cols[k][i] = list.get(i).getDouble(k);
      }
      variance += c[i] * c[i] * cols[1][i] * cols[1][i];
    }
    double[] at95 = Mover.linear(c, cols[0], cols[2], cols[3]);
    double[] at998 = Mover.linear(c, cols[0], cols[4], cols[5]);
    return new double[] {at95[0], Math.sqrt(variance), at95[1], at95[2], at998[1], at998[2]};
  }, DataTypes.createArrayType(DataTypes.DoubleType));

  /** {θ1 − θ2, lower, upper} of two estimates from their limits (Mover.difference), shared with the gaps. */
  static final UserDefinedFunction MOVER_DIFFERENCE = udf(
      (UDF6<Double, Double, Double, Double, Double, Double, double[]>) (v, l, u, c, cl, cu) ->
          Mover.difference(v, l, u, c, cl, cu), DataTypes.createArrayType(DataTypes.DoubleType));

  /**
   * Up, down or level for a change signed by polarity. Two equal estimates (60 of 120 and 30 of 60 are both 50%) are
   * equal only to the rounding of the sums they come from, whose order Spark does not fix: a change within 1e-9 of a
   * percentage or score point is no movement, where a comparison of the raw doubles read it as up or down by chance.
   */
  static Column movement(Column signedChange) {
    return when(signedChange.gt(1e-9), lit("up")).when(signedChange.lt(-1e-9), lit("down")).otherwise(lit("level"));
  }

  private static final UserDefinedFunction Z_FROM_INTERVALS = udf((UDF3<Double, Double, Double, Double>) (d, h95, h998) ->
      d == null || h95 == null || h998 == null ? null : DifferenceTest.zFromIntervals(d, h95, h998), DataTypes.DoubleType);

  private static final UserDefinedFunction P_VALUE = udf((UDF1<Double, Double>) z -> z == null ? null : DifferenceTest.pValue(z),
      DataTypes.DoubleType);

  private Comparisons() {}

  /**
   * Published whole-population estimates of forces and OCUs by financial year, each with its force, the
   * indicator's polarity (+1 higher is better, −1 lower) and unit: proportions in percent, means as scores.
   */
  public static Dataset<Row> annualEstimates(Dataset<Row> estimates, Dataset<Row> geography, List<Indicator> indicators) {
    Columns.require(estimates, "Comparisons.annualEstimates", List.of("indicator_id", "source", "level", "area_code",
        "period_type", "period", "subgroup_type", "estimate", "se", "deff", "lower_95", "upper_95", "lower_998",
        "upper_998", "weighted_n", "n_eff", "is_suppressed"));
    Columns.require(geography, "Comparisons.annualEstimates (geography)", List.of("force_code", "ocu_code"));
    Dataset<Row> forces = geography.select(col("ocu_code").as("_ocu"), col("force_code").as("_force")).distinct();
    Dataset<Row> annual = estimates.filter(col("subgroup_type").equalTo("all").and(col("period_type").equalTo("financial_year"))
        .and(col("level").isin("force", "ocu")).and(not(col("is_suppressed"))));
    return withIndicatorScale(annual.join(forces, col("area_code").equalTo(col("_ocu")).and(col("level").equalTo("ocu")), "left")
        .withColumn("force_code", when(col("level").equalTo("force"), col("area_code")).otherwise(col("_force")))
        .withColumn("start_year", substring(col("period"), 1, 4).cast("int")), indicators)
        .select("indicator_id", "source", "level", "area_code", "force_code", "period", "start_year", "value", "se", "lower_95",
            "upper_95", "lower_998", "upper_998", "weighted_n", "n_eff", "polarity_sign", "unit");
  }

  /**
   * Adds polarity_sign and unit, and puts estimate, se and limits on the unit's scale (value, se, ...). The se is
   * the one on the design-effective n: n_eff is truncated at n (SurveyEstimates), so where the design effect is below
   * 1 the Taylor se is raised to the simple-random-sampling se, se / sqrt(deff), and z, p and the normal intervals
   * built from it agree with the Wilson intervals on n_eff.
   */
  static Dataset<Row> withIndicatorScale(Dataset<Row> estimates, List<Indicator> indicators) {
    Columns.require(estimates, "Comparisons.withIndicatorScale", List.of("indicator_id", "estimate", "se", "deff", "lower_95",
        "upper_95", "lower_998", "upper_998"));
    Object[] lower = indicators.stream().filter(i -> i.polarity() == Indicator.Polarity.LOWER_IS_BETTER).map(Indicator::id).toArray();
    Object[] means = indicators.stream().filter(i -> i.estimand() == Indicator.Estimand.MEAN).map(Indicator::id).toArray();
    Column isMean = col("indicator_id").isin(means);
    Column scale = when(isMean, lit(1.0)).otherwise(lit(100.0));
    return estimates.withColumn("polarity_sign", when(col("indicator_id").isin(lower), lit(-1)).otherwise(lit(1)))
        .withColumn("unit", when(isMean, lit("score")).otherwise(lit("percent")))
        .withColumn("value", col("estimate").multiply(scale))
        .withColumn("se", when(col("deff").gt(0).and(col("deff").lt(1)), col("se").divide(sqrt(col("deff"))))
            .otherwise(col("se")).multiply(scale))
        .withColumn("lower_95", col("lower_95").multiply(scale))
        .withColumn("upper_95", col("upper_95").multiply(scale))
        .withColumn("lower_998", col("lower_998").multiply(scale))
        .withColumn("upper_998", col("upper_998").multiply(scale));
  }

  /** Every comparison of every force and OCU, with the difference, its intervals, significance and direction. */
  public static Dataset<Row> compare(Dataset<Row> annual, Dataset<Row> msfGroups, String msfAverage) {
    Columns.require(annual, "Comparisons.compare", List.of("indicator_id", "level", "area_code", "force_code", "period",
        "start_year", "value", "se", "lower_95", "upper_95", "lower_998", "upper_998", "weighted_n", "n_eff", "polarity_sign"));
    Columns.require(msfGroups, "Comparisons.compare (MSF groups)", List.of("force_code", "msf_force_code"));
    Dataset<Row> pairs = earlier(annual, 1).unionByName(earlier(annual, 2))
        .unionByName(msf(annual, msfGroups, msfAverage))
        .unionByName(ocuAgainstForce(annual))
        .unionByName(ocuAgainstOcu(annual));
    return withDifference(pairs);
  }

  private static Dataset<Row> side(Dataset<Row> annual, String prefix) {
    List<Column> cols = new ArrayList<>();
    for (String c : List.of("indicator_id", "level", "area_code", "force_code", "period", "start_year", "weighted_n", "n_eff")) {
      cols.add(col(c).as(prefix + c));
    }
    for (String c : SIDE) {
      cols.add(col(c).as(prefix + c));
    }
    return annual.select(cols.toArray(new Column[0]));
  }

  /** The comparator's columns as the pairs carry them. */
  private static List<Column> comparatorColumns(String prefix) {
    List<Column> cols = new ArrayList<>();
    for (String c : SIDE) {
      cols.add(col(prefix + c).as("comparator_" + c));
    }
    return cols;
  }

  private static Dataset<Row> pairs(Dataset<Row> joined, Column comparison, Column comparator, Column comparatorPeriod,
      Column areas, Column share, List<Column> comparatorSide) {
    List<Column> cols = new ArrayList<>();
    for (String c : List.of("indicator_id", "level", "area_code", "force_code", "period", "polarity_sign", "unit", "source")) {
      cols.add(col(c));
    }
    for (String c : SIDE) {
      cols.add(col(c));
    }
    cols.addAll(List.of(comparison.as("comparison"), comparator.as("comparator"), comparatorPeriod.as("comparator_period"),
        areas.cast("int").as("comparator_areas"), share.cast("double").as("_share")));
    cols.addAll(comparatorSide);
    return joined.select(cols.toArray(new Column[0]));
  }

  static Dataset<Row> earlier(Dataset<Row> annual, int years) {
    Dataset<Row> before = side(annual, "b_");
    Dataset<Row> joined = annual.join(before, col("indicator_id").equalTo(col("b_indicator_id"))
        .and(col("level").equalTo(col("b_level"))).and(col("area_code").equalTo(col("b_area_code")))
        .and(col("b_start_year").equalTo(col("start_year").minus(years))));
    return pairs(joined, lit(years == 1 ? "one_year_earlier" : "two_years_earlier"), col("b_period"), col("b_period"), lit(1),
        lit(null), comparatorColumns("b_"));
  }

  static Dataset<Row> msf(Dataset<Row> annual, Dataset<Row> msfGroups, String method) {
    Dataset<Row> forces = annual.filter(col("level").equalTo("force"));
    Dataset<Row> expected = msfGroups.groupBy(col("force_code").as("_g_force")).agg(count(lit(1)).as("_expected"));
    Dataset<Row> peers = side(forces, "p_").join(msfGroups.select(col("force_code").as("_home"), col("msf_force_code")),
            col("p_area_code").equalTo(col("msf_force_code")))
        .groupBy(col("_home"), col("p_indicator_id"), col("p_period"))
        .agg(collect_list(struct(col("p_value"), col("p_se"), col("p_lower_95"), col("p_upper_95"), col("p_lower_998"),
            col("p_upper_998"), col("p_n_eff"))).as("_peers"), count(lit(1)).as("_found"))
        .withColumn("_msf", MSF_AVERAGE.apply(col("_peers"), lit(method)));
    Dataset<Row> joined = forces.join(peers, col("force_code").equalTo(col("_home"))
            .and(col("indicator_id").equalTo(col("p_indicator_id"))).and(col("period").equalTo(col("p_period"))))
        .join(expected, col("force_code").equalTo(col("_g_force")));
    List<Column> side = new ArrayList<>();
    for (int k = 0; k < SIDE.length; k++) {
      side.add(col("_msf").getItem(k).as("comparator_" + SIDE[k]));
    }
    Column label = concat(lit("MSF average (" + (method.equals("pooled") ? "pooled, " : "")), col("_found").cast("string"),
        lit(" of "), col("_expected").cast("string"), lit(" forces)"));
    return pairs(joined, lit("msf_average"), label, col("period"), col("_found"), lit(null), side);
  }

  static Dataset<Row> ocuAgainstForce(Dataset<Row> annual) {
    Dataset<Row> force = side(annual.filter(col("level").equalTo("force")), "f_");
    Dataset<Row> joined = annual.filter(col("level").equalTo("ocu")).join(force, col("indicator_id").equalTo(col("f_indicator_id"))
        .and(col("force_code").equalTo(col("f_area_code"))).and(col("period").equalTo(col("f_period"))));
    return pairs(joined, lit("force"), col("f_area_code"), col("period"), lit(1), col("weighted_n").divide(col("f_weighted_n")),
        comparatorColumns("f_"));
  }

  static Dataset<Row> ocuAgainstOcu(Dataset<Row> annual) {
    Dataset<Row> ocus = annual.filter(col("level").equalTo("ocu"));
    Dataset<Row> joined = ocus.join(side(ocus, "o_"), col("indicator_id").equalTo(col("o_indicator_id"))
        .and(col("force_code").equalTo(col("o_force_code"))).and(col("period").equalTo(col("o_period")))
        .and(col("area_code").notEqual(col("o_area_code"))));
    return pairs(joined, lit("ocu"), col("o_area_code"), col("period"), lit(1), lit(null), comparatorColumns("o_"));
  }

  /** Difference, its 95% and 99.8% intervals, z and p, significance, direction and a plain statement. */
  static Dataset<Row> withDifference(Dataset<Row> pairs) {
    Column d = col("value").minus(col("comparator_value"));
    Column isStratum = col("comparison").equalTo("force");
    Column variance = when(isStratum, lit(1.0).minus(lit(2.0).multiply(col("_share"))).multiply(col("se")).multiply(col("se"))
        .plus(col("comparator_se").multiply(col("comparator_se"))))
        .otherwise(col("se").multiply(col("se")).plus(col("comparator_se").multiply(col("comparator_se"))));
    Dataset<Row> out = pairs.withColumn("difference", d).withColumn("_sd", sqrt(greatest(variance, lit(0.0))));
    for (Map.Entry<String, Double> l : Levels.BY_SUFFIX.entrySet()) {
      String s = l.getKey();
      double level = l.getValue();
      Column mover = MOVER_DIFFERENCE.apply(col("value"), col("lower_" + s), col("upper_" + s), col("comparator_value"),
          col("comparator_lower_" + s), col("comparator_upper_" + s));
      Column half = col("_sd").multiply(lit(Wilson.z(level)));
      out = out.withColumn("_m", mover)
          .withColumn("difference_lower_" + s, when(isStratum, col("difference").minus(half)).otherwise(col("_m").getItem(1)))
          .withColumn("difference_upper_" + s, when(isStratum, col("difference").plus(half)).otherwise(col("_m").getItem(2)))
          .withColumn("is_significant_" + s, col("difference_lower_" + s).gt(0).or(col("difference_upper_" + s).lt(0)));
    }
    // One rule for p and the flags: z is read from the difference's own intervals (DifferenceTest.zFromIntervals).
    Column positive = col("difference").geq(0);
    Column z = Z_FROM_INTERVALS.apply(col("difference"),
        when(positive, col("difference").minus(col("difference_lower_95"))).otherwise(col("difference_upper_95").minus(col("difference"))),
        when(positive, col("difference").minus(col("difference_lower_998"))).otherwise(col("difference_upper_998").minus(col("difference"))));
    Column signed = col("difference").multiply(col("polarity_sign"));
    Column isYears = col("comparison").isin("one_year_earlier", "two_years_earlier");
    Column sig = col("is_significant_95");
    Column direction = when(isYears, when(not(sig), lit("unchanged")).when(signed.gt(0), lit("improved")).otherwise(lit("deteriorated")))
        .otherwise(when(not(sig), lit("same")).when(signed.gt(0), lit("better")).otherwise(lit("worse")));
    Column against = when(col("comparison").equalTo("msf_average"), lit("the MSF average"))
        .when(col("comparison").equalTo("force"), lit("the force"))
        .otherwise(concat(lit("OCU "), col("comparator")));
    Column statement = when(isYears, when(col("direction").equalTo("unchanged"), concat(lit("unchanged compared with "), col("comparator")))
            .otherwise(concat(lit("significantly "), col("direction"), lit(" compared with "), col("comparator"))))
        .otherwise(when(col("direction").equalTo("same"), concat(lit("not significantly different to "), against))
            .otherwise(concat(lit("significantly "), col("direction"), lit(" than "), against)));
    Column method = when(isStratum, lit("OCU within its force: normal interval with Var(d) = (1 - 2W) Var(OCU) + Var(force)"))
        .when(col("comparison").equalTo("msf_average"), lit("MOVER (Zou and Donner 2008) on the force's and the MSF average's "
            + "intervals; the MSF average's interval by MOVER over the peers' intervals"))
        .otherwise(lit("MOVER (Newcombe 1998, method 10 for proportions) on the two estimates' intervals"));
    return out.withColumn("z", z)
        .withColumn("p_value", P_VALUE.apply(col("z")))
        .withColumn("direction", direction)
        .withColumn("movement", movement(signed))
        .withColumn("statement", statement)
        .withColumn("method", method)
        .drop("_m", "_sd", "_share");
  }
}
