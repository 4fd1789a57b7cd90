package org.beacon.cli;

import java.util.List;
import java.util.function.Function;

/**
 * A command-line option: its name, whether it takes a value (and may be given more than once), what a value must
 * be, and the configuration key it sets when it is a settings override (--lakehouse sets beacon.lakehouse).
 *
 * @param check the problem with a value, in words, or null when it is good
 */
record Option(String name, boolean takesValue, boolean repeatable, Function<String, String> check, String configKey) {
  static final Option LAKEHOUSE = value("--lakehouse").sets("beacon.lakehouse");
  static final Option FORMAT = value("--format").oneOf("table", "csv");

  static Option value(String name) {
    return new Option(name, true, false, v -> null, null);
  }

  static Option flag(String name) {
    return new Option(name, false, false, v -> null, null);
  }

  /** The option may be given more than once (sql -e). */
  Option repeated() {
    return new Option(name, takesValue, true, check, configKey);
  }

  Option sets(String key) {
    return new Option(name, takesValue, repeatable, check, key);
  }

  Option checked(Function<String, String> problem) {
    return new Option(name, takesValue, repeatable, problem, configKey);
  }

  Option oneOf(String... values) {
    List<String> allowed = List.of(values);
    return checked(v -> allowed.contains(v) ? null : name + " must be one of " + allowed + ", not '" + v + "'.");
  }

  Option number() {
    return checked(v -> {
      try {
        Double.parseDouble(v);
        return null;
      } catch (NumberFormatException e) {
        return name + " needs a number, not '" + v + "'.";
      }
    });
  }
}
