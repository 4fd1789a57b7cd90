package org.beacon.workforce;

import org.beacon.runtime.TableName;

/** The tables of the workforce feature. */
public final class WorkforceTables {
  public static final TableName SILVER_CONTINGENCY_FUND = new TableName("silver", "workforce__contingency_fund");
  public static final TableName GOLD_WORKFORCE_INDICATORS = new TableName("gold", "workforce_indicators");
  public static final TableName SILVER_WORKFORCE = new TableName("silver", "workforce__ocu_years");

  private WorkforceTables() {}
}
