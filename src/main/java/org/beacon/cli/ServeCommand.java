package org.beacon.cli;

import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.sql.SqlServer;

/** `beacon serve`: the SQL endpoint until the process is told to stop (SIGTERM, SIGINT). */
final class ServeCommand {
  private ServeCommand() {}

  static void run(Settings settings) {
    SparkSession spark = SparkSessions.open(settings);
    SqlServer server = SqlServer.start(spark, settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("beacon serve: stopping");
      server.close();
      spark.stop();
      stopped.countDown();
    }, "beacon-serve-stop"));
    System.out.println(server.url());
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
