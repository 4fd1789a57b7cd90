package org.beacon.cli;

import java.util.List;
import org.beacon.ops.Vacuum;
import org.beacon.runtime.Settings;

/** `beacon vacuum`: deletes the data files no version within the retention reads; prints files deleted per table. */
final class VacuumCommand extends Command {
  VacuumCommand() {
    super("vacuum", true, List.of(Option.FORMAT),
        "vacuum   [--format table|csv]                             delete data files older than the retention",
        "         that no kept version reads (beacon.retention; every table keeps its versions that long)");
  }

  @Override
  int run(Args args, Settings settings) {
    Jobs.withSpark(settings, args.job(this), spark -> Output.print(System.out, args.format(),
        List.of("table", "version", "files_deleted"), Vacuum.run(spark, settings).stream()
            .map(r -> List.<Object>of(r.table(), r.version(), r.filesDeleted())).toList()));
    return 0;
  }
}
