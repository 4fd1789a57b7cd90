package org.beacon.runtime;

import static org.apache.spark.sql.functions.*;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * The period a scheduled run is about: a financial year (--period 2007/08), a quarter (--quarter) or a
 * month (--month 2008-03). An ingest given a period conforms only the files delivered since the last one
 * and checks their rows lie in the period; a build given one recomputes only the financial years whose
 * rows changed, leaving the rest of each table as it was.
 *
 * <p>Quarters are financial quarters, written "2007/08 Q3" as in the marts; the short form 2007Q3 is the
 * calendar quarter (July to September 2007), the financial quarter that covers the same months.
 */
public record Period(String kind, int startYear, int quarter, YearMonth month) {

  /** The period from a command-line option (period, quarter or month) and its value. */
  public static Period parse(String option, String value) {
    switch (option) {
      case "period" -> {
        return new Period("financial_year", FinancialYear.startYear(value), 0, null);
      }
      case "quarter" -> {
        java.util.regex.Matcher fin = java.util.regex.Pattern.compile("(\\d{4}/\\d{2}) ?Q([1-4])").matcher(value);
        java.util.regex.Matcher cal = java.util.regex.Pattern.compile("(\\d{4})Q([1-4])").matcher(value);
        if (fin.matches()) {
          return new Period("quarter", FinancialYear.startYear(fin.group(1)), Integer.parseInt(fin.group(2)), null);
        }
        if (cal.matches()) {
          LocalDate first = LocalDate.of(Integer.parseInt(cal.group(1)), 3 * Integer.parseInt(cal.group(2)) - 2, 1);
          return new Period("quarter", FinancialYear.startYearOf(first), FinancialYear.quarterOf(first), null);
        }
        throw new BeaconException("'" + value + "' is not a quarter such as 2007/08 Q3 (financial) or 2007Q3 (calendar).");
      }
      case "month" -> {
        try {
          YearMonth m = YearMonth.parse(value);
          return new Period("month", FinancialYear.startYearOf(m.atDay(1)), 0, m);
        } catch (DateTimeParseException e) {
          throw new BeaconException("'" + value + "' is not a month such as 2008-03.");
        }
      }
      default -> throw new IllegalArgumentException(option);
    }
  }

  public String financialYear() {
    return FinancialYear.label(startYear);
  }

  /** True when the date lies in the period. */
  public Column contains(Column date) {
    Column fy = FinancialYear.labelOf(date);
    return switch (kind) {
      case "financial_year" -> fy.equalTo(financialYear());
      case "quarter" -> date.geq(lit(java.sql.Date.valueOf(FinancialYear.quarterStart(startYear, quarter))))
          .and(date.lt(lit(java.sql.Date.valueOf(FinancialYear.quarterStart(startYear, quarter).plusMonths(3)))));
      default -> date.geq(lit(java.sql.Date.valueOf(month.atDay(1)))).and(date.lt(lit(java.sql.Date.valueOf(month.plusMonths(1).atDay(1)))));
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case "financial_year" -> financialYear();
      case "quarter" -> financialYear() + " Q" + quarter;
      default -> month.toString();
    };
  }
}
