package org.beacon.extracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.beacon.runtime.DataDictionary;
import org.beacon.runtime.Settings;
import org.junit.jupiter.api.Test;

/** Every extract field is described once, in the data dictionary, and no extract entry there is stale. */
class ExtractFieldsTest {
  private final ExtractFields fields = new ExtractFields(Settings.load(Map.of()));

  private Map<String, List<ExtractTable.Field>> tables() {
    Map<String, List<ExtractTable.Field>> t = new LinkedHashMap<>();
    t.put("indicators", fields.indicators());
    t.put("grades", fields.grades());
    t.put("judgements", fields.judgements());
    t.put("scorecard", fields.scorecard());
    t.put("gaps", fields.gaps());
    t.put("crime", fields.crime());
    return t;
  }

  @Test
  void everyFieldHasADescriptionAndAppearsOnce() {
    tables().forEach((table, list) -> {
      Set<String> names = new HashSet<>();
      for (ExtractTable.Field f : list) {
        assertTrue(names.add(f.name()), "The " + table + " extract lists the field " + f.name() + " twice.");
        assertFalse(f.description().isBlank(), "The field " + table + "." + f.name() + " has an empty description.");
        assertFalse(f.description().contains("{"), "The field " + table + "." + f.name() + " keeps a placeholder: " + f.description());
      }
    });
  }

  @Test
  void comparisonFieldsSayWhatTheyCompareWith() {
    ExtractTable.Field f = fields.indicators().stream().filter(x -> x.name().equals("vs_msf_average_comparator")).findFirst()
        .orElseThrow();
    assertEquals("The comparator: the average of the most similar forces in the same year.", f.description());
  }

  @Test
  void everyExtractEntryOfTheDictionaryDescribesAFieldThatExists() {
    Map<String, List<ExtractTable.Field>> tables = tables();
    Set<String> all = new HashSet<>();
    tables.values().forEach(list -> list.forEach(f -> all.add(f.name())));
    List<String> stale = new ArrayList<>();
    DataDictionary.extractEntries().forEach((table, entries) -> {
      for (String field : entries) {
        boolean known = table.equals("columns") ? all.contains(field)
            : tables.containsKey(table) && tables.get(table).stream().anyMatch(f -> f.name().equals(field)
                || f.name().matches(field.replace("*", "[a-z_]+")));
        if (!known) {
          stale.add("extracts." + table + "." + field);
        }
      }
    });
    assertEquals(List.of(), stale, "data-dictionary.conf describes extract fields that no extract table has");
  }
}
