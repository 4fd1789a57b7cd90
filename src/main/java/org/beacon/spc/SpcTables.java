package org.beacon.spc;

import java.util.List;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.TableSpec;
import org.beacon.runtime.TableSpec.Suite;

/** The control-chart mart's quality suite. */
public final class SpcTables implements TableSpec.Declarations {
  public static final TableName GOLD_SPC_POINTS = new TableName("gold", "spc_points");

  static final TableSpec POINTS = TableSpec.of(SpcTables.GOLD_SPC_POINTS)
      .gated(new Suite(List.of("series", "level", "area_code", "chart", "period"), List.of("value", "centre_line"), List.of()));

  @Override
  public List<TableSpec> tables(Settings settings) {
    return List.of(POINTS);
  }
}
