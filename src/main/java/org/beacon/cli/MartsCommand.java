package org.beacon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.beacon.ops.JobRuns;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/**
 * `beacon marts`: the analysts' reference of the gold tables (docs/marts.md) — each table's description and each
 * column's type and description, read from the tables' own Delta metadata, where Beacon writes the data dictionary
 * (src/main/resources/data-dictionary.conf) as table and column comments. So the page says exactly what a SQL
 * client's DESCRIBE says; a test rebuilds it from the default lakehouse and fails when the committed page is stale.
 */
final class MartsCommand extends Command {
  static final Path PAGE = Path.of("docs", "marts.md");

  MartsCommand() {
    super("marts", false, List.of(Option.value("--out")),
        "marts    [--out FILE]                                      every gold table and column with its description",
        "         (docs/marts.md), as the tables' comments hold them");
  }

  @Override
  int run(Args args, Settings settings) {
    Jobs.withSpark(settings, spark -> write(spark, settings, args.has("--out") ? Path.of(args.get("--out")) : null));
    return 0;
  }

  static String markdown(SparkSession spark, Settings settings) {
    StringBuilder md = new StringBuilder("# Beacon's marts\n\n")
        .append("Every gold table with its columns, as `DESCRIBE` shows them: the descriptions are the data dictionary's\n")
        .append("(`src/main/resources/data-dictionary.conf`), which Beacon writes into each table's comments. Generated from\n")
        .append("the default lakehouse by `jobs/beacon marts --out docs/marts.md`; do not edit by hand (a test fails when\n")
        .append("this page and the tables disagree).\n");
    for (String qualified : JobRuns.versions(settings).keySet().stream().sorted().toList()) {
      TableName table = TableName.parse(qualified);
      if (!table.layer().equals("gold")) {
        continue;
      }
      org.apache.spark.sql.delta.actions.Metadata m = Tables.metadata(spark, settings, table);
      md.append("\n## ").append(qualified).append("\n\n").append(cell(m.description())).append("\n\n")
          .append("| column | type | description |\n|---|---|---|\n");
      for (StructField f : m.schema().fields()) {
        md.append("| `").append(f.name()).append("` | ").append(f.dataType().simpleString()).append(" | ")
            .append(f.getComment().isDefined() ? cell(f.getComment().get()) : "").append(" |\n");
      }
    }
    return md.toString();
  }

  /** Writes the page to the file, or prints it when none is given. */
  static void write(SparkSession spark, Settings settings, Path out) {
    String md = markdown(spark, settings);
    if (out == null) {
      System.out.print(md);
      return;
    }
    try {
      Files.writeString(out, md);
    } catch (IOException e) {
      throw new BeaconException("Cannot write " + out + ": " + e.getMessage() + ".", e);
    }
  }

  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }
}
