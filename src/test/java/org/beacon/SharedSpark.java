package org.beacon;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.runtime.SqlFunctions;

/**
 * One Spark session per test JVM (spark-testing-base's, with Delta switched on) and its DataFrame
 * assertions. Jobs under test open "their" session with SparkSessions.open, which finds this one.
 */
public final class SharedSpark {
  private static final JavaDataFrameSuiteBase BASE = new JavaDataFrameSuiteBase() {
    @Override
    public SparkConf conf() {
      return super.conf()
          .setMaster("local[2]")
          .set("spark.sql.extensions", SparkSessions.EXTENSIONS)
          .set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .set("spark.databricks.delta.snapshotPartitions", "2")
          .set("spark.databricks.delta.skipRecordingEmptyCommits", "false")
          .set("spark.sql.shuffle.partitions", "2")
          .set("spark.sql.session.timeZone", "UTC")
          .set("spark.sql.legacy.timeParserPolicy", "CORRECTED")
          .set("spark.ui.enabled", "false")
          .setAll(scala.collection.JavaConverters.mapAsScalaMap(SparkSessions.LOCAL_FILES));
    }
  };
  private static boolean started;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (!started) {
      BASE.runBefore();
      SqlFunctions.register(BASE.spark());
      started = true;
    }
    return BASE.spark();
  }

  /** spark-testing-base's assertions (assertDataFrameApproximateEquals and friends). */
  public static JavaDataFrameSuiteBase assertions() {
    session();
    return BASE;
  }

  /** Settings for a lakehouse in a fresh temporary folder, the shared session started (jobs then find it). */
  public static Settings settings(Map<String, ?> overrides) {
    session();
    try {
      Path dir = Files.createTempDirectory("beacon-test-");
      return Settings.load(Map.of("beacon.lakehouse", dir.toString(), "beacon.spark.master", "local[2]",
          "beacon.spark.shuffle-partitions", 2)).with(overrides);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
