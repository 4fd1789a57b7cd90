package org.beacon.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the one Spark session a job uses: Delta, the lakehouse catalog and Beacon's SQL functions. */
public final class SparkSessions {
  private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

  /** Delta's SQL, and the read-only guard of the SQL endpoint (idle unless `beacon serve` turns it on). */
  public static final String EXTENSIONS = "io.delta.sql.DeltaSparkSessionExtension,org.beacon.sql.EndpointGuard";

  /** Local files' permissions and links through java.nio, not a chmod, readlink or ls process per file. */
  public static final java.util.Map<String, String> LOCAL_FILES = java.util.Map.of(
      "spark.hadoop.fs.file.impl", NioLocalFileSystem.class.getName(),
      "spark.hadoop.fs.AbstractFileSystem.file.impl", NioLocalFileSystem.Fs.class.getName());

  private static final String PRIVATE_CATALOG = "jdbc:derby:memory:beacon-";

  private SparkSessions() {}

  public static SparkSession open(Settings settings) {
    Path lakehouse = settings.lakehouse();
    try {
      Files.createDirectories(lakehouse.resolve("_catalog"));
    } catch (java.io.IOException e) {
      throw new BeaconException("Cannot create the lakehouse folder " + lakehouse + ": " + e.getMessage() + ".", e);
    }
    // Derby writes derby.log into the working directory unless told otherwise.
    System.setProperty("derby.stream.error.file", lakehouse.resolve("_catalog/derby.log").toString());
    SparkSession.Builder builder = SparkSession.builder()
        .master(settings.sparkMaster())
        .appName(settings.appName())
        .config("spark.sql.extensions", EXTENSIONS)
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        // Record commits that add no rows too: their lineage says an empty table is up to date.
        .config("spark.databricks.delta.skipRecordingEmptyCommits", "false")
        .config("spark.sql.shuffle.partitions", String.valueOf(settings.shufflePartitions()))
        .config("spark.sql.session.timeZone", "UTC")
        // A malformed date in a delivery is null (and its row quarantined), never Spark's cross-version error.
        .config("spark.sql.legacy.timeParserPolicy", "CORRECTED")
        .config("spark.ui.enabled", "false")
        // Spark's progress bar within a step, where a person watches a terminal; never in logs or tests.
        .config("spark.ui.showConsoleProgress", String.valueOf(System.console() != null))
        .config("spark.sql.debug.maxToStringFields", "500")
        .config("spark.sql.warehouse.dir", lakehouse.resolve("_catalog/warehouse").toUri().toString())
        .enableHiveSupport();
    Path privateSchemas = null;
    String service = settings.catalogType().equals("external") ? settings.metastoreUri() : MetastoreService.running(lakehouse);
    if (service != null) {
      builder.config("spark.hadoop.hive.metastore.uris", service);
      LOG.info("Catalog: the metastore service at {}", service);
    } else {
      String url = embeddedCatalogUrl(lakehouse.resolve("_catalog/metastore_db"));
      builder.config("spark.hadoop.javax.jdo.option.ConnectionURL", url);
      if (url.startsWith(PRIVATE_CATALOG)) {
        privateSchemas = privateSchemaFolder();
      }
    }
    LOCAL_FILES.forEach(builder::config);
    settings.sparkConf().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    SqlFunctions.register(spark);
    Catalog.registerLakehouse(spark, settings, privateSchemas);
    LOG.info("Spark {} session on {} over lakehouse {}", spark.version(), settings.sparkMaster(), lakehouse);
    return spark;
  }

  /**
   * Where a private catalog's schemas live: a folder of this process's, removed when it exits. The metastore
   * creates and deletes a placeholder folder in a table's schema folder for every table it registers, so two
   * processes registering the lakehouse's tables in its own schema folders at once delete each other's.
   */
  private static Path privateSchemaFolder() {
    try {
      Path dir = Files.createTempDirectory("beacon-catalog-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
          // Left in the temporary folder: empty folders only.
        }
      }));
      return dir;
    } catch (java.io.IOException e) {
      throw new BeaconException("Cannot create a temporary folder for the private catalog: " + e.getMessage() + ".", e);
    }
  }

  /**
   * The embedded Derby catalog inside the lakehouse, or, when another process has it open (embedded
   * Derby admits one process at a time), a private in-memory catalog for this process. Either way every
   * table is registered from the lakehouse folders at start-up, so names resolve the same; only objects
   * that live solely in the catalog (an analyst's own views) are private to this process then.
   */
  static String embeddedCatalogUrl(Path database) {
    String url = "jdbc:derby:;databaseName=" + database + ";create=true";
    try (Connection ignored = DriverManager.getConnection(url)) {
      return url;
    } catch (SQLException e) {
      // SQLException iterates over its chained exceptions and their causes; Derby puts XSDB6 there.
      for (Throwable t : e) {
        if (t instanceof SQLException s && "XSDB6".equals(s.getSQLState())) {
          LOG.warn("The catalog {} is open in another Beacon process; this process uses a private catalog "
              + "registered from the same lakehouse folders", database);
          return PRIVATE_CATALOG + ProcessHandle.current().pid() + ";create=true";
        }
      }
      throw new BeaconException("Cannot open the catalog " + database + ": " + e.getMessage() + ".", e);
    }
  }
}
