package org.beacon.survey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Demographic code lists shared by the survey sources: 2001 census ethnic categories and their five groups. */
public final class Demographics {
  public static final List<String> AGE_BANDS = List.of("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+");
  public static final List<String> SEXES = List.of("Male", "Female");
  public static final List<String> YES_NO = List.of("Yes", "No");
  public static final List<String> RELIGIONS = List.of("Christian", "Buddhist", "Hindu", "Jewish", "Muslim", "Sikh",
      "Any other religion", "No religion", "Not stated");
  public static final String NOT_STATED = "Not stated";
  /** 2001 census categories by the five groups used for weighting targets and published breakdowns. */
  public static final Map<String, List<String>> ETHNIC_GROUPS = new LinkedHashMap<>();

  static {
    ETHNIC_GROUPS.put("White", List.of("White British", "White Irish", "Any other White background"));
    ETHNIC_GROUPS.put("Mixed", List.of("White and Black Caribbean", "White and Black African", "White and Asian",
        "Any other Mixed background"));
    ETHNIC_GROUPS.put("Asian", List.of("Indian", "Pakistani", "Bangladeshi", "Any other Asian background"));
    ETHNIC_GROUPS.put("Black", List.of("Caribbean", "African", "Any other Black background"));
    ETHNIC_GROUPS.put("Chinese or other", List.of("Chinese", "Any other ethnic group"));
  }

  public static final List<String> VICTIM_GROUPS = List.of("Domestic burglary", "Violent crime", "Vehicle crime",
      "Road traffic collision", "Anti-social behaviour");

  /** Code lists by the name sources use in their configuration (beacon.sources.*.codes). */
  public static final Map<String, List<String>> CODE_LISTS = new LinkedHashMap<>();

  static {
    List<String> ethnic = new java.util.ArrayList<>();
    ETHNIC_GROUPS.values().forEach(ethnic::addAll);
    ethnic.add(NOT_STATED);
    CODE_LISTS.put("age-band", AGE_BANDS);
    CODE_LISTS.put("sex", SEXES);
    CODE_LISTS.put("ethnic-group", List.copyOf(ethnic));
    CODE_LISTS.put("religion", RELIGIONS);
    CODE_LISTS.put("victim-group", VICTIM_GROUPS);
  }

  private Demographics() {}
}
