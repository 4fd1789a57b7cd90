package org.beacon.extracts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.beacon.runtime.Columns;

/** The area hierarchy of silver.reference__geography: force > OCU > sector > neighbourhood. */
final class Areas {
  static final List<String> LEVELS = List.of("force", "ocu", "sector", "neighbourhood");

  record Area(String level, String code, String name, String parentLevel, String parentCode, String forceCode) {
    String key() {
      return level + ":" + code;
    }

    String parentKey() {
      return parentLevel == null ? null : parentLevel + ":" + parentCode;
    }
  }

  private final Map<String, Area> byKey = new LinkedHashMap<>();

  static Areas of(Dataset<Row> geography) {
    Columns.require(geography, "Areas.of", List.of("force_code", "force_name", "ocu_code", "ocu_name", "sector_code",
        "sector_name", "neighbourhood_code", "neighbourhood_name"));
    Areas areas = new Areas();
    for (Row r : geography.orderBy("force_code", "ocu_code", "sector_code", "neighbourhood_code").collectAsList()) {
      String[] codes = new String[4];
      for (int i = 0; i < 4; i++) {
        String level = LEVELS.get(i);
        codes[i] = r.getAs(level + "_code");
        String parentLevel = i == 0 ? null : LEVELS.get(i - 1);
        areas.byKey.putIfAbsent(level + ":" + codes[i], new Area(level, codes[i], r.getAs(level + "_name"), parentLevel,
            i == 0 ? null : codes[i - 1], codes[0]));
      }
    }
    return areas;
  }

  Area get(String level, String code) {
    return byKey.get(level + ":" + code);
  }

  /** The area and every area below it, in hierarchy order. */
  List<Area> within(String level, String code) {
    List<Area> out = new ArrayList<>();
    for (Area a : byKey.values()) {
      if (isWithin(a, level, code)) {
        out.add(a);
      }
    }
    return out;
  }

  /** The rows of a table with level and area_code columns that lie in the area or below it. */
  Column rowsWithin(String level, String code) {
    return concat(col("level"), lit(":"), col("area_code")).isin(within(level, code).stream().map(Area::key).toArray());
  }

  boolean isWithin(Area a, String level, String code) {
    for (Area x = a; x != null; x = x.parentKey() == null ? null : byKey.get(x.parentKey())) {
      if (x.level().equals(level) && x.code().equals(code)) {
        return true;
      }
    }
    return false;
  }
}
