package org.beacon.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import org.beacon.stats.Wilson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the one Spark session a job uses: Delta, the lakehouse catalog and Beacon's SQL functions. */
public final class SparkSessions {
  private static final Logger LOG = LoggerFactory.getLogger(SparkSessions.class);

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
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.shuffle.partitions", String.valueOf(settings.shufflePartitions()))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.debug.maxToStringFields", "500")
        .config("spark.sql.warehouse.dir", lakehouse.resolve("_catalog/warehouse").toUri().toString())
        .enableHiveSupport();
    if (settings.catalogType().equals("external")) {
      builder.config("spark.hadoop.hive.metastore.uris", settings.metastoreUri());
    } else {
      String url = "jdbc:derby:;databaseName=" + lakehouse.resolve("_catalog/metastore_db") + ";create=true";
      builder.config("spark.hadoop.javax.jdo.option.ConnectionURL", url);
    }
    settings.sparkConf().forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    registerFunctions(spark);
    Tables.registerLakehouse(spark, settings);
    LOG.info("Spark {} session on {} over lakehouse {}", spark.version(), settings.sparkMaster(), lakehouse);
    return spark;
  }

  /** SQL functions available in every Beacon session (and so in `beacon sql`). */
  public static void registerFunctions(SparkSession spark) {
    // Java UDFs get no implicit input casts, so accept any numeric type (int, bigint, decimal, double).
    spark.udf().register("wilson_lower", (UDF3<Object, Object, Object, Double>) (x, n, c) ->
        x == null || n == null || c == null ? null : Wilson.lower(number(x), number(n), number(c)), DataTypes.DoubleType);
    spark.udf().register("wilson_upper", (UDF3<Object, Object, Object, Double>) (x, n, c) ->
        x == null || n == null || c == null ? null : Wilson.upper(number(x), number(n), number(c)), DataTypes.DoubleType);
  }

  private static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("wilson_lower and wilson_upper take numbers, not '" + value + "'.");
  }
}
