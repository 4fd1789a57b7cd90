package org.beacon.indicators;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Columns;
import org.beacon.stats.Raking;
import org.beacon.survey.SurveySource;

/**
 * Raked weights per OCU and financial year: respondents are weighted to the OCU's adult population on
 * each configured margin (Deming and Stephan 1940), with trimming ({@link Raking}). A respondent whose
 * category the population does not list (an ethnic group "Not stated") keeps its sample share of the
 * population on that margin, so it is neither dropped nor forced into another group.
 */
public final class Weighting {
  public static final String WEIGHT = "raked_weight";

  private Weighting() {}

  public static Dataset<Row> withRakedWeights(Dataset<Row> responses, Dataset<Row> population, SurveySource.Weighting weighting) {
    List<String> needed = new ArrayList<>(List.of("ocu_code", "financial_year"));
    weighting.margins().forEach(needed::addAll);
    Columns.require(responses, "Weighting.withRakedWeights", needed);
    // Population totals by OCU and margin category (small: collected once to the driver).
    Map<String, Double> targets = new HashMap<>();
    Map<String, Double> totals = new HashMap<>();
    for (int m = 0; m < weighting.margins().size(); m++) {
      List<String> cols = weighting.margins().get(m);
      Columns.require(population, "Weighting.withRakedWeights (population)", cols);
      for (Row r : population.groupBy(concat_ws("|", cols.stream().map(c -> col(c).cast("string")).toArray(org.apache.spark.sql.Column[]::new)).as("k"),
          col("ocu_code")).agg(sum("population_16_plus").as("p")).collectAsList()) {
        targets.put(r.getString(1) + "#" + m + "#" + r.getString(0), ((Number) r.get(2)).doubleValue());
        if (m == 0) {
          totals.merge(r.getString(1), ((Number) r.get(2)).doubleValue(), Double::sum);
        }
      }
    }
    StructType schema = responses.schema().add(WEIGHT, DataTypes.DoubleType).add("_rake_converged", DataTypes.BooleanType)
        .add("_rake_iterations", DataTypes.IntegerType);
    int[][] marginIndexes = new int[weighting.margins().size()][];
    for (int m = 0; m < marginIndexes.length; m++) {
      marginIndexes[m] = weighting.margins().get(m).stream().mapToInt(c -> responses.schema().fieldIndex(c)).toArray();
    }
    int ocuIndex = responses.schema().fieldIndex("ocu_code");
    int fyIndex = responses.schema().fieldIndex("financial_year");
    double lower = weighting.trimLower();
    double upper = weighting.trimUpper();
    FlatMapGroupsFunction<String, Row, Row> rake = (key, rows) -> {
      List<Row> group = new ArrayList<>();
      rows.forEachRemaining(group::add);
      String ocu = group.get(0).getString(ocuIndex);
      Double adults = totals.get(ocu);
      if (adults == null) {
        throw new BeaconException("The population file has no adults for OCU " + ocu + ", which respondents name.");
      }
      List<String[]> keys = new ArrayList<>();
      for (Row r : group) {
        String[] k = new String[marginIndexes.length];
        for (int m = 0; m < marginIndexes.length; m++) {
          StringBuilder sb = new StringBuilder();
          for (int c : marginIndexes[m]) {
            sb.append(sb.length() == 0 ? "" : "|").append(r.get(c));
          }
          k[m] = sb.toString();
        }
        keys.add(k);
      }
      Raking.Result result = rakeGroup(keys, marginIndexes.length, (m, k) -> targets.get(ocu + "#" + m + "#" + k), adults,
          lower, upper);
      List<Row> out = new ArrayList<>(group.size());
      for (int i = 0; i < group.size(); i++) {
        Object[] values = new Object[group.get(i).size() + 3];
        for (int c = 0; c < group.get(i).size(); c++) {
          values[c] = group.get(i).get(c);
        }
        values[values.length - 3] = result.weights()[i];
        values[values.length - 2] = result.converged();
        values[values.length - 1] = result.iterations();
        out.add(RowFactory.create(values));
      }
      return out.iterator();
    };
    return responses
        .groupByKey((MapFunction<Row, String>) r -> r.getString(ocuIndex) + "|" + r.getString(fyIndex), Encoders.STRING())
        .flatMapGroups(rake, Encoders.row(schema));
  }

  /** The population total of a margin category, or null when the population does not list it. */
  public interface Targets extends java.io.Serializable {
    Double of(int margin, String category);
  }

  /**
   * Raked weights for one group of respondents (an OCU in a year): keys.get(i)[m] is respondent i's
   * category on margin m. Categories the population does not list keep their sample share of the
   * adults; the listed ones share the rest in the population's proportions. Weights start equal
   * (adults / n). Shared by the pipeline and the data generator, so both weight identically.
   */
  public static Raking.Result rakeGroup(List<String[]> keys, int marginCount, Targets targets, double adults, double trimLower,
      double trimUpper) {
    int n = keys.size();
    List<Raking.Margin> margins = new ArrayList<>();
    for (int m = 0; m < marginCount; m++) {
      Map<String, Integer> index = new LinkedHashMap<>();
      int[] category = new int[n];
      for (int i = 0; i < n; i++) {
        category[i] = index.computeIfAbsent(keys.get(i)[m], x -> index.size());
      }
      double[] count = new double[index.size()];
      for (int c : category) {
        count[c]++;
      }
      double[] target = new double[index.size()];
      double unmatched = 0;
      double matchedPopulation = 0;
      for (Map.Entry<String, Integer> e : index.entrySet()) {
        Double t = targets.of(m, e.getKey());
        if (t == null) {
          target[e.getValue()] = adults * count[e.getValue()] / n;
          unmatched += target[e.getValue()];
        } else {
          matchedPopulation += t;
        }
      }
      // A population category with no respondents cannot be met: the listed ones present share the rest.
      for (Map.Entry<String, Integer> e : index.entrySet()) {
        Double t = targets.of(m, e.getKey());
        if (t != null) {
          target[e.getValue()] = t / matchedPopulation * (adults - unmatched);
        }
      }
      margins.add(new Raking.Margin("margin " + m, category, target));
    }
    double[] start = new double[n];
    java.util.Arrays.fill(start, adults / n);
    return Raking.rake(start, margins, trimLower, trimUpper, 1e-6, 200);
  }

  /** Weighting efficiency per OCU and year: Kish n_eff / n, the weight range and whether raking converged. */
  public static Dataset<Row> efficiency(Dataset<Row> weighted, String source) {
    Columns.require(weighted, "Weighting.efficiency", List.of("ocu_code", "financial_year", WEIGHT, "_rake_converged"));
    return weighted.groupBy("ocu_code", "financial_year")
        .agg(count(lit(1)).as("n"), sum(WEIGHT).as("sum_weights"), sum(col(WEIGHT).multiply(col(WEIGHT))).as("sum_squares"),
            min(WEIGHT).as("min_weight"), max(WEIGHT).as("max_weight"), min("_rake_converged").as("is_converged"),
            max("_rake_iterations").as("iterations"))
        .select(lit(source).as("source"), col("ocu_code"), col("financial_year"), col("n"),
            col("sum_weights").multiply(col("sum_weights")).divide(col("sum_squares")).as("n_eff"),
            col("sum_weights").multiply(col("sum_weights")).divide(col("sum_squares")).divide(col("n")).as("efficiency"),
            col("min_weight").divide(col("sum_weights").divide(col("n"))).as("min_weight_ratio"),
            col("max_weight").divide(col("sum_weights").divide(col("n"))).as("max_weight_ratio"),
            col("is_converged"), col("iterations"));
  }
}
