package org.beacon.indicators;

import org.beacon.crime.CrimeTables;

import org.beacon.workforce.WorkforceTables;

import org.beacon.survey.SurveyTables;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.Settings;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.TableStep;
import org.beacon.runtime.Tables;
import org.beacon.stats.FayHerriot;
import org.beacon.stats.Wilson;

/**
 * gold.survey_estimates -> gold.small_area_estimates: Fay–Herriot EBLUPs for neighbourhoods and sectors
 * beside their direct estimates. Each indicator, level and year is one model on the arcsine scale
 * (θ = asin √p, ψ = 1 / 4n_eff), with the OCU's direct estimate, neighbourhood staffing share
 * (workforce) and minority-ethnic share (population) as covariates; areas whose direct
 * estimate is suppressed get the synthetic estimate. Back on the proportion scale, the EBLUPs of each
 * OCU are ratio-benchmarked so that their n-weighted mean equals the OCU's direct estimate.
 * The job reads only published aggregates, never respondents.
 */
public final class SmallAreaEstimatesJob {
  static final List<String> LEVELS = List.of("neighbourhood", "sector");

  private SmallAreaEstimatesJob() {}

  public static void run(SparkSession spark, Settings settings) {
    if (!Tables.exists(settings, SurveyTables.silver("ftd"))) {
      StepRunner.notBuilt(IndicatorTables.GOLD_SMALL_AREA_ESTIMATES, SurveyTables.silver("ftd") + " does not exist yet");
      return;
    }
    StepRunner.run(spark, settings, null, List.of(TableStep.of(IndicatorTables.GOLD_SMALL_AREA_ESTIMATES)
        .requires(IndicatorTables.GOLD_SURVEY_ESTIMATES).requires(SurveyTables.SILVER_GEOGRAPHY).requires(SurveyTables.SILVER_POPULATION)
        .uses(WorkforceTables.SILVER_WORKFORCE).uses(CrimeTables.GOLD_CRIME_MONTHLY).uses(CrimeTables.SILVER_LSOA_LOOKUP)
        .as(SmallAreaEstimatesJob::estimates)));
  }

  private static Dataset<Row> estimates(StepRunner.Inputs in) {
    Dataset<Row> gold = in.read(IndicatorTables.GOLD_SURVEY_ESTIMATES)
        .filter("source = 'ftd' AND period_type = 'financial_year' AND subgroup_type = 'all'");
    Map<String, String> ocuOf = new HashMap<>();
    for (Row r : in.read(SurveyTables.SILVER_GEOGRAPHY).select("neighbourhood_code", "sector_code", "ocu_code")
        .collectAsList()) {
      ocuOf.put(r.getString(0), r.getString(2));
      ocuOf.put(r.getString(1), r.getString(2));
    }
    Map<String, Row> ocuDirect = new HashMap<>();
    for (Row r : gold.filter("level = 'ocu' AND estimate IS NOT NULL").select("indicator_id", "period", "area_code", "estimate")
        .collectAsList()) {
      ocuDirect.put(r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2), r);
    }
    // OCU covariates: the neighbourhood staffing share by year (workforce) and the minority-ethnic share
    // of adults (population).
    Map<String, Double> covariates = new HashMap<>();
    if (in.exists(WorkforceTables.SILVER_WORKFORCE)) {
      for (Row r : in.read(WorkforceTables.SILVER_WORKFORCE).filter("np_share_pct IS NOT NULL")
          .select("ocu_code", "financial_year", "np_share_pct").collectAsList()) {
        covariates.put("np|" + r.getString(0) + "|" + r.getString(1), r.getDouble(2) / 100);
      }
    }
    for (Row r : in.read(SurveyTables.SILVER_POPULATION).groupBy("ocu_code")
        .agg(sum(when(col("ethnic_group_5").notEqual("White"), col("population_16_plus")).otherwise(0)).divide(
            sum("population_16_plus")).as("minority")).collectAsList()) {
      covariates.put("minority|" + r.getString(0), r.getDouble(1));
    }
    if (in.exists(CrimeTables.GOLD_CRIME_MONTHLY) && in.exists(CrimeTables.SILVER_LSOA_LOOKUP)) {
      crimePerLsoa(in).forEach(covariates::put);
    }
    Map<String, List<Row>> models = new LinkedHashMap<>();
    for (Row r : gold.filter(col("level").isin(LEVELS.toArray()))
        .select("indicator_id", "level", "period", "area_code", "area_name", "n", "estimate", "se", "n_eff", "weighted_n")
        .orderBy("indicator_id", "level", "period", "area_code").collectAsList()) {
      models.computeIfAbsent(r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2), k -> new ArrayList<>()).add(r);
    }
    List<Row> out = new ArrayList<>();
    double z = Wilson.z(0.95);
    for (List<Row> areas : models.values()) {
      out.addAll(fitOne(areas, ocuOf, ocuDirect, covariates, z));
    }
    return in.spark().createDataFrame(out, schema()).orderBy("indicator_id", "level", "period", "area_code");
  }

  /** Areas beyond the covariates that REML needs for a usable estimate of the area-effect variance. */
  private static final int MIN_RESIDUAL_DF = 3;

  private static List<Row> fitOne(List<Row> areas, Map<String, String> ocuOf, Map<String, Row> ocuDirect,
      Map<String, Double> known, double z) {
    String indicator = areas.get(0).getString(0);
    String period = areas.get(0).getString(2);
    List<Row> withData = new ArrayList<>();
    List<Row> all = new ArrayList<>();
    for (Row a : areas) {
      Row ocu = ocuDirect.get(indicator + "|" + period + "|" + ocuOf.get(a.getString(3)));
      if (ocu == null) {
        continue;
      }
      all.add(a);
      if (!a.isNullAt(6) && !a.isNullAt(8) && a.getDouble(8) > 0) {
        withData.add(a);
      }
    }
    if (withData.size() < 5) {
      return List.of();
    }
    double[] y = new double[withData.size()];
    double[] psi = new double[withData.size()];
    double[][] x = new double[withData.size()][];
    for (int i = 0; i < y.length; i++) {
      Row a = withData.get(i);
      y[i] = Math.asin(Math.sqrt(a.getDouble(6)));
      psi[i] = 1 / (4 * a.getDouble(8));
    }
    boolean[] use = shared(all, period, ocuOf, known);
    for (int i = 0; i < x.length; i++) {
      x[i] = covariates(withData.get(i), indicator, period, ocuOf, ocuDirect, known, use);
    }
    if (withData.size() < x[0].length + MIN_RESIDUAL_DF) {
      // Too few areas for the covariates (a small force or a short series): no model, the direct estimates stand.
      return List.of();
    }
    FayHerriot.Result fit = FayHerriot.fit(y, psi, x);
    // Per area: θ̂, mse, γ, synthetic flag.
    Map<String, double[]> theta = new LinkedHashMap<>();
    for (int i = 0; i < y.length; i++) {
      theta.put(withData.get(i).getString(3), new double[] {fit.eblup()[i], fit.mse()[i], fit.gamma()[i], 0});
    }
    for (Row a : all) {
      if (!theta.containsKey(a.getString(3))) {
        double[] s = FayHerriot.synthetic(fit, x, psi, covariates(a, indicator, period, ocuOf, ocuDirect, known, use));
        theta.put(a.getString(3), new double[] {s[0], s[1], 0, 1});
      }
    }
    // Ratio benchmarking within each OCU to its direct estimate (weights: valid responses).
    Map<String, double[]> ocuSums = new HashMap<>();
    for (Row a : all) {
      double p = square(Math.sin(clampAngle(theta.get(a.getString(3))[0])));
      double[] s = ocuSums.computeIfAbsent(ocuOf.get(a.getString(3)), k -> new double[2]);
      s[0] += a.getLong(5) * p;
      s[1] += a.getLong(5);
    }
    List<Row> out = new ArrayList<>();
    for (Row a : all) {
      String ocu = ocuOf.get(a.getString(3));
      double[] t = theta.get(a.getString(3));
      double p = square(Math.sin(clampAngle(t[0])));
      double[] s = ocuSums.get(ocu);
      double factor = s[0] > 0 ? ocuDirect.get(indicator + "|" + period + "|" + ocu).getDouble(3) / (s[0] / s[1]) : 1;
      double se = Math.sqrt(t[1]);
      out.add(RowFactory.create(indicator, a.getString(1), a.getString(3), a.getString(4), ocu, period, a.getLong(5),
          a.isNullAt(6) ? null : a.getDouble(6), a.isNullAt(7) ? null : a.getDouble(7), Math.min(1.0, p * factor), p,
          se * Math.sin(2 * clampAngle(t[0])) * factor, Math.min(1.0, square(Math.sin(clampAngle(t[0] - z * se))) * factor),
          Math.min(1.0, square(Math.sin(clampAngle(t[0] + z * se))) * factor), t[2], fit.sigma2(), factor, t[3] == 1,
          "Fay-Herriot EBLUP, arcsine scale, REML, Prasad-Rao MSE; OCU covariates: direct estimate, "
              + "neighbourhood staffing share, minority-ethnic share; ratio-benchmarked"));
    }
    return out;
  }

  /**
   * Intercept, the OCU's direct estimate (arcsine), then those of the optional covariates that {@code use} keeps:
   * the OCU's neighbourhood staffing share that year, its minority-ethnic share of adults, and the area's
   * recorded crime that year (log of 1 + records per LSOA).
   */
  private static double[] covariates(Row area, String indicator, String period, Map<String, String> ocuOf,
      Map<String, Row> ocuDirect, Map<String, Double> known, boolean[] use) {
    String ocu = ocuOf.get(area.getString(3));
    double direct = ocuDirect.get(indicator + "|" + period + "|" + ocu).getDouble(3);
    List<Double> x = new ArrayList<>(List.of(1.0, Math.asin(Math.sqrt(direct))));
    String[] keys = optionalKeys(area.getString(3), ocu, period);
    for (int k = 0; k < keys.length; k++) {
      if (use[k]) {
        x.add(known.get(keys[k]));
      }
    }
    return x.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static String[] optionalKeys(String area, String ocu, String period) {
    return new String[] {"np|" + ocu + "|" + period, "minority|" + ocu, "crime|" + area + "|" + period};
  }

  /** Which optional covariates every area of the model has: a covariate some areas lack is left out for all. */
  private static boolean[] shared(List<Row> areas, String period, Map<String, String> ocuOf, Map<String, Double> known) {
    boolean[] use = {true, true, true};
    for (Row a : areas) {
      String[] keys = optionalKeys(a.getString(3), ocuOf.get(a.getString(3)), period);
      for (int k = 0; k < keys.length; k++) {
        use[k] &= known.containsKey(keys[k]);
      }
    }
    return use;
  }

  /** "crime|area|year" -> log(1 + recorded crimes (not ASB) per LSOA) for neighbourhoods and sectors. */
  private static Map<String, Double> crimePerLsoa(StepRunner.Inputs in) {
    Dataset<Row> lsoas = in.read(CrimeTables.SILVER_LSOA_LOOKUP).join(in.read(SurveyTables.SILVER_GEOGRAPHY), "neighbourhood_code");
    Dataset<Row> perArea = lsoas.groupBy(col("neighbourhood_code").as("area_code")).agg(count(lit(1)).as("lsoas"))
        .unionByName(lsoas.groupBy(col("sector_code").as("area_code")).agg(count(lit(1)).as("lsoas")));
    Map<String, Double> out = new HashMap<>();
    for (Row r : in.read(CrimeTables.GOLD_CRIME_MONTHLY)
        .filter(col("level").isin("neighbourhood", "sector").and(not(col("is_asb"))))
        .groupBy("area_code", "financial_year").agg(sum("records").as("records"))
        .join(perArea, "area_code").collectAsList()) {
      out.put("crime|" + r.getAs("area_code") + "|" + r.getAs("financial_year"),
          Math.log1p(r.<Long>getAs("records") / (double) r.<Long>getAs("lsoas")));
    }
    return out;
  }

  private static double clampAngle(double theta) {
    return Math.max(0, Math.min(Math.PI / 2, theta));
  }

  private static double square(double v) {
    return v * v;
  }

  private static StructType schema() {
    return new StructType().add("indicator_id", DataTypes.StringType).add("level", DataTypes.StringType)
        .add("area_code", DataTypes.StringType).add("area_name", DataTypes.StringType).add("ocu_code", DataTypes.StringType)
        .add("period", DataTypes.StringType).add("n", DataTypes.LongType).add("direct_estimate", DataTypes.DoubleType)
        .add("direct_se", DataTypes.DoubleType).add("eblup", DataTypes.DoubleType)
        .add("eblup_unbenchmarked", DataTypes.DoubleType).add("eblup_se", DataTypes.DoubleType)
        .add("lower_95", DataTypes.DoubleType).add("upper_95", DataTypes.DoubleType)
        .add("shrinkage_weight", DataTypes.DoubleType).add("sigma2_u", DataTypes.DoubleType)
        .add("benchmark_factor", DataTypes.DoubleType).add("is_synthetic", DataTypes.BooleanType)
        .add("method", DataTypes.StringType);
  }
}
