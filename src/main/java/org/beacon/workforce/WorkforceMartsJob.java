package org.beacon.workforce;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.runtime.Lineage;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;

/** silver.workforce__ocu_years, the OCU population and the contingency fund -> gold.workforce_indicators. */
public final class WorkforceMartsJob {
  private WorkforceMartsJob() {}

  public static void run(SparkSession spark, Settings settings) {
    if (!Tables.exists(settings, TableName.SILVER_WORKFORCE) || !Tables.exists(settings, TableName.SILVER_OCU_POPULATION)) {
      return;
    }
    Lineage lineage = Lineage.of(settings).table(spark, settings, TableName.SILVER_WORKFORCE)
        .table(spark, settings, TableName.SILVER_OCU_POPULATION);
    Dataset<Row> fund;
    if (Tables.exists(settings, TableName.SILVER_CONTINGENCY_FUND)) {
      lineage.table(spark, settings, TableName.SILVER_CONTINGENCY_FUND);
      fund = Tables.read(spark, settings, TableName.SILVER_CONTINGENCY_FUND);
    } else {
      fund = spark.createDataFrame(java.util.List.of(), WorkforceIngestJob.FUND_SCHEMA);
    }
    Tables.replace(spark, settings, TableName.GOLD_WORKFORCE_INDICATORS, lineage,
        () -> WorkforceMarts.indicators(Tables.read(spark, settings, TableName.SILVER_WORKFORCE),
            Tables.read(spark, settings, TableName.SILVER_OCU_POPULATION), fund).orderBy("level", "area_code", "financial_year"));
  }
}
