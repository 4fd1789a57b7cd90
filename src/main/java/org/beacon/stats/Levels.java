package org.beacon.stats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HMIC's two confidence levels: a difference is significant at 95%, and significant at the stricter level at 99.8%
 * (HMIC 2008, Appendix 3; the inner and outer funnel limits of Spiegelhalter 2005). They are fixed, not settings:
 * the marts' column names say them (lower_95, upper_998, is_significant_95). beacon.estimates.confidence sets only
 * the tracker panels' level.
 */
public final class Levels {
  public static final double P95 = 0.95;
  public static final double P998 = 0.998;

  /** Each level by the suffix its columns carry ("95", "998"), in that order. */
  public static final Map<String, Double> BY_SUFFIX = bySuffix();

  private Levels() {}

  private static Map<String, Double> bySuffix() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("95", P95);
    m.put("998", P998);
    return java.util.Collections.unmodifiableMap(m);
  }
}
