package org.beacon.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A table computed from other tables, declared once: what it reads, whether it can be rebuilt a financial year at a
 * time, and the transform from its inputs to its rows. {@link StepRunner} decides whether it is current, rebuilt in
 * part or rebuilt whole, reads its inputs, and writes it; the table's own metadata (partitioning, quality suite,
 * constraints, comments) is its {@link TableSpec}.
 *
 * @param lookbackYears for a table rebuilt by financial year: how many years before a year its rows read (a rolling
 *     window or a change on the previous year reaches back one); empty for a table only ever rebuilt whole
 * @param group for a table rebuilt by financial year, a column whose every value's rows come only from its delivered
 *     inputs' rows of the same value (force_code for marts counted per reporting force): then only the changed
 *     values' years are rebuilt; null where rows of one value draw on others'
 */
public record TableStep(TableName output, List<Input> inputs, OptionalInt lookbackYears, String group, Transform transform) {
  /** The step's rows from its inputs: a pure function of the datasets {@link StepRunner.Inputs} gives. */
  public interface Transform {
    Dataset<Row> apply(StepRunner.Inputs in);
  }

  /**
   * A table the step reads. A required input that does not exist yet means the step is not built; an optional one is
   * left out (and out of the lineage). {@code delivered} says how to tell the input's new rows, where a change in it
   * alone rebuilds only the financial years of its changed rows.
   */
  public record Input(TableName table, boolean required, Delivered delivered) {}

  /**
   * How an input's changed rows are found: each row's delivery batches (an array of _batch_id values) and its
   * natural key, so a row that moved to another year is found in the year it left too.
   */
  public record Delivered(Column batches, List<String> key) {}

  public static TableStep of(TableName output) {
    return new TableStep(output, List.of(), OptionalInt.empty(), null, null);
  }

  /** The same inputs and transform writing another table. */
  public TableStep withOutput(TableName table) {
    return new TableStep(table, inputs, lookbackYears, group, transform);
  }

  public TableStep requires(TableName table) {
    return with(new Input(table, true, null));
  }

  /** A required input whose new deliveries alone rebuild only the years they touch. */
  public TableStep requires(TableName table, Delivered delivered) {
    return with(new Input(table, true, delivered));
  }

  public TableStep uses(TableName table) {
    return with(new Input(table, false, null));
  }

  /** An optional input whose new deliveries alone rebuild only the years they touch. */
  public TableStep uses(TableName table, Delivered delivered) {
    return with(new Input(table, false, delivered));
  }

  /** Rebuilt by financial year (the table has a financial_year column) when only delivered inputs changed. */
  public TableStep byFinancialYear(int lookbackYears) {
    if (lookbackYears < 0) {
      throw new IllegalArgumentException("A step cannot look back " + lookbackYears + " years.");
    }
    return new TableStep(output, inputs, OptionalInt.of(lookbackYears), group, transform);
  }

  /** Rebuilt by financial year and, within that, only for the values of {@code column} whose rows changed. */
  public TableStep byFinancialYear(int lookbackYears, String column) {
    TableStep byYear = byFinancialYear(lookbackYears);
    return new TableStep(output, inputs, byYear.lookbackYears, column, transform);
  }

  public TableStep as(Transform transform) {
    return new TableStep(output, inputs, lookbackYears, group, transform);
  }

  private TableStep with(Input input) {
    List<Input> all = new ArrayList<>(inputs);
    all.add(input);
    return new TableStep(output, List.copyOf(all), lookbackYears, group, transform);
  }
}
