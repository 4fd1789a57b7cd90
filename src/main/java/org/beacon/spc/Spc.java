package org.beacon.spc;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.crime.CrimeSettings;
import org.beacon.runtime.Columns;
import org.beacon.stats.ControlChart;

/**
 * Control-chart points for every series: monthly crime and ASB counts per force and OCU (individuals and c
 * charts) and quarterly survey measures per force and OCU (p charts, or Laney p′ for large denominators,
 * on design-effective counts so weighting carries through).
 */
public final class Spc {
  private static final StructType POINTS = new StructType()
      .add("series", DataTypes.StringType).add("level", DataTypes.StringType).add("area_code", DataTypes.StringType)
      .add("chart", DataTypes.StringType).add("period", DataTypes.StringType).add("point_index", DataTypes.IntegerType)
      .add("events", DataTypes.DoubleType).add("denominator", DataTypes.DoubleType).add("value", DataTypes.DoubleType)
      .add("centre_line", DataTypes.DoubleType).add("lower_limit", DataTypes.DoubleType).add("upper_limit", DataTypes.DoubleType)
      .add("is_signal", DataTypes.BooleanType).add("rules_broken", DataTypes.StringType).add("rule_set", DataTypes.StringType)
      .add("baseline_points", DataTypes.IntegerType);

  private Spc() {}

  /** Monthly counts per force and OCU: each configured crime group, and ASB. */
  public static Dataset<Row> crimeSeries(Dataset<Row> crimeMonthly, List<CrimeSettings.Group> groups) {
    Columns.require(crimeMonthly, "Spc.crimeSeries", List.of("level", "area_code", "month", "crime_type", "is_asb", "records"));
    Dataset<Row> counts = crimeMonthly.filter(col("level").isin("force", "ocu"));
    Dataset<Row> out = counts.filter(col("is_asb")).groupBy(col("level"), col("area_code"), col("month").as("period"))
        .agg(sum("records").cast("double").as("events")).withColumn("series", lit("asb"));
    for (CrimeSettings.Group g : groups) {
      Column in = g.isAll() ? not(col("is_asb")) : col("crime_type").isin(g.types().toArray());
      out = out.unionByName(counts.filter(in).groupBy(col("level"), col("area_code"), col("month").as("period"))
          .agg(sum("records").cast("double").as("events")).withColumn("series", lit("crime:" + g.id())));
    }
    return out.withColumn("denominator", lit(null).cast("double")).withColumn("family", lit("count"));
  }

  /** Quarterly survey estimates per force and OCU as design-effective events of n_eff. */
  public static Dataset<Row> surveySeries(Dataset<Row> estimates, List<String> indicators) {
    Columns.require(estimates, "Spc.surveySeries", List.of("indicator_id", "level", "area_code", "period_type", "period",
        "subgroup_type", "estimate", "n_eff", "is_suppressed"));
    return estimates.filter(col("indicator_id").isin(indicators.toArray()).and(col("level").isin("force", "ocu"))
            .and(col("period_type").equalTo("quarter")).and(col("subgroup_type").equalTo("all")).and(not(col("is_suppressed"))))
        .select(concat(lit("survey:"), col("indicator_id")).as("series"), col("level"), col("area_code"), col("period"),
            col("estimate").multiply(col("n_eff")).as("events"), col("n_eff").as("denominator"), lit("proportion").as("family"));
  }

  public static Dataset<Row> points(Dataset<Row> series, SpcSettings settings) {
    Columns.require(series, "Spc.points", List.of("series", "level", "area_code", "period", "events", "denominator", "family"));
    ControlChart.Rules rules = settings.rules();
    int baseline = settings.baselinePoints();
    boolean screened = settings.screenMovingRanges();
    double laney = settings.laneyMinDenominator();
    String ruleSet = rules == ControlChart.Rules.ANHOEJ ? "anhoej" : "western-electric";
    return series.select("series", "level", "area_code", "period", "events", "denominator", "family")
        .groupByKey((MapFunction<Row, String>) r -> r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2), Encoders.STRING())
        .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, rows) -> {
          List<Row> list = new ArrayList<>();
          rows.forEachRemaining(list::add);
          list.sort(Comparator.comparing(r -> r.getString(3)));
          double[] events = list.stream().mapToDouble(r -> r.getDouble(4)).toArray();
          boolean counts = list.get(0).getString(6).equals("count");
          double[] denominators = counts ? null : list.stream().mapToDouble(r -> r.getDouble(5)).toArray();
          List<ControlChart.Type> charts = counts ? List.of(ControlChart.Type.I, ControlChart.Type.C)
              : List.of(java.util.Arrays.stream(denominators).average().orElse(0) >= laney ? ControlChart.Type.PP : ControlChart.Type.P);
          List<Row> out = new ArrayList<>();
          for (ControlChart.Type type : charts) {
            for (ControlChart.Point p : ControlChart.chart(type, events, denominators, baseline, rules, screened)) {
              Row r = list.get(p.index());
              out.add(RowFactory.create(r.getString(0), r.getString(1), r.getString(2), type.name().toLowerCase(), r.getString(3),
                  p.index() + 1, events[p.index()], counts ? null : denominators[p.index()], p.value(), p.centre(), p.lower(),
                  p.upper(), p.isSignal(), String.join("; ", p.rules()), ruleSet, baseline));
            }
          }
          return out.iterator();
        }, Encoders.row(POINTS));
  }
}
