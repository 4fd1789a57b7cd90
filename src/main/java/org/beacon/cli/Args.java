package org.beacon.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Period;

/** A command's arguments, parsed against the options it declares; a wrong command line is a {@link UsageException}. */
final class Args {
  /** The scheduled-run periods that ingest, build and run take (one of them). */
  static final List<Option> PERIODS = List.of(period("--period"), period("--quarter"), period("--month"));

  private final List<String> words;
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final Map<String, Object> overrides = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args(List<String> words) {
    this.words = List.copyOf(words);
  }

  /** A command line that cannot be run as given (exit code 2). */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /** An option whose value is a period of that kind (--period 2007/08, --quarter, --month), checked as it is parsed. */
  static Option period(String name) {
    return Option.value(name).checked(v -> {
      try {
        Period.parse(name.substring(2), v);
        return null;
      } catch (BeaconException e) {
        return e.getMessage();
      }
    });
  }

  /** Parses the words after the command; an option another command takes is named as belonging to it. */
  static Args parse(Command command, List<String> words, List<Command> all) throws UsageException {
    Args a = new Args(words);
    List<Option> options = new ArrayList<>(command.options());
    options.add(Option.LAKEHOUSE);
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      Optional<Option> o = options.stream().filter(x -> x.name().equals(w)).findFirst();
      if (o.isEmpty()) {
        if (!w.startsWith("-") && command.takesWords()) {
          a.positional.add(w);
          continue;
        }
        List<String> owners = all.stream().filter(c -> c.options().stream().anyMatch(x -> x.name().equals(w))).map(Command::name)
            .toList();
        throw new UsageException(owners.isEmpty() ? "unknown option '" + w + "'." : w + " belongs to " + String.join(", ", owners) + ".");
      }
      Option option = o.get();
      String value = "";
      if (option.takesValue()) {
        if (i + 1 >= words.size()) {
          throw new UsageException(w + " needs a value.");
        }
        value = words.get(++i);
        String problem = option.check().apply(value);
        if (problem != null) {
          throw new UsageException(problem);
        }
      }
      if (a.values.containsKey(w) && !option.repeatable()) {
        throw new UsageException(w + " is given twice.");
      }
      a.values.computeIfAbsent(w, k -> new ArrayList<>()).add(value);
      if (option.configKey() != null) {
        a.overrides.put(option.configKey(), value);
      }
    }
    if (PERIODS.stream().filter(p -> a.has(p.name())).count() > 1) {
      throw new UsageException("give one of --period, --quarter and --month.");
    }
    command.check(a);
    return a;
  }

  /** The whole command line, the command first, as ops.job_runs records it. */
  List<String> job(Command command) {
    List<String> out = new ArrayList<>(List.of(command.name()));
    out.addAll(words);
    return out;
  }

  boolean has(String option) {
    return values.containsKey(option);
  }

  /** The option's value, or null when it was not given. */
  String get(String option) {
    return has(option) ? values.get(option).get(0) : null;
  }

  String get(String option, String otherwise) {
    return has(option) ? get(option) : otherwise;
  }

  /** Every value of a repeatable option, in order. */
  List<String> all(String option) {
    return values.getOrDefault(option, List.of());
  }

  String format() {
    return get("--format", "table");
  }

  List<String> positional() {
    return positional;
  }

  Map<String, Object> overrides() {
    return overrides;
  }

  /** The period of a scheduled ingest, build or run, or null for a full one. */
  Period period() {
    return PERIODS.stream().filter(p -> has(p.name())).findFirst().map(p -> Period.parse(p.name().substring(2), get(p.name())))
        .orElse(null);
  }

  void require(String why, String... options) throws UsageException {
    for (String o : options) {
      if (!has(o)) {
        throw new UsageException(why);
      }
    }
  }
}
