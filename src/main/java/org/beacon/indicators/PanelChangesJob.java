package org.beacon.indicators;

import org.beacon.survey.SurveySources;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/** silver.tracker_panel__responses (+ gold FTD estimates) -> gold.panel_changes and gold.panel_vs_sample. */
public final class PanelChangesJob {
  private PanelChangesJob() {}

  public static void run(SparkSession spark, Settings settings) {
    TableName silver = TableName.silver("tracker_panel");
    if (!Tables.exists(settings, silver)) {
      return;
    }
    List<Indicator> indicators = SurveyEstimatesJob.indicators(settings, SurveySources.of(settings, "tracker_panel"));
    Lineage lineage = Lineage.of(settings).table(spark, settings, silver).table(spark, settings, TableName.GOLD_SURVEY_ESTIMATES);
    Dataset<Row> answers = PanelChanges.memberAnswers(Tables.read(spark, settings, silver), indicators);
    Tables.replace(spark, settings, TableName.GOLD_PANEL_CHANGES, lineage,
        () -> PanelChanges.waveChanges(answers, settings.confidence()).orderBy("indicator_id", "ocu_code", "wave_from"));
    Tables.replace(spark, settings, TableName.GOLD_PANEL_VS_SAMPLE, lineage, () -> {
      Dataset<Row> gold = Tables.read(spark, settings, TableName.GOLD_SURVEY_ESTIMATES)
          .filter("level = 'ocu' AND period_type = 'quarter' AND subgroup_type = 'all'");
      Dataset<Row> out = null;
      for (Indicator panel : indicators) {
        // The FTD indicator asking the same question.
        for (Indicator sample : Indicator.all(settings)) {
          if (sample.source().equals("ftd") && sample.question().equals(panel.question())) {
            Dataset<Row> one = PanelChanges.panelVersusSample(answers, gold.filter(col("indicator_id").equalTo(sample.id())),
                panel.id(), settings.confidence());
            out = out == null ? one : out.unionByName(one);
          }
        }
      }
      return out.orderBy("panel_indicator_id", "ocu_code", "wave");
    });
  }
}
