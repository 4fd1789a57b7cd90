package org.beacon.indicators;

import org.beacon.crime.CrimeTables;

import org.beacon.workforce.WorkforceTables;

import org.beacon.survey.Population;
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
    String source = ModelSources.of(settings).smallArea();
    if (!Tables.exists(settings, SurveyTables.silver(source))) {
      StepRunner.notBuilt(IndicatorTables.GOLD_SMALL_AREA_ESTIMATES, SurveyTables.silver(source) + " does not exist yet");
      return;
    }
    StepRunner.run(spark, settings, null, List.of(TableStep.of(IndicatorTables.GOLD_SMALL_AREA_ESTIMATES)
        .requires(IndicatorTables.GOLD_SURVEY_ESTIMATES).requires(SurveyTables.SILVER_GEOGRAPHY).requires(SurveyTables.SILVER_POPULATION)
        .uses(WorkforceTables.SILVER_WORKFORCE).uses(CrimeTables.GOLD_CRIME_MONTHLY).uses(CrimeTables.SILVER_LSOA_LOOKUP)
        .as(in -> estimates(in, source))));
  }

  private static Dataset<Row> estimates(StepRunner.Inputs in, String source) {
    Dataset<Row> gold = in.read(IndicatorTables.GOLD_SURVEY_ESTIMATES).filter(col("source").equalTo(source)
        .and(col("period_type").equalTo("financial_year")).and(col("subgroup_type").equalTo("all")));
    Map<String, String> ocuOf = new HashMap<>();
    for (Row r : in.read(SurveyTables.SILVER_GEOGRAPHY).select("neighbourhood_code", "sector_code", "ocu_code")
        .collectAsList()) {
      ocuOf.put(r.getString(0), r.getString(2));
      ocuOf.put(r.getString(1), r.getString(2));
    }
    Map<String, Double> ocuDirect = new HashMap<>();
    for (Row r : gold.filter("level = 'ocu' AND estimate IS NOT NULL").select("indicator_id", "period", "area_code", "estimate")
        .collectAsList()) {
      ocuDirect.put(r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2), r.getDouble(3));
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
    for (Row r : Population.minorityAdultsByOcu(in.read(SurveyTables.SILVER_POPULATION))
        .select(col("ocu_code"), col("minority_adults").divide(col("adults"))).collectAsList()) {
      covariates.put("minority|" + r.getString(0), r.getDouble(1));
    }
    if (in.exists(CrimeTables.GOLD_CRIME_MONTHLY) && in.exists(CrimeTables.SILVER_LSOA_LOOKUP)) {
      crimePerLsoa(in).forEach(covariates::put);
    }
    Map<String, List<SmallAreaModel.Area>> models = new LinkedHashMap<>();
    for (Row r : gold.filter(col("level").isin(LEVELS.toArray()))
        .select("indicator_id", "level", "period", "area_code", "area_name", "n", "estimate", "se", "n_eff")
        .orderBy("indicator_id", "level", "period", "area_code").collectAsList()) {
      String indicator = r.getAs("indicator_id");
      String period = r.getAs("period");
      String area = r.getAs("area_code");
      String ocu = ocuOf.get(area);
      Double ocuEstimate = ocuDirect.get(indicator + "|" + period + "|" + ocu);
      if (ocuEstimate == null) {
        continue;
      }
      Double[] optional = {covariates.get("np|" + ocu + "|" + period), covariates.get("minority|" + ocu),
          covariates.get("crime|" + area + "|" + period)};
      models.computeIfAbsent(indicator + "|" + r.getAs("level") + "|" + period, k -> new ArrayList<>())
          .add(new SmallAreaModel.Area(area, r.getAs("area_name"), ocu, r.<Long>getAs("n"), r.getAs("estimate"), r.getAs("se"),
              r.getAs("n_eff"), ocuEstimate, optional));
    }
    List<Row> out = new ArrayList<>();
    models.forEach((key, areas) -> {
      String[] k = key.split("\\|");
      for (SmallAreaModel.Estimate e : SmallAreaModel.fit(areas)) {
        SmallAreaModel.Area a = e.area();
        out.add(RowFactory.create(k[0], k[1], a.code(), a.name(), a.ocu(), k[2], a.n(), a.direct(), a.directSe(), e.eblup(),
            e.eblupUnbenchmarked(), e.eblupSe(), e.lower95(), e.upper95(), e.shrinkageWeight(), e.sigma2u(),
            e.benchmarkFactor(), e.isSynthetic(), SmallAreaModel.METHOD));
      }
    });
    return in.spark().createDataFrame(out, schema()).orderBy("indicator_id", "level", "period", "area_code");
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
