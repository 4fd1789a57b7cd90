package org.beacon.indicators;

import org.beacon.survey.SurveyTables;

import org.beacon.survey.SurveySources;

import static org.apache.spark.sql.functions.*;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.StepRunner;
import org.beacon.runtime.TableStep;

/**
 * The tracker panel's silver responses (+ the gold estimates of the sample source it is set beside; both named by
 * beacon.panels) -> gold.panel_changes and gold.panel_vs_sample.
 */
public final class PanelChangesJob {
  private PanelChangesJob() {}

  public static void run(SparkSession spark, Settings settings) {
    ModelSources sources = ModelSources.of(settings);
    TableName silver = SurveyTables.silver(sources.panel());
    List<Indicator> indicators = SurveyEstimatesJob.indicators(settings, SurveySources.of(settings, sources.panel()));
    TableStep changes = TableStep.of(IndicatorTables.GOLD_PANEL_CHANGES).requires(silver);
    StepRunner.run(spark, settings, null, List.of(
        changes.as(in -> PanelChanges.waveChanges(PanelChanges.memberAnswers(in.read(silver), indicators), settings.confidence())
            .orderBy("indicator_id", "ocu_code", "wave_from")),
        changes.withOutput(IndicatorTables.GOLD_PANEL_VS_SAMPLE).requires(IndicatorTables.GOLD_SURVEY_ESTIMATES).as(in -> {
          Dataset<Row> answers = PanelChanges.memberAnswers(in.read(silver), indicators);
          Dataset<Row> gold = in.read(IndicatorTables.GOLD_SURVEY_ESTIMATES)
              .filter("level = 'ocu' AND period_type = 'quarter' AND subgroup_type = 'all'");
          Dataset<Row> out = null;
          for (Indicator panel : indicators) {
            // The sample source's indicator asking the same question.
            for (Indicator sample : Indicator.all(settings)) {
              if (sample.source().equals(sources.panelSample()) && sample.question().equals(panel.question())) {
                Dataset<Row> one = PanelChanges.panelVersusSample(answers, gold.filter(col("indicator_id").equalTo(sample.id())),
                    panel.id(), settings.confidence());
                out = out == null ? one : out.unionByName(one);
              }
            }
          }
          return out.orderBy("panel_indicator_id", "ocu_code", "wave");
        })));
  }
}
