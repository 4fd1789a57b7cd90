package org.beacon.grading;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.Columns;
import org.beacon.stats.Funnel;
import org.beacon.stats.Levels;

/**
 * Funnel plots for every proportion indicator and financial year: the OCUs of each force, and the forces
 * of England and Wales, against their design-effective sample sizes, with 95% and 99.8% limits around the
 * units' pooled value ({@link Funnel}). A point's events are estimate × n_eff, so weighting and design
 * effects carry into its position on the funnel.
 */
public final class Funnels {
  public static final String ALL_FORCES = "all forces";
  private static final StructType POINTS = new StructType()
      .add("indicator_id", DataTypes.StringType).add("period", DataTypes.StringType).add("level", DataTypes.StringType)
      .add("funnel_group", DataTypes.StringType).add("area_code", DataTypes.StringType)
      .add("events", DataTypes.DoubleType).add("denominator", DataTypes.DoubleType).add("value_pct", DataTypes.DoubleType)
      .add("target_pct", DataTypes.DoubleType).add("lower_95", DataTypes.DoubleType).add("upper_95", DataTypes.DoubleType)
      .add("lower_998", DataTypes.DoubleType).add("upper_998", DataTypes.DoubleType).add("z", DataTypes.DoubleType)
      .add("significance", DataTypes.StringType).add("overdispersion", DataTypes.StringType)
      .add("phi", DataTypes.DoubleType).add("tau2", DataTypes.DoubleType);

  private static final StructType LIMITS = new StructType()
      .add("indicator_id", DataTypes.StringType).add("period", DataTypes.StringType).add("level", DataTypes.StringType)
      .add("funnel_group", DataTypes.StringType).add("denominator", DataTypes.DoubleType).add("target_pct", DataTypes.DoubleType)
      .add("lower_95", DataTypes.DoubleType).add("upper_95", DataTypes.DoubleType).add("lower_998", DataTypes.DoubleType)
      .add("upper_998", DataTypes.DoubleType).add("overdispersion", DataTypes.StringType);

  private Funnels() {}

  /** Units to plot: OCUs grouped by force, forces grouped together; annual, whole population, published, proportions. */
  public static Dataset<Row> units(Dataset<Row> annual) {
    Columns.require(annual, "Funnels.units", List.of("indicator_id", "level", "area_code", "force_code", "period", "value",
        "n_eff", "unit"));
    return annual.filter(col("unit").equalTo("percent").and(col("n_eff").gt(0)))
        .select(col("indicator_id"), col("period"), col("level"),
            when(col("level").equalTo("ocu"), col("force_code")).otherwise(lit(ALL_FORCES)).as("funnel_group"), col("area_code"),
            col("value").divide(100).multiply(col("n_eff")).as("events"), col("n_eff").as("denominator"));
  }

  public static Dataset<Row> points(Dataset<Row> units, Funnel.Overdispersion method, double winsorTail) {
    return grouped(units).flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, rows) -> {
      List<Row> list = new ArrayList<>();
      rows.forEachRemaining(list::add);
      Funnel.Fit fit = fit(list, method, winsorTail);
      List<Row> out = new ArrayList<>();
      for (Row r : list) {
        double x = r.getDouble(5);
        double n = r.getDouble(6);
        double[] l95 = Funnel.limits(fit, n, Levels.P95);
        double[] l998 = Funnel.limits(fit, n, Levels.P998);
        double p0 = fit.target();
        double z = p0 > 0 && p0 < 1 ? (x / n - p0) / Math.sqrt(p0 * (1 - p0) / n) : 0;
        out.add(RowFactory.create(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4), x, n,
            100 * x / n, 100 * p0, 100 * l95[0], 100 * l95[1], 100 * l998[0], 100 * l998[1], z, Funnel.significance(fit, x, n),
            method.name().toLowerCase(), fit.phi(), fit.tau2()));
      }
      return out.iterator();
    }, Encoders.row(POINTS));
  }

  /** The limits drawn at {@code points} denominators spread evenly on a log scale over the units' range. */
  public static Dataset<Row> limits(Dataset<Row> units, Funnel.Overdispersion method, double winsorTail, int points) {
    return grouped(units).flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, rows) -> {
      List<Row> list = new ArrayList<>();
      rows.forEachRemaining(list::add);
      Funnel.Fit fit = fit(list, method, winsorTail);
      double min = list.stream().mapToDouble(r -> r.getDouble(6)).min().orElseThrow();
      double max = list.stream().mapToDouble(r -> r.getDouble(6)).max().orElseThrow();
      Row first = list.get(0);
      List<Row> out = new ArrayList<>();
      for (int i = 0; i < points; i++) {
        double n = min * Math.pow(max / min, (double) i / (points - 1));
        double[] l95 = Funnel.limits(fit, n, Levels.P95);
        double[] l998 = Funnel.limits(fit, n, Levels.P998);
        out.add(RowFactory.create(first.getString(0), first.getString(1), first.getString(2), first.getString(3), n,
            100 * fit.target(), 100 * l95[0], 100 * l95[1], 100 * l998[0], 100 * l998[1], method.name().toLowerCase()));
      }
      return out.iterator();
    }, Encoders.row(LIMITS));
  }

  private static org.apache.spark.sql.KeyValueGroupedDataset<String, Row> grouped(Dataset<Row> units) {
    Columns.require(units, "Funnels", List.of("indicator_id", "period", "level", "funnel_group", "area_code", "events", "denominator"));
    return units.select("indicator_id", "period", "level", "funnel_group", "area_code", "events", "denominator")
        .groupByKey((MapFunction<Row, String>) r -> r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2) + "|"
            + r.getString(3), Encoders.STRING());
  }

  private static Funnel.Fit fit(List<Row> rows, Funnel.Overdispersion method, double winsorTail) {
    return Funnel.fit(rows.stream().mapToDouble(r -> r.getDouble(5)).toArray(), rows.stream().mapToDouble(r -> r.getDouble(6)).toArray(),
        method, winsorTail);
  }
}
