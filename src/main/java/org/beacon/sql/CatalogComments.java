package org.beacon.sql;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalog;
import org.apache.spark.sql.types.StructType;
import org.beacon.runtime.Settings;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Tables;
import scala.Option;

/**
 * Copies each Delta table's schema (with its column comments) and its comment into the catalog entry,
 * which Delta leaves empty: the schema lives in the Delta log. The Thrift server answers JDBC metadata
 * calls (getTables, getColumns: DBeaver's and BI tools' browsers) from the catalog entry, so without this
 * they list Delta tables with no columns. Reads still take the schema from the Delta log.
 */
final class CatalogComments {
  private CatalogComments() {}

  static void sync(SparkSession spark, Settings settings) {
    ExternalCatalog catalog = spark.sharedState().externalCatalog();
    for (String layer : TableName.LAYERS) {
      if (!catalog.databaseExists(layer)) {
        continue;
      }
      for (String name : scala.collection.JavaConverters.seqAsJavaList(catalog.listTables(layer))) {
        TableName table = new TableName(layer, name);
        CatalogTable entry = catalog.getTable(layer, name);
        if (!"delta".equalsIgnoreCase(entry.provider().getOrElse(() -> "")) || !Tables.exists(settings, table)) {
          continue;
        }
        org.apache.spark.sql.delta.actions.Metadata delta = Tables.metadata(spark, settings, table);
        StructType schema = delta.schema();
        if (!schema.equals(entry.dataSchema())) {
          catalog.alterTableDataSchema(layer, name, schema);
        }
        Option<String> comment = Option.apply(delta.description());
        entry = catalog.getTable(layer, name);
        if (!comment.equals(entry.comment())) {
          catalog.alterTable(entry.copy(entry.identifier(), entry.tableType(), entry.storage(), entry.schema(), entry.provider(),
              entry.partitionColumnNames(), entry.bucketSpec(), entry.owner(), entry.createTime(), entry.lastAccessTime(),
              entry.createVersion(), entry.properties(), entry.stats(), entry.viewText(), comment, entry.unsupportedFeatures(),
              entry.tracksPartitionsInCatalog(), entry.schemaPreservesCase(), entry.ignoredProperties(), entry.viewOriginalText()));
        }
      }
    }
  }
}
