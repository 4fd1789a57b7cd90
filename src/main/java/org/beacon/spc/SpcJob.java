package org.beacon.spc;

import org.beacon.crime.CrimeSettings;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/** gold.crime_monthly and gold.survey_estimates -> gold.spc_points. */
public final class SpcJob {
  private SpcJob() {}

  public static void run(SparkSession spark, Settings settings) {
    Lineage lineage = Lineage.of(settings);
    Dataset<Row> series = null;
    if (Tables.exists(settings, TableName.GOLD_CRIME_MONTHLY)) {
      lineage.table(spark, settings, TableName.GOLD_CRIME_MONTHLY);
      series = Spc.crimeSeries(Tables.read(spark, settings, TableName.GOLD_CRIME_MONTHLY), CrimeSettings.of(settings).groups().stream()
          .filter(g -> SpcSettings.of(settings).crimeGroups().contains(g.id())).toList());
    }
    if (Tables.exists(settings, TableName.GOLD_SURVEY_ESTIMATES)) {
      lineage.table(spark, settings, TableName.GOLD_SURVEY_ESTIMATES);
      Dataset<Row> survey = Spc.surveySeries(Tables.read(spark, settings, TableName.GOLD_SURVEY_ESTIMATES),
          SpcSettings.of(settings).surveyIndicators());
      series = series == null ? survey : series.unionByName(survey);
    }
    if (series == null) {
      return;
    }
    Dataset<Row> all = series;
    Tables.replace(spark, settings, TableName.GOLD_SPC_POINTS, lineage,
        () -> Spc.points(all, SpcSettings.of(settings)).orderBy("series", "level", "area_code", "chart", "period"));
  }
}
