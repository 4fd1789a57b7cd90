package org.beacon.runtime;

import java.time.LocalDate;

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

  public static LocalDate quarterStart(int startYear, int quarter) {
    return LocalDate.of(startYear, 4, 1).plusMonths(3L * (quarter - 1));
  }
}
