package org.beacon.spc;

import org.beacon.indicators.IndicatorTables;

import org.beacon.crime.CrimeTables;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.crime.CrimeSettings;
import org.beacon.runtime.Settings;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.TableStep;

/** gold.crime_monthly and gold.survey_estimates (either or both) -> gold.spc_points. */
public final class SpcJob {
  private SpcJob() {}

  public static void run(SparkSession spark, Settings settings) {
    SpcSettings spc = SpcSettings.of(settings);
    StepRunner.run(spark, settings, null, List.of(TableStep.of(SpcTables.GOLD_SPC_POINTS)
        .uses(CrimeTables.GOLD_CRIME_MONTHLY).uses(IndicatorTables.GOLD_SURVEY_ESTIMATES).as(in -> {
          Dataset<Row> series = null;
          if (in.exists(CrimeTables.GOLD_CRIME_MONTHLY)) {
            series = Spc.crimeSeries(in.read(CrimeTables.GOLD_CRIME_MONTHLY), CrimeSettings.of(settings).groups().stream()
                .filter(g -> spc.crimeGroups().contains(g.id())).toList());
          }
          if (in.exists(IndicatorTables.GOLD_SURVEY_ESTIMATES)) {
            Dataset<Row> survey = Spc.surveySeries(in.read(IndicatorTables.GOLD_SURVEY_ESTIMATES), spc.surveyIndicators());
            series = series == null ? survey : series.unionByName(survey);
          }
          return Spc.points(series, spc).orderBy("series", "level", "area_code", "chart", "period");
        })));
  }
}
