package org.beacon.cli;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SparkSessions;
import org.beacon.sql.SqlServer;

/** `beacon serve`: the SQL endpoint until the process is told to stop (SIGTERM, SIGINT). */
final class ServeCommand extends Command {
  ServeCommand() {
    super("serve", false, List.of(Option.value("--port").checked(v -> v.matches("\\d{1,5}") ? null : "--port needs a TCP port number, not '" + v + "'.")
        .sets("beacon.serve.port"), Option.value("--host").sets("beacon.serve.host")),
        "serve    [--port N] [--host H]                            SQL endpoint (JDBC/ODBC, HiveServer2 protocol) over",
        "         the lakehouse, read-only, on 127.0.0.1 (another host needs authentication); stops on SIGTERM or Ctrl-C");
  }

  @Override
  int run(Args args, Settings settings) {
    serve(settings);
    return 0;
  }

  static void serve(Settings settings) {
    SparkSession spark = SparkSessions.open(settings);
    SqlServer server = SqlServer.start(spark, settings);
    Jobs.serveUntilStopped("serve", server.url(), () -> {
      server.close();
      spark.stop();
    });
  }
}
