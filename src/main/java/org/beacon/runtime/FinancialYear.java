package org.beacon.runtime;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import org.apache.spark.sql.Column;

/** UK financial years run April to March; 2007/08 starts on 1 April 2007. Quarters 1-4 start in April, July, October, January. */
public final class FinancialYear {
  private FinancialYear() {}

  /** "2007/08" for the year starting in April 2007. */
  public static String label(int startYear) {
    return String.format("%d/%02d", startYear, (startYear + 1) % 100);
  }

  /** The start year of a label such as "2007/08". */
  public static int startYear(String label) {
    if (label == null || !label.matches("\\d{4}/\\d{2}") || (Integer.parseInt(label.substring(0, 4)) + 1) % 100
        != Integer.parseInt(label.substring(5))) {
      throw new BeaconException("'" + label + "' is not a financial year such as 2007/08.");
    }
    return Integer.parseInt(label.substring(0, 4));
  }

  public static int startYearOf(LocalDate date) {
    return date.getMonthValue() >= 4 ? date.getYear() : date.getYear() - 1;
  }

  public static int quarterOf(LocalDate date) {
    return ((date.getMonthValue() + 8) % 12) / 3 + 1;
  }

  /** The Spark column form of {@link #label(int)}: "2007/08" for a start-year column. */
  public static Column labelColumn(Column startYear) {
    return concat(startYear.cast("string"), lit("/"), lpad(pmod(startYear.plus(1), lit(100)).cast("string"), 2, "0"));
  }

  /** The financial-year label of a date column. */
  public static Column labelOf(Column date) {
    return labelColumn(when(month(date).geq(4), year(date)).otherwise(year(date).minus(1)));
  }

  /**
   * A running quarter index, start year × 4 + quarter − 1, from a financial-year label column and a
   * quarter column (1–4): consecutive quarters differ by one across year ends.
   */
  public static Column quarterIndex(Column financialYear, Column quarter) {
    return substring(financialYear, 1, 4).cast("int").multiply(4).plus(quarter).minus(1);
  }

  /** The financial-year label of a running quarter index. */
  public static Column labelOfQuarterIndex(Column quarterIndex) {
    return labelColumn(floor(quarterIndex.divide(4)).cast("int"));
  }

  public static LocalDate quarterStart(int startYear, int quarter) {
    return LocalDate.of(startYear, 4, 1).plusMonths(3L * (quarter - 1));
  }
}
