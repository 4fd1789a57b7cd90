package org.beacon.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every setting Beacon reads, loaded once and validated at start-up. A wrong key fails here with a
 * sentence naming it, never later inside a job.
 */
public final class Settings {
  private final Config config;
  private final Path lakehouse;
  private final String sparkMaster;
  private final String appName;
  private final int shufflePartitions;
  private final Map<String, String> sparkConf;
  private final String catalogType;
  private final String metastoreUri;
  private final String metastoreHost;
  private final int metastorePort;
  private final int minCellSize;
  private final String pseudonymKey;
  private final java.time.Duration lockWait;
  private final Ingest ingest;
  private final Quality quality;
  private final java.time.Duration logRetention;
  private final java.time.Duration deletedFileRetention;
  private final double confidence;
  private final String interval;
  private final Map<String, Map<String, String>> scales;
  /** The features' settings, each read and validated by its own {@link Section}, by type. */
  private final Map<Class<?>, Object> sections = new java.util.HashMap<>();
  private final Set<Class<?>> reading = new java.util.HashSet<>();

  private Settings(Config root) {
    this.config = root;
    Config b = root.getConfig("beacon");
    rejectUnknownKeys(b);
    this.lakehouse = Path.of(nonBlank(b, "lakehouse")).toAbsolutePath().normalize();
    this.sparkMaster = nonBlank(b, "spark.master");
    this.appName = nonBlank(b, "spark.app-name");
    this.shufflePartitions = positive(b, "spark.shuffle-partitions");
    this.sparkConf = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : b.getConfig("spark.conf").entrySet()) {
      sparkConf.put(e.getKey().replace("\"", ""), String.valueOf(e.getValue().unwrapped()));
    }
    this.catalogType = oneOf(b, "catalog.type", Set.of("embedded-derby", "external"));
    this.metastoreUri = b.getString("catalog.metastore-uri");
    this.metastoreHost = b.getString("catalog.service.host");
    this.metastorePort = b.getInt("catalog.service.port");
    if (metastorePort < 0 || metastorePort > 65535) {
      throw new SettingsException("beacon.catalog.service.port must be a TCP port (0 for any free one), not " + metastorePort + ".");
    }
    if (catalogType.equals("external") && metastoreUri.isBlank()) {
      throw new SettingsException("beacon.catalog.metastore-uri must be set when beacon.catalog.type is external.");
    }
    this.minCellSize = positive(b, "privacy.min-cell-size");
    this.pseudonymKey = nonBlank(b, "privacy.pseudonym-key");
    if (pseudonymKey.length() < 16) {
      throw new SettingsException("beacon.privacy.pseudonym-key is too short to keep respondent ids secret: use 16 characters or more"
          + " (a random 32-byte key, e.g. from `openssl rand -hex 32`).");
    }
    String fallback = b.getString("ingest.fallback-encoding");
    if (!fallback.isEmpty() && !java.nio.charset.Charset.isSupported(fallback)) {
      throw new SettingsException("beacon.ingest.fallback-encoding names no encoding this Java knows: '" + fallback + "'.");
    }
    this.ingest = new Ingest(oneOf(b, "ingest.schema-drift", Set.of("fail", "quarantine", "evolve")), fallback);
    this.quality = new Quality(b.getDouble("quality.max-row-decrease"), b.getDouble("quality.max-row-increase"));
    if (!(quality.maxRowDecrease() >= 0 && quality.maxRowDecrease() <= 1)) {
      throw new SettingsException("beacon.quality.max-row-decrease is a share of the rows replaced, from 0 to 1, not "
          + quality.maxRowDecrease() + ".");
    }
    if (!(quality.maxRowIncrease() >= 0)) {
      throw new SettingsException("beacon.quality.max-row-increase must not be negative, not " + quality.maxRowIncrease() + ".");
    }
    this.lockWait = b.getDuration("jobs.lock-wait");
    if (lockWait.isNegative()) {
      throw new SettingsException("beacon.jobs.lock-wait must not be negative, not " + lockWait + ".");
    }
    this.logRetention = atLeastAWeek(b, "retention.log");
    this.deletedFileRetention = atLeastAWeek(b, "retention.deleted-files");
    this.confidence = b.getDouble("estimates.confidence");
    if (!(confidence > 0 && confidence < 1)) {
      throw new SettingsException("beacon.estimates.confidence must lie strictly between 0 and 1, not " + confidence + ".");
    }
    this.interval = oneOf(b, "estimates.interval", Set.of("wilson", "clopper-pearson"));
    this.scales = new LinkedHashMap<>();
    for (String scale : b.getObject("scales").keySet()) {
      Map<String, String> labels = new LinkedHashMap<>();
      b.getObject("scales").toConfig().getObject(quote(scale)).unwrapped()
          .forEach((label, code) -> labels.put(label, String.valueOf(code)));
      scales.put(scale, labels);
    }
    // Every feature's settings are read now, so a wrong value stops the process at start-up, never inside a job.
    SECTIONS.forEach(section -> section(section.type()));
  }

  /**
   * A feature's settings: read from the beacon config (and other sections it depends on) and validated, once per
   * Settings. Features provide theirs through java.util.ServiceLoader (META-INF/services), so the platform's settings
   * know no feature and every feature's are validated at start-up.
   */
  public interface Section<T> {
    Class<T> type();

    T read(Settings settings, Config beacon);

    /**
     * Paths under beacon whose keys the user names (source ids, cell names, targets): the keys below them are not
     * checked against reference.conf's.
     */
    default List<String> freeFormPaths() {
      return List.of();
    }
  }

  /** A section given by its type and how it is read: a feature's provider is one constructor line. */
  public abstract static class SectionOf<T> implements Section<T> {
    private final Class<T> type;
    private final java.util.function.BiFunction<Settings, Config, T> reader;
    private final List<String> freeFormPaths;

    protected SectionOf(Class<T> type, java.util.function.BiFunction<Settings, Config, T> reader, String... freeFormPaths) {
      this.type = type;
      this.reader = reader;
      this.freeFormPaths = List.of(freeFormPaths);
    }

    @Override
    public List<String> freeFormPaths() {
      return freeFormPaths;
    }

    @Override
    public Class<T> type() {
      return type;
    }

    @Override
    public T read(Settings settings, Config beacon) {
      return reader.apply(settings, beacon);
    }
  }

  private static final List<Section<?>> SECTIONS = java.util.ServiceLoader.load(Section.class).stream()
      .<Section<?>>map(p -> p.get()).toList();

  /** The feature's settings of that type (a section reads the sections it depends on through this, too). */
  public synchronized <T> T section(Class<T> type) {
    Object done = sections.get(type);
    if (done != null) {
      return type.cast(done);
    }
    Section<?> section = SECTIONS.stream().filter(x -> x.type().equals(type)).findFirst()
        .orElseThrow(() -> new IllegalStateException("No settings section provides " + type.getName() + " (META-INF/services)."));
    if (!reading.add(type)) {
      throw new IllegalStateException("Settings sections depend on each other in a circle through " + type.getName() + ".");
    }
    try {
      T value = type.cast(section.read(this, config.getConfig("beacon")));
      sections.put(type, value);
      return value;
    } finally {
      reading.remove(type);
    }
  }

  /** Loads reference.conf, the file named by -Dconfig.file (the launcher's conf/local.conf) and overrides. */
  public static Settings load(Map<String, ?> overrides) {
    ConfigFactory.invalidateCaches();
    return from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()));
  }

  public static Settings from(Config config) {
    try {
      Config resolved = config.resolve();
      resolved.checkValid(ConfigFactory.defaultReference(), "beacon");
      return new Settings(resolved);
    } catch (ConfigException e) {
      throw new SettingsException("The configuration is invalid: " + e.getMessage() + ".", e);
    }
  }

  /** Returns a copy with the given keys replaced, validated again. */
  public Settings with(Map<String, ?> overrides) {
    return from(ConfigFactory.parseMap(overrides).withFallback(config));
  }

  public Path lakehouse() { return lakehouse; }
  public Path landing() { return lakehouse.resolve("landing"); }
  public String sparkMaster() { return sparkMaster; }
  public String appName() { return appName; }
  public int shufflePartitions() { return shufflePartitions; }
  public Map<String, String> sparkConf() { return sparkConf; }
  public String catalogType() { return catalogType; }
  public String metastoreUri() { return metastoreUri; }
  public String metastoreHost() { return metastoreHost; }
  public int metastorePort() { return metastorePort; }
  public int minCellSize() { return minCellSize; }
  public String pseudonymKey() { return pseudonymKey; }
  /** How landing files that differ from what is configured are read. */
  public record Ingest(String schemaDrift, String fallbackEncoding) {}

  public Ingest ingest() { return ingest; }
  /** The quality gates' tolerances for the change in a table's row count (see QualityGate). */
  public record Quality(double maxRowDecrease, double maxRowIncrease) {}

  public Quality quality() { return quality; }
  /** How long a writing job waits for another one on the same lakehouse (see LakehouseLock). */
  public java.time.Duration lockWait() { return lockWait; }
  /** How long every table keeps its log (delta.logRetentionDuration): the versions time travel can reach. */
  public java.time.Duration logRetention() { return logRetention; }
  /** How long removed data files stay (delta.deletedFileRetentionDuration): what vacuum leaves readable. */
  public java.time.Duration deletedFileRetention() { return deletedFileRetention; }
  public double confidence() { return confidence; }
  /** The interval method for proportions: wilson or clopper-pearson. */
  public String interval() { return interval; }
  /** Every answer scale (beacon.scales) by name. */
  public Map<String, Map<String, String>> scales() { return java.util.Collections.unmodifiableMap(scales); }
  /** An answer scale: label as delivered -> code. */
  public Map<String, String> scale(String name) {
    Map<String, String> scale = scales.get(name);
    if (scale == null) {
      throw new SettingsException("beacon.scales." + name + " is not defined.");
    }
    return scale;
  }

  /** A fingerprint of every setting that shapes table content (not where or how Spark runs, nor extracts). */
  public String fingerprint() {
    Config b = config.getConfig("beacon").withoutPath("lakehouse").withoutPath("spark").withoutPath("catalog")
        .withoutPath("generate").withoutPath("extracts").withoutPath("serve").withoutPath("jobs").withoutPath("retention")
        // How files are read into bronze: bronze is append-only, and what is built from it depends on its rows alone.
        .withoutPath("ingest")
        // Gates decide whether a table is published, never what it holds.
        .withoutPath("quality");
    String rendered = b.root().render(com.typesafe.config.ConfigRenderOptions.concise().setJson(true));
    return Checksums.sha256(rendered).substring(0, 16);
  }

  /** Keys under beacon that reference.conf does not know are almost always typos: refuse them. */
  private static void rejectUnknownKeys(Config b) {
    // reference.conf as written: defaultReference() also holds -Dbeacon.* system properties, which would hide a misspelt one.
    Config reference = ConfigFactory.parseResources(Settings.class.getClassLoader(), "reference.conf").resolve().getConfig("beacon");
    Set<String> unknown = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : b.entrySet()) {
      String key = e.getKey();
      boolean freeForm = key.startsWith("spark.conf.") || key.startsWith("scales.")
          || SECTIONS.stream().flatMap(s -> s.freeFormPaths().stream()).anyMatch(path -> key.startsWith(path + "."));
      if (!freeForm && !reference.hasPathOrNull(key)) {
        unknown.add("beacon." + key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new SettingsException("Unknown configuration key(s) " + unknown + ": check the spelling against reference.conf.");
    }
  }

  /** Quotes one key for a path: scale labels and source ids may hold spaces or dots. */
  public static String quote(String key) {
    return ConfigUtil.joinPath(key);
  }

  private static String nonBlank(Config c, String key) {
    String v = c.getString(key);
    if (v.isBlank()) {
      throw new SettingsException("beacon." + key + " must not be blank.");
    }
    return v;
  }

  private static int positive(Config c, String key) {
    int v = c.getInt(key);
    if (v <= 0) {
      throw new SettingsException("beacon." + key + " must be a positive whole number, not " + v + ".");
    }
    return v;
  }

  /** Delta's own floor for retention: vacuum refuses less than 7 days, which protects jobs still reading old files. */
  private static java.time.Duration atLeastAWeek(Config c, String key) {
    java.time.Duration v = c.getDuration(key);
    if (v.compareTo(java.time.Duration.ofDays(7)) < 0) {
      throw new SettingsException("beacon." + key + " must be at least 7 days, not " + v.toHours() + " hours.");
    }
    return v;
  }

  private static String oneOf(Config c, String key, Set<String> allowed) {
    String v = c.getString(key);
    if (!allowed.contains(v)) {
      throw new SettingsException("beacon." + key + " must be one of " + new TreeSet<>(allowed) + ", not '" + v + "'.");
    }
    return v;
  }

  /** Reads a required value, turning Typesafe's exception into one sentence naming the key. */
  public static <T> T read(String path, Function<String, T> reader, String key) {
    try {
      return reader.apply(key);
    } catch (ConfigException e) {
      throw new SettingsException(path + "." + key + ": " + e.getMessage() + ".", e);
    }
  }
}
