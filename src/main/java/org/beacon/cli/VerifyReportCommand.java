package org.beacon.cli;

import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.beacon.grading.ReportVerification;
import org.beacon.runtime.Settings;

/** `beacon verify-report`: the seed report's figures, published beside computed; exit 1 on any mismatch. */
final class VerifyReportCommand {
  private VerifyReportCommand() {}

  static int run(SparkSession spark, Settings settings, String format, PrintStream out) {
    List<ReportVerification.Line> lines = ReportVerification.verify(spark, settings);
    Output.print(out, format, ReportVerification.COLUMNS, lines.stream().map(ReportVerification.Line::values).toList());
    long checked = lines.stream().filter(ReportVerification.Line::isChecked).count();
    long mismatches = lines.stream().filter(ReportVerification.Line::isMismatch).count();
    System.err.printf("verify-report: %d figures, %d checked, %d match, %d do not, %d not checked (reasons in the status column)%n",
        lines.size(), checked, checked - mismatches, mismatches, lines.size() - checked);
    return mismatches == 0 ? 0 : 1;
  }
}
