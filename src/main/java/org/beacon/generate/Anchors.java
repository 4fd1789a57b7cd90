package org.beacon.generate;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.beacon.runtime.FinancialYear;
import org.beacon.runtime.SettingsException;

/** Values given for some financial years; years between are interpolated linearly, years outside hold the nearest. */
public final class Anchors {
  private final NavigableMap<Integer, Double> points = new TreeMap<>();

  private Anchors() {}

  public static Anchors of(String key, Map<String, Object> byYear) {
    Anchors a = new Anchors();
    byYear.forEach((label, v) -> {
      if (!(v instanceof Number n)) {
        throw new SettingsException(key + "." + label + " must be a number, not '" + v + "'.");
      }
      a.points.put(FinancialYear.startYear(label), n.doubleValue());
    });
    if (a.points.isEmpty()) {
      throw new SettingsException(key + " must give a value for at least one financial year.");
    }
    return a;
  }

  public double at(int year) {
    Map.Entry<Integer, Double> lo = points.floorEntry(year);
    Map.Entry<Integer, Double> hi = points.ceilingEntry(year);
    if (lo == null) {
      return hi.getValue();
    }
    if (hi == null || hi.getKey().equals(lo.getKey())) {
      return lo.getValue();
    }
    double t = (year - lo.getKey()) / (double) (hi.getKey() - lo.getKey());
    return lo.getValue() + t * (hi.getValue() - lo.getValue());
  }

  public boolean defines(int year) {
    return points.containsKey(year);
  }
}
