package org.beacon.cli;

import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.beacon.generate.Generator;
import org.beacon.grading.ReportVerification;
import org.beacon.runtime.Settings;

/** `beacon verify-report`: the seed report's figures, published beside computed; exit 1 on any mismatch. */
final class VerifyReportCommand extends Command {
  VerifyReportCommand() {
    super("verify-report", true, List.of(Option.FORMAT),
        "verify-report [--format table|csv]                        run, then regenerate the seed report's figures");
  }

  @Override
  int run(Args args, Settings settings) {
    Generator.run(settings);
    int[] code = {0};
    Jobs.withSpark(settings, args.job(this), spark -> {
      Jobs.ingest(spark, settings, null);
      Jobs.build(spark, settings, null);
      code[0] = print(spark, settings, args.format(), System.out);
    });
    return code[0];
  }

  static int print(SparkSession spark, Settings settings, String format, PrintStream out) {
    List<ReportVerification.Line> lines = ReportVerification.verify(spark, settings);
    Output.print(out, format, ReportVerification.COLUMNS, lines.stream().map(ReportVerification.Line::values).toList());
    long checked = lines.stream().filter(ReportVerification.Line::isChecked).count();
    long mismatches = lines.stream().filter(ReportVerification.Line::isMismatch).count();
    System.err.printf("verify-report: %d figures, %d checked, %d match, %d do not, %d not checked (reasons in the status column)%n",
        lines.size(), checked, checked - mismatches, mismatches, lines.size() - checked);
    return mismatches == 0 ? 0 : 1;
  }
}
