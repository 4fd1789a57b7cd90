package org.beacon.cli;

import java.util.List;
import org.beacon.runtime.MetastoreService;
import org.beacon.runtime.Settings;

/** `beacon metastore`: the lakehouse's catalog as a service every Beacon process shares, until SIGTERM or SIGINT. */
final class MetastoreCommand extends Command {
  MetastoreCommand() {
    super("metastore", false, List.of(Option.value("--port").checked(v -> v.matches("\\d{1,5}") ? null
        : "--port needs a TCP port number, not '" + v + "'.").sets("beacon.catalog.service.port"),
        Option.value("--host").sets("beacon.catalog.service.host")),
        "metastore [--port N] [--host H]                           the catalog as a Hive metastore service (default",
        "         127.0.0.1:9083): while it runs, every process on the lakehouse shares its tables and views; SIGTERM stops it");
  }

  @Override
  int run(Args args, Settings settings) {
    MetastoreService service = MetastoreService.start(settings);
    Jobs.serveUntilStopped("metastore", service.uri(), service::close);
    return 0;
  }
}
