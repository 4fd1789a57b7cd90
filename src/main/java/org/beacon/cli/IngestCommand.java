package org.beacon.cli;

import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.beacon.crime.CrimeIngestJob;
import org.beacon.geography.OnsGeography;
import org.beacon.runtime.Settings;

/** `beacon ingest`: landing -> bronze -> silver for every source, or one folder of data.police.uk files or ONS lookups. */
final class IngestCommand extends Command {
  IngestCommand() {
    super("ingest", true, optionsOf(),
        "ingest   [--source police-uk --input DIR [--as-of YYYY-MM]] [PERIOD]   landing -> bronze -> silver; or",
        "         data.police.uk files (YYYY-MM-<force>-street.csv, -outcomes.csv) from any folder, as of the month",
        "         they were downloaded (default: the latest month in their names; the latest as-of wins)",
        "ingest   --source ons-geography [--input DIR]             ONS lookups (LSOA -> ward -> local authority -> CSP",
        "         -> police force area) from DIR, or Beacon's own copy: crimes then count in those areas too");
  }

  private static List<Option> optionsOf() {
    List<Option> out = new ArrayList<>(List.of(
        Option.value("--source").checked(v -> v.equals("police-uk") || v.equals("ons-geography") ? null
            : "--source must be police-uk or ons-geography (the other sources are ingested from the landing folder)."),
        Option.value("--input"),
        Option.value("--as-of").checked(v -> v.matches("[0-9]{4}-(0[1-9]|1[0-2])") ? null
            : "--as-of must be a month, YYYY-MM (the month the files were downloaded), not '" + v + "'.")));
    out.addAll(Args.PERIODS);
    return out;
  }

  @Override
  void check(Args args) throws Args.UsageException {
    boolean ons = "ons-geography".equals(args.get("--source"));
    if (!ons && args.has("--source") != args.has("--input")) {
      throw new Args.UsageException("ingest --source police-uk needs --input DIR, and --input needs --source.");
    }
    if (args.has("--as-of") && !"police-uk".equals(args.get("--source"))) {
      throw new Args.UsageException("--as-of belongs to ingest --source police-uk --input DIR.");
    }
  }

  @Override
  int run(Args args, Settings settings) {
    Jobs.withSpark(settings, args.job(this), spark -> {
      if ("ons-geography".equals(args.get("--source"))) {
        OnsGeography.ingest(spark, settings, args.has("--input") ? Path.of(args.get("--input")) : null);
      } else if (args.has("--source")) {
        CrimeIngestJob.run(spark, settings, Path.of(args.get("--input")), args.period(),
            args.has("--as-of") ? YearMonth.parse(args.get("--as-of")) : null);
        Pipeline.reconcile(spark, settings);
      } else {
        Jobs.ingest(spark, settings, args.period());
      }
    });
    return 0;
  }
}
