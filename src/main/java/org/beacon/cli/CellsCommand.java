package org.beacon.cli;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.indicators.SurveyEstimatesJob;
import org.beacon.runtime.Settings;

/**
 * `beacon cells`: survey cells that gold.survey_estimates does not keep (a sector's quarters by age band, say), estimated
 * from silver as the build estimates the ones it keeps, and printed in that table's columns.
 */
final class CellsCommand extends Command {
  CellsCommand() {
    super("cells", false, List.of(Option.value("--source"), Option.value("--level"), Option.value("--period-type"),
            Option.value("--subgroup-type"), Option.value("--area"), Option.value("--period"), Option.value("--indicator"),
            Option.FORMAT),
        "cells --source ID --level L --period-type T [--subgroup-type S] [--area CODE] [--period P] [--indicator ID]",
        "         [--format table|csv]                             any survey cell, kept in gold or not, in its columns");
  }

  @Override
  void check(Args args) throws Args.UsageException {
    args.require("cells needs --source, --level and --period-type.", "--source", "--level", "--period-type");
  }

  @Override
  int run(Args args, Settings settings) {
    Jobs.withSpark(settings, spark -> {
      Dataset<Row> cells = SurveyEstimatesJob.cells(spark, settings, args.get("--source"), args.get("--level"),
          args.get("--period-type"), args.get("--subgroup-type", "all"));
      for (String[] filter : List.of(new String[] {"--area", "area_code"}, new String[] {"--period", "period"},
          new String[] {"--indicator", "indicator_id"})) {
        if (args.get(filter[0]) != null) {
          cells = cells.filter(col(filter[1]).equalTo(args.get(filter[0])));
        }
      }
      List<List<Object>> rows = new ArrayList<>();
      for (Row r : cells.orderBy("indicator_id", "area_code", "period", "subgroup").collectAsList()) {
        List<Object> values = new ArrayList<>(r.length());
        for (int i = 0; i < r.length(); i++) {
          values.add(r.isNullAt(i) ? null : r.get(i));
        }
        rows.add(values);
      }
      Output.print(System.out, args.format(), Arrays.asList(cells.columns()), rows);
    });
    return 0;
  }
}
