package org.beacon.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs table steps in order. For each it decides, in this one place, what a run has to do:
 * <ul>
 *   <li>nothing, when a required input does not exist yet (or no input at all does);</li>
 *   <li>nothing, when the table was last written from exactly these inputs, settings and code (its lineage);</li>
 *   <li>the changed financial years only, on a scheduled run (a period given) of a step rebuilt by year, when the
 *       table's lineage differs in the versions of its delivered inputs alone: the years of their changed rows and
 *       the lookback years after them are rewritten from those years' rows and the lookback years before (for a step
 *       rebuilt per group, such as per force, only for the groups of the changed rows);</li>
 *   <li>the whole table otherwise.</li>
 * </ul>
 * Either write is one Delta commit that records the lineage ({@link Tables}).
 */
public final class StepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
  /** Tables a step could not build in this process since {@link #notBuilt} was last called. */
  private static final Map<String, String> NOT_BUILT = new java.util.LinkedHashMap<>();

  private final SparkSession spark;
  private final Settings settings;
  private final Period period;
  /** The changes of an input since a version, asked once per run whichever steps ask it. */
  private final Map<String, Increments.Changes> changedSince = new HashMap<>();

  private StepRunner(SparkSession spark, Settings settings, Period period) {
    this.spark = spark;
    this.settings = settings;
    this.period = period;
  }

  /** Runs the steps in order; a period (a scheduled run) allows rebuilding only the changed years. */
  public static void run(SparkSession spark, Settings settings, Period period, List<TableStep> steps) {
    StepRunner runner = new StepRunner(spark, settings, period);
    steps.forEach(runner::run);
  }

  private void run(TableStep step) {
    TableName out = step.output();
    List<TableStep.Input> present = present(out, step.inputs());
    if (present == null) {
      return;
    }
    Lineage lineage = lineage(present);
    Increments.Changes changed = changes(step, present, lineage);
    if (changed == null) {
      Tables.replace(spark, settings, out, lineage, () -> step.transform().apply(new Inputs(present, lineage, null)));
      return;
    }
    int lookback = step.lookbackYears().getAsInt();
    Increments.Changes written = changed.inYears(Increments.withNeighbours(changed.years(), lookback));
    LOG.info("{}: rebuilding the financial years {} only (rows changed in {}){}", out, written.years(), changed.years(),
        changed.group() == null ? "" : ", of " + changed.group() + " " + changed.groups());
    Dataset<Row> rows = step.transform().apply(new Inputs(present, lineage,
        written.inYears(Increments.withNeighbours(written.years(), -lookback))));
    Tables.replaceWhere(spark, settings, out, lineage, written.predicate(), rows.filter(written.rows()));
  }

  /**
   * The rows the step would write now, from every row of its inputs, without writing them: for a command that answers
   * from a table's definition what the table does not hold. A required input missing is an error naming it.
   */
  public static Dataset<Row> evaluate(SparkSession spark, Settings settings, TableStep step) {
    StepRunner runner = new StepRunner(spark, settings, null);
    for (TableStep.Input i : step.inputs()) {
      if (i.required() && !Tables.exists(settings, i.table())) {
        throw new BeaconException(step.output() + " cannot be computed: " + i.table() + " does not exist yet.");
      }
    }
    List<TableStep.Input> present = step.inputs().stream().filter(i -> Tables.exists(settings, i.table())).toList();
    return step.transform().apply(runner.new Inputs(present, runner.lineage(present), null));
  }

  /** Conforms a landed source's bronze rows into silver and quarantine, when bronze exists; see {@link ConformStep}. */
  public static void conform(SparkSession spark, Settings settings, Period period, ConformStep step) {
    new StepRunner(spark, settings, period).run(step);
  }

  /**
   * Skips when silver and quarantine were built from this bronze version with these references, settings and code;
   * where bronze alone changed for both (new deliveries, scheduled or not), conforms only the batches each lacks, so
   * a delivery costs what it holds, not what bronze holds; otherwise conforms all of bronze again.
   */
  private void run(ConformStep step) {
    List<TableStep.Input> inputs = new java.util.ArrayList<>(List.of(new TableStep.Input(step.bronze(), true, null)));
    inputs.addAll(step.references());
    List<TableStep.Input> present = present(step.silver(), inputs);
    if (present == null) {
      return;
    }
    Lineage lineage = lineage(present);
    String silverLineage = Tables.lineage(spark, settings, step.silver());
    String quarantineLineage = Tables.lineage(spark, settings, step.quarantine());
    if (lineage.is(silverLineage) && lineage.is(quarantineLineage)) {
      LOG.info("{} and {} are up to date with {}", step.silver(), step.quarantine(), step.bronze());
      return;
    }
    Inputs in = new Inputs(present, lineage, null);
    List<TableName> bronze = List.of(step.bronze());
    if (step.key() != null && lineage.differsOnlyIn(silverLineage, bronze) && lineage.differsOnlyIn(quarantineLineage, bronze)) {
      Increments.Delivery d = Increments.delivery(spark, settings, step.bronze(), Lineage.recordedVersion(silverLineage, step.bronze()),
          Lineage.recordedVersion(quarantineLineage, step.bronze()), step.key());
      ConformStep.Conformed c = step.conform().apply(in, d.related(), d);
      try {
        if (!d.forSilver().isEmpty() && step.mergeKey() == null) {
          Tables.add(spark, settings, step.silver(), lineage, c.silver());
        } else if (!d.forSilver().isEmpty()) {
          Tables.merge(spark, settings, step.silver(), lineage, step.mergeKey(), c.silver(), c.partitions());
        }
        if (!d.forQuarantine().isEmpty()) {
          Tables.add(spark, settings, step.quarantine(), lineage, c.quarantine());
        }
      } finally {
        c.release().run();
      }
      LOG.info("{}: {} new batch(es) conformed{}", step.bronze(), d.batches().length, period == null ? "" : " for " + period);
      return;
    }
    if (step.key() != null && silverLineage != null) {
      LOG.info("{}: settings, code or reference data changed since the last load; conforming all of {}",
          step.silver(), step.bronze());
    }
    ConformStep.Conformed c = step.conform().apply(in, in.read(step.bronze()), null);
    try {
      Tables.replace(spark, settings, step.silver(), lineage, c::silver);
      Tables.replace(spark, settings, step.quarantine(), lineage, c::quarantine);
    } finally {
      c.release().run();
    }
  }

  /**
   * The tables left unbuilt since the last call, each with why (in the order met), for the command to report; the
   * record is cleared.
   */
  public static Map<String, String> notBuilt() {
    synchronized (NOT_BUILT) {
      Map<String, String> out = new java.util.LinkedHashMap<>(NOT_BUILT);
      NOT_BUILT.clear();
      return out;
    }
  }

  /** Records, and logs, that a table is not built and why (for a job that decides so before its steps). */
  public static void notBuilt(TableName out, String why) {
    LOG.info("{} not built: {}", out, why);
    synchronized (NOT_BUILT) {
      NOT_BUILT.put(out.toString(), why);
    }
  }

  /** The inputs that exist; null, logged, when a required one does not yet, or none does. */
  private List<TableStep.Input> present(TableName out, List<TableStep.Input> inputs) {
    Optional<TableStep.Input> missing = inputs.stream().filter(i -> i.required() && !Tables.exists(settings, i.table())).findFirst();
    List<TableStep.Input> present = inputs.stream().filter(i -> Tables.exists(settings, i.table())).toList();
    if (missing.isPresent() || present.isEmpty()) {
      notBuilt(out, missing.map(i -> i.table().toString()).orElse("none of its inputs") + " does not exist yet");
      return null;
    }
    return present;
  }

  /** The settings, code and the present inputs' versions: what a table built from them records. */
  private Lineage lineage(List<TableStep.Input> present) {
    Lineage lineage = Lineage.of(settings);
    present.forEach(i -> lineage.table(spark, settings, i.table()));
    return lineage;
  }

  /**
   * The financial years (and groups, for a step rebuilt per group) whose rows the step's delivered inputs changed since
   * the table was built, or null when the table is to be rebuilt whole (or is current, which {@link Tables#replace} tells).
   */
  private Increments.Changes changes(TableStep step, List<TableStep.Input> present, Lineage lineage) {
    TableName out = step.output();
    if (period == null || step.lookbackYears().isEmpty() || !Tables.exists(settings, out)) {
      return null;
    }
    String recorded = Tables.lineage(spark, settings, out);
    if (lineage.is(recorded)) {
      return null;
    }
    List<TableStep.Input> delivered = present.stream().filter(i -> i.delivered() != null).toList();
    if (delivered.isEmpty() || !lineage.differsOnlyIn(recorded, delivered.stream().map(TableStep.Input::table).toList())) {
      LOG.info("{}: settings, code or an input other than new deliveries changed since it was built: rebuilt whole", out);
      return null;
    }
    Set<String> years = new TreeSet<>();
    Set<String> groups = step.group() == null ? null : new TreeSet<>();
    for (TableStep.Input i : delivered) {
      long from = Lineage.recordedVersion(recorded, i.table());
      Increments.Changes c = changedSince.computeIfAbsent(i.table() + "@" + from + "/" + step.group(), k -> Increments.changes(spark,
          settings, i.table(), from, i.delivered().batches(), i.delivered().key(), step.group()));
      years.addAll(c.years());
      if (groups != null) {
        groups.addAll(c.groups());
      }
    }
    return new Increments.Changes(years, step.group(), groups);
  }

  /** What a step's transform reads: its inputs (the years it needs of a delivered one) and their versions. */
  public final class Inputs {
    private final List<TableStep.Input> present;
    private final Lineage lineage;
    private final Increments.Changes reading;
    private final Map<TableName, Dataset<Row>> read = new HashMap<>();

    /** {@code reading}: the years (and groups) of delivered inputs to read; null for all their rows. */
    private Inputs(List<TableStep.Input> present, Lineage lineage, Increments.Changes reading) {
      this.present = present;
      this.lineage = lineage;
      this.reading = reading;
    }

    public SparkSession spark() {
      return spark;
    }

    public Settings settings() {
      return settings;
    }

    /** True when the input exists (an optional one may not). */
    public boolean exists(TableName table) {
      return present.stream().anyMatch(i -> i.table().equals(table));
    }

    /**
     * The input, limited to the financial years (and groups) the step needs when it rebuilds some years of a delivered
     * input.
     */
    public Dataset<Row> read(TableName table) {
      TableStep.Input input = input(table);
      return read.computeIfAbsent(table, t -> {
        Dataset<Row> all = Tables.read(spark, settings, t);
        return reading == null || input.delivered() == null ? all : all.filter(reading.rows());
      });
    }

    /** An optional input as {@link #read} gives it, or no rows of the given columns when it does not exist yet. */
    public Dataset<Row> readOrEmpty(TableName table, org.apache.spark.sql.types.StructType columns) {
      return exists(table) ? read(table) : spark.createDataFrame(List.of(), columns);
    }

    /** The input with all its rows, whatever years are rebuilt (what bounds a whole survey's windows). */
    public Dataset<Row> whole(TableName table) {
      return reading == null ? read(table) : Tables.read(spark, settings, input(table).table());
    }

    /** The period a scheduled run was given (the one its deliveries must lie in), or empty for a full build. */
    public Optional<Period> period() {
      return Optional.ofNullable(period);
    }

    /** The years of delivered inputs that this rebuild reads, or empty for a whole rebuild. */
    public Optional<Set<String>> years() {
      return Optional.ofNullable(reading).map(Increments.Changes::years);
    }

    /** The Delta version of the input that this step reads (and records in its lineage). */
    public long version(TableName table) {
      return Lineage.recordedVersion(lineage.toString(), input(table).table());
    }

    /** The inputs and their versions, "layer.table@version" joined by ", ", for a mart's input_versions column. */
    public String versions() {
      return lineage.tableVersions();
    }

    private TableStep.Input input(TableName table) {
      return present.stream().filter(i -> i.table().equals(table)).findFirst().orElseThrow(() -> new BeaconException(
          "The step writing a table read " + table + ", which it does not declare as an input or which does not exist."));
    }
  }
}
