package org.beacon.geography;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Checksums;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONS geography lookups, as the Open Geography Portal publishes them, into silver.reference__ons_geography: one row
 * per LSOA with its ward, local authority district, community safety partnership and police force area. Two files:
 * LSOA → ward → local authority (LSOAyyCD, LSOAyyNM, WDyyCD, WDyyNM, …, LADyyCD, LADyyNM) and local authority →
 * CSP → police force area (LADyyCD, LADyyNM, CSPyyCD, CSPyyNM, PFAyyCD, PFAyyNM), recognised by their headers
 * whatever the vintage year in the names. Beacon ships the 2011 LSOA / 2017 lookups (Open Government Licence v3.0)
 * and reads them when no folder is given.
 */
public final class OnsGeography {
  private static final Logger LOG = LoggerFactory.getLogger(OnsGeography.class);
  public static final TableName SILVER_ONS_GEOGRAPHY = new TableName("silver", "reference__ons_geography");
  public static final StructType SCHEMA = StructType.fromDDL("lsoa_code STRING, lsoa_name STRING, ward_code STRING, "
      + "ward_name STRING, local_authority_code STRING, local_authority_name STRING, csp_code STRING, csp_name STRING, "
      + "pfa_code STRING, pfa_name STRING, police_uk_force STRING");
  private static final List<String> BUNDLED = List.of("LSOA11_WD17_LAD17_EW_LU.csv", "LAD17_CSP17_PFA17_EW_LU.csv");
  private static final Pattern CODE = Pattern.compile("[EWSNKJ][0-9]{8}");
  /** data.police.uk names two forces otherwise than the ONS names their areas. */
  private static final Map<String, String> FORCE_OF_AREA = Map.of("london-city-of", "city-of-london",
      "metropolitan-police", "metropolitan");

  private OnsGeography() {}

  /** A delivered lookup file: its name (for lineage and errors), content and checksum. */
  private record Source(String name, byte[] content, String checksum) {}

  /** Ingests the lookups in {@code dir}, or Beacon's own copy when dir is null; unchanged lookups are not rewritten. */
  public static void ingest(SparkSession spark, Settings settings, Path dir) {
    List<Source> sources = dir == null ? bundled() : delivered(dir);
    Lineage lineage = Lineage.of(settings);
    for (Source s : sources) {
      lineage = lineage.file(s.name(), s.checksum());
    }
    Tables.replace(spark, settings, SILVER_ONS_GEOGRAPHY, lineage, () -> {
      List<Row> rows = rows(sources);
      LOG.info("{}: {} LSOAs from {}", SILVER_ONS_GEOGRAPHY, rows.size(), sources.stream().map(Source::name).toList());
      return spark.createDataFrame(rows, SCHEMA);
    });
  }

  /** The lookups in {@code dir} (Beacon's own copy when null), one row per LSOA in {@link #SCHEMA}'s columns. */
  static List<Row> read(Path dir) {
    return rows(dir == null ? bundled() : delivered(dir));
  }

  /** One row per LSOA, the two files joined on the local authority; every fault names the file, row and field. */
  private static List<Row> rows(List<Source> sources) {
    Source lsoaFile = null;
    Source ladFile = null;
    Map<Source, List<String[]>> parsed = new LinkedHashMap<>();
    for (Source s : sources) {
      List<String[]> all = parse(s);
      String header = String.join(",", all.get(0)).toUpperCase(Locale.ROOT);
      if (header.matches(".*LSOA[0-9]{2}CD.*") && header.matches(".*LAD[0-9]{2}CD.*")) {
        lsoaFile = s;
      } else if (header.matches(".*LAD[0-9]{2}CD.*") && header.matches(".*PFA[0-9]{2}CD.*")) {
        ladFile = s;
      } else {
        LOG.info("{} is neither an LSOA → ward → local authority nor a local authority → CSP → police force area lookup; "
            + "left alone", s.name());
        continue;
      }
      parsed.put(s, all);
    }
    if (lsoaFile == null || ladFile == null) {
      throw new BeaconException("The ONS geography needs two lookups: LSOA → ward → local authority (columns LSOAyyCD, "
          + "WDyyCD, LADyyCD …) and local authority → community safety partnership → police force area (LADyyCD, CSPyyCD, "
          + "PFAyyCD …); " + (lsoaFile == null ? "no file holds the first" : "no file holds the second") + " among "
          + sources.stream().map(Source::name).toList() + ".");
    }
    Map<String, String[]> areas = new LinkedHashMap<>();
    Table lad = new Table(ladFile, parsed.get(ladFile), List.of("LAD", "CSP", "PFA"));
    for (int i = 1; i < lad.rows.size(); i++) {
      String code = lad.code(i, "LAD");
      if (areas.put(code, new String[] {lad.code(i, "CSP"), lad.name(i, "CSP"), lad.code(i, "PFA"), lad.name(i, "PFA")}) != null) {
        throw lad.fault(i, "LAD", "'" + code + "' is listed twice");
      }
    }
    Table lsoa = new Table(lsoaFile, parsed.get(lsoaFile), List.of("LSOA", "WD", "LAD"));
    Map<String, Row> out = new LinkedHashMap<>();
    for (int i = 1; i < lsoa.rows.size(); i++) {
      String code = lsoa.code(i, "LSOA");
      String[] area = areas.get(lsoa.code(i, "LAD"));
      if (area == null) {
        throw lsoa.fault(i, "LAD", "'" + lsoa.code(i, "LAD") + "' is not in " + ladFile.name());
      }
      if (out.put(code, RowFactory.create(code, lsoa.name(i, "LSOA"), lsoa.code(i, "WD"), lsoa.name(i, "WD"), lsoa.code(i, "LAD"),
          lsoa.name(i, "LAD"), area[0], area[1], area[2], area[3], forceOf(area[3]))) != null) {
        throw lsoa.fault(i, "LSOA", "'" + code + "' is listed twice");
      }
    }
    return List.copyOf(out.values());
  }

  /** The data.police.uk force slug of a police force area's ONS name ("London, City of" -> city-of-london). */
  public static String forceOf(String areaName) {
    String slug = areaName.toLowerCase(Locale.ROOT).replace("&", "and").replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return FORCE_OF_AREA.getOrDefault(slug, slug);
  }

  /** A parsed lookup with its code and name columns found by prefix (LSOA11CD, WD17NM …). */
  private static final class Table {
    private final Source source;
    private final List<String[]> rows;
    private final Map<String, Integer> columns = new LinkedHashMap<>();

    Table(Source source, List<String[]> rows, List<String> prefixes) {
      this.source = source;
      this.rows = rows;
      String[] header = rows.get(0);
      for (String p : prefixes) {
        for (String kind : List.of("CD", "NM")) {
          for (int c = 0; c < header.length; c++) {
            if (header[c] != null && header[c].trim().toUpperCase(Locale.ROOT).matches(p + "[0-9]{2}" + kind)) {
              columns.put(p + kind, c);
            }
          }
          if (!columns.containsKey(p + kind)) {
            throw new BeaconException("The ONS lookup " + source.name() + " has no " + p + "yy" + kind + " column (its header: "
                + String.join(",", header) + ").");
          }
        }
      }
    }

    String code(int row, String prefix) {
      String v = value(row, prefix + "CD");
      if (!CODE.matcher(v).matches()) {
        throw fault(row, prefix, "'" + v + "' is not a GSS code (a letter and eight digits)");
      }
      return v;
    }

    String name(int row, String prefix) {
      String v = value(row, prefix + "NM");
      if (v.isEmpty()) {
        throw fault(row, prefix, "the name is empty");
      }
      return v;
    }

    private String value(int row, String column) {
      String[] r = rows.get(row);
      int c = columns.get(column);
      return c < r.length && r[c] != null ? r[c].trim() : "";
    }

    BeaconException fault(int row, String prefix, String what) {
      String[] header = rows.get(0);
      return new BeaconException("The ONS lookup " + source.name() + " row " + (row + 1) + ", field "
          + header[columns.get(prefix + "CD")].trim() + ": " + what + ".");
    }
  }

  private static List<String[]> parse(Source s) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.setLineSeparatorDetectionEnabled(true);
    settings.setMaxCharsPerColumn(4096);
    try (Reader in = new InputStreamReader(new ByteArrayInputStream(s.content()), StandardCharsets.UTF_8)) {
      List<String[]> rows = new CsvParser(settings).parseAll(in);
      if (rows.isEmpty()) {
        throw new BeaconException("The ONS lookup " + s.name() + " is empty: it has no header row.");
      }
      rows.get(0)[0] = rows.get(0)[0] == null ? "" : rows.get(0)[0].replace("\uFEFF", "");
      return rows;
    } catch (IOException e) {
      throw new BeaconException("Cannot read " + s.name() + ": " + e.getMessage() + ".", e);
    }
  }

  private static List<Source> delivered(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BeaconException("The ONS geography folder " + dir + " does not exist.");
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Source> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")).sorted().toList()) {
        out.add(source(f.getFileName().toString(), Files.readAllBytes(f)));
      }
      return out;
    } catch (IOException e) {
      throw new BeaconException("Cannot read the ONS geography folder " + dir + ": " + e.getMessage() + ".", e);
    }
  }

  private static List<Source> bundled() {
    List<Source> out = new ArrayList<>();
    for (String name : BUNDLED) {
      try (InputStream in = OnsGeography.class.getResourceAsStream("/reference/ons/" + name)) {
        if (in == null) {
          throw new IllegalStateException("Beacon's copy of " + name + " is missing from its build.");
        }
        out.add(source(name, in.readAllBytes()));
      } catch (IOException e) {
        throw new IllegalStateException("Cannot read Beacon's copy of " + name + ".", e);
      }
    }
    return out;
  }

  private static Source source(String name, byte[] content) throws IOException {
    return new Source(name, content, Checksums.sha256(new ByteArrayInputStream(content)));
  }
}
