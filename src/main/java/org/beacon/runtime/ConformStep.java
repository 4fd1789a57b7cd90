package org.beacon.runtime;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A landed source conformed, declared once: its bronze rows validated into silver (accepted rows, typed and
 * de-duplicated) and quarantine (rejected rows with their reason), against reference inputs. {@link StepRunner}
 * decides whether the two are current, gain only the deliveries new since they were built (a scheduled run), or are
 * rebuilt from all of bronze.
 *
 * @param key the natural key of a bronze row: a new delivery's rows are validated with every earlier row sharing a
 *     key, so a repeated key is judged as a full rebuild judges it
 * @param mergeKey silver's key when a delivery can update rows silver already holds (merged on it); null when
 *     deliveries only add rows
 */
public record ConformStep(TableName bronze, TableName silver, TableName quarantine, List<TableStep.Input> references,
    List<Column> key, String mergeKey, Conform conform) {
  /** The validation: from bronze rows to what silver and quarantine gain. */
  public interface Conform {
    /**
     * @param rows all of bronze for a whole rebuild; for a delivery, its rows and the earlier rows sharing their keys
     * @param delivery null for a whole rebuild
     */
    Conformed apply(StepRunner.Inputs in, Dataset<Row> rows, Increments.Delivery delivery);
  }

  /**
   * The rows for silver and quarantine (for a delivery: those of its batches), and what to release once written.
   *
   * @param partitions for a delivery merged into a partitioned silver: the values of its partition column that hold
   *     every row the delivery can replace or remove, so the merge reads and rewrites those partitions alone; null
   *     when any row may be touched
   */
  public record Conformed(Dataset<Row> silver, Dataset<Row> quarantine, List<String> partitions, Runnable release) {
    public Conformed(Dataset<Row> silver, Dataset<Row> quarantine, Runnable release) {
      this(silver, quarantine, null, release);
    }
  }

  public static ConformStep of(TableName bronze, TableName silver, TableName quarantine, List<Column> key) {
    return new ConformStep(bronze, silver, quarantine, List.of(), key, null, null);
  }

  public ConformStep requires(TableName table) {
    return with(new TableStep.Input(table, true, null));
  }

  public ConformStep uses(TableName table) {
    return with(new TableStep.Input(table, false, null));
  }

  /** A delivery's silver rows replace silver's rows with the same key (a crime republished with a new outcome). */
  public ConformStep mergedOn(String column) {
    return new ConformStep(bronze, silver, quarantine, references, key, column, conform);
  }

  public ConformStep as(Conform conform) {
    return new ConformStep(bronze, silver, quarantine, references, key, mergeKey, conform);
  }

  private ConformStep with(TableStep.Input input) {
    List<TableStep.Input> all = new ArrayList<>(references);
    all.add(input);
    return new ConformStep(bronze, silver, quarantine, List.copyOf(all), key, mergeKey, conform);
  }
}
