package org.beacon.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A table's Delta commits read straight from its _delta_log (a commit is a file of JSON actions, one of them
 * commitInfo). Beacon asks for the latest version and the last data commit around every write; Delta's
 * history() answers with a Spark job each time, which cost a quarter of a small pipeline's time.
 */
public final class DeltaCommits {
  private static final Pattern COMMIT = Pattern.compile("\\d{20}\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Commits that change a table's metadata but not its data. */
  private static final Set<String> METADATA_ONLY = Set.of("SET TBLPROPERTIES", "CHANGE COLUMN", "ADD CONSTRAINT",
      "VACUUM START", "VACUUM END");

  /**
   * One commit's commitInfo: the version, when, the operation and the userMetadata (Beacon's lineage), and the rows
   * it wrote: new rows only, not those a replaceWhere copied from the files it rewrote.
   */
  public record Commit(long version, long timestampMillis, String operation, String userMetadata, long outputRows) {}

  private DeltaCommits() {}

  /**
   * Delta reports its metrics as text; numOutputRows counts the rows copied from rewritten files too (numCopiedRows
   * for a replaceWhere, numTargetRowsCopied for a MERGE).
   */
  private static long outputRows(JsonNode metrics) {
    return metrics.path("numOutputRows").asLong(0) - metrics.path("numCopiedRows").asLong(0)
        - metrics.path("numTargetRowsCopied").asLong(0);
  }

  /** The table's latest version, or -1 when it has no commit. */
  public static long latest(Path table) {
    try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
      return files.map(f -> f.getFileName().toString()).filter(n -> COMMIT.matcher(n).matches())
          .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElse(-1);
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      throw new BeaconException("Cannot read the Delta log of " + table + ": " + e.getMessage() + ".", e);
    }
  }

  /** A data file of a table's latest version: its path within the table folder, its rows and when it was written. */
  public record DataFile(Path path, long rows, long modificationTime) {}

  /**
   * The data files of the table's latest version, read from the checksum file Delta writes beside each commit (it
   * lists every file with its statistics), oldest first; null when that file is missing or lists no files or rows
   * (a commit left without it by a killed job, or a table too large for Delta to list), and then only Delta knows.
   */
  public static java.util.List<DataFile> files(Path table) {
    long version = latest(table);
    Path crc = table.resolve("_delta_log").resolve(String.format("%020d.crc", version));
    if (version < 0 || !Files.isRegularFile(crc)) {
      return null;
    }
    try {
      JsonNode all = JSON.readTree(crc.toFile()).path("allFiles");
      if (!all.isArray()) {
        return null;
      }
      java.util.List<DataFile> out = new java.util.ArrayList<>();
      for (JsonNode f : all) {
        JsonNode rows = f.hasNonNull("stats") ? JSON.readTree(f.path("stats").asText()).path("numRecords") : null;
        if (rows == null || !rows.canConvertToLong()) {
          return null;
        }
        out.add(new DataFile(dataFile(table, f), rows.asLong(),
            f.path("modificationTime").asLong()));
      }
      out.sort(java.util.Comparator.comparingLong(DataFile::modificationTime).thenComparing(DataFile::path));
      return out;
    } catch (IOException e) {
      throw new BeaconException("Cannot read the Delta checksum file " + crc + ": " + e.getMessage() + ".", e);
    }
  }

  /** The commit at a version, or null when its file is gone (the log keeps its retention) or it has no commitInfo. */
  public static Commit at(Path table, long version) {
    Path file = table.resolve("_delta_log").resolve(String.format("%020d.json", version));
    try (Stream<String> lines = Files.lines(file)) {
      return lines.map(DeltaCommits::tree).map(n -> n.path("commitInfo")).filter(n -> !n.isMissingNode()).findFirst()
          .map(info -> new Commit(version, info.path("timestamp").asLong(), info.path("operation").asText(),
              info.hasNonNull("userMetadata") ? info.path("userMetadata").asText() : null,
              outputRows(info.path("operationMetrics"))))
          .orElse(null);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new BeaconException("Cannot read the Delta commit " + file + ": " + e.getMessage() + ".", e);
    }
  }

  /** The latest commit that wrote data (not a comment, property or constraint), or null when none is left in the log. */
  public static Commit lastData(Path table) {
    for (long v = latest(table); v >= 0; v--) {
      Commit c = at(table, v);
      if (c == null) {
        return null;
      }
      if (!METADATA_ONLY.contains(c.operation())) {
        return c;
      }
    }
    return null;
  }

  /**
   * The partitions that the commits after {@code version} up to the latest added files to or removed files from, as
   * each partition column's values; null when that cannot be told from the log: a commit file is gone, or a file
   * added or removed has no partition values (the table is not partitioned) or a null one.
   */
  public static java.util.Map<String, Set<String>> touchedPartitions(Path table, long version) {
    java.util.List<JsonNode> actions = actionsSince(table, version);
    if (actions == null) {
      return null;
    }
    java.util.Map<String, Set<String>> out = new java.util.TreeMap<>();
    for (JsonNode action : actions) {
      for (String kind : java.util.List.of("add", "remove")) {
        JsonNode values = action.path(kind).path("partitionValues");
        if (action.has(kind) && (!values.isObject() || values.isEmpty())) {
          return null;
        }
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) values::fields) {
          if (e.getValue().isNull()) {
            return null;
          }
          out.computeIfAbsent(e.getKey(), k -> new java.util.TreeSet<>()).add(e.getValue().asText());
        }
      }
    }
    return out;
  }

  /**
   * The values of {@code column} in the files that the commits after {@code version} up to the latest appended, read
   * from each file's statistics, where a file holding one value has it as both minimum and maximum: no data is read.
   * Null when the log cannot tell: a commit file is gone, a commit removed files (the table was not only appended
   * to), or a file's statistics lack the column, hold more than one value, or may hold it cut short (Delta keeps the
   * first 32 characters of a string).
   */
  public static Set<String> appendedValues(Path table, long version, String column) {
    java.util.List<JsonNode> actions = actionsSince(table, version);
    if (actions == null) {
      return null;
    }
    Set<String> out = new java.util.TreeSet<>();
    for (JsonNode action : actions) {
      if (action.has("remove")) {
        return null;
      }
      if (action.has("add")) {
        String stats = action.path("add").path("stats").asText("");
        if (stats.isEmpty()) {
          return null;
        }
        JsonNode parsed = tree(stats);
        JsonNode min = parsed.path("minValues").path(column);
        JsonNode max = parsed.path("maxValues").path(column);
        if (!min.isTextual() || !min.equals(max) || min.asText().length() >= 32) {
          return null;
        }
        out.add(min.asText());
      }
    }
    return out;
  }

  /** Data files that commits added and removed: paths within the table folder. */
  public record FileChanges(java.util.List<Path> added, java.util.List<Path> removed) {}

  /**
   * The data files that the commits after {@code version} up to the latest added and removed, less those both added
   * and removed in that span: the rows of the removed files are the rows the table lost since, those of the added
   * files the rows it gained (a rewritten file counts as both). Null when the log cannot tell: a commit file is gone,
   * a file has a deletion vector (its rows are not all live), or a removed file is no longer on disk (vacuumed).
   */
  public static FileChanges fileChanges(Path table, long version) {
    java.util.List<JsonNode> actions = actionsSince(table, version);
    if (actions == null) {
      return null;
    }
    Set<Path> added = new java.util.LinkedHashSet<>();
    Set<Path> removed = new java.util.LinkedHashSet<>();
    for (JsonNode action : actions) {
      for (String kind : java.util.List.of("add", "remove")) {
        JsonNode file = action.path(kind);
        if (!file.isObject()) {
          continue;
        }
        if (file.hasNonNull("deletionVector")) {
          return null;
        }
        Path path = dataFile(table, file);
        if (kind.equals("add")) {
          added.add(path);
        } else if (!added.remove(path)) {
          removed.add(path);
        }
      }
    }
    if (!removed.stream().allMatch(Files::isRegularFile)) {
      return null;
    }
    return new FileChanges(java.util.List.copyOf(added), java.util.List.copyOf(removed));
  }

  /** Where a file the log lists lies: its path is a URI relative to the table folder (partition folders escaped). */
  private static Path dataFile(Path table, JsonNode file) {
    return table.resolve(java.net.URI.create(file.path("path").asText()).getPath());
  }

  /** Every action of the commits after {@code version} up to the latest, in order; null when a commit file is gone. */
  private static java.util.List<JsonNode> actionsSince(Path table, long version) {
    java.util.List<JsonNode> out = new java.util.ArrayList<>();
    for (long v = version + 1, last = latest(table); v <= last; v++) {
      Path file = table.resolve("_delta_log").resolve(String.format("%020d.json", v));
      try (Stream<String> lines = Files.lines(file)) {
        lines.map(DeltaCommits::tree).forEach(out::add);
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw new BeaconException("Cannot read the Delta commit " + file + ": " + e.getMessage() + ".", e);
      }
    }
    return out;
  }

  private static JsonNode tree(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new BeaconException("A Delta commit holds a line that is not JSON: " + e.getMessage() + ".", e);
    }
  }
}
