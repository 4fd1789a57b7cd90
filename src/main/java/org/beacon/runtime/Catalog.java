package org.beacon.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/** Keeps the catalog in step with the lakehouse's folders: every Delta folder registered by its name. */
final class Catalog {
  private Catalog() {}

  /**
   * Creates the layer schemas and registers every Delta folder of the lakehouse by name. The folders
   * are the truth; the catalog is an index of them, so a lost or replaced metastore heals itself here.
   * The schemas' own folders are the lakehouse's layer folders, or, for a private catalog, {@code privateSchemas}.
   */
  static void registerLakehouse(SparkSession spark, Settings settings, Path privateSchemas) {
    var catalog = spark.sharedState().externalCatalog();
    for (String layer : TableName.LAYERS) {
      Path dir = settings.lakehouse().resolve(layer);
      spark.sql("CREATE DATABASE IF NOT EXISTS " + layer + " LOCATION '"
          + (privateSchemas == null ? dir : privateSchemas.resolve(layer)).toUri() + "'");
      if (!Files.isDirectory(dir)) {
        continue;
      }
      List<String> names;
      try (Stream<Path> children = Files.list(dir)) {
        names = children.filter(Tables::isTable).map(p -> p.getFileName().toString()).sorted().toList();
      } catch (IOException e) {
        throw new BeaconException("Cannot list the lakehouse folder " + dir + ": " + e.getMessage() + ".", e);
      }
      // One catalog call for the layer's entries (a call per table costs two metastore queries each).
      Map<String, java.net.URI> registered = new java.util.HashMap<>();
      scala.collection.JavaConverters.seqAsJavaList(catalog.getTablesByName(layer,
          scala.collection.JavaConverters.asScalaBuffer(names).toSeq())).forEach(t -> registered.put(t.identifier().table(), t.location()));
      for (String name : names) {
        TableName table = new TableName(layer, name);
        java.net.URI at = registered.get(name);
        if (at == null || !Path.of(at).equals(Path.of(Tables.location(settings, table).toUri()))) {
          register(spark, settings, table);
        }
      }
    }
  }

  static void register(SparkSession spark, Settings settings, TableName table) {
    var catalog = spark.sharedState().externalCatalog();
    java.net.URI wanted = Tables.location(settings, table).toUri();
    if (catalog.tableExists(table.layer(), table.name())) {
      if (Path.of(catalog.getTable(table.layer(), table.name()).location()).equals(Path.of(wanted))) {
        return;
      }
      // The name points at another lakehouse's folder (a catalog shared across lakehouses): re-point it.
      // The table is external, so dropping the entry leaves every file in place.
      spark.sql("DROP TABLE " + table.qualified());
    }
    catalog.createTable(catalogEntry(table, wanted), true);
  }

  /**
   * The catalog entry Delta itself writes for a table at a location: external, provider delta, no schema (the
   * schema is read from the table's log when the name is used). Written directly, registering needs no
   * read of the table's log, which CREATE TABLE ... LOCATION makes: a process with a private catalog
   * registers every table at start-up.
   */
  private static org.apache.spark.sql.catalyst.catalog.CatalogTable catalogEntry(TableName table, java.net.URI location) {
    var entry = org.apache.spark.sql.catalyst.catalog.CatalogTable$.MODULE$;
    var storage = new org.apache.spark.sql.catalyst.catalog.CatalogStorageFormat(scala.Option.apply(location), scala.Option.empty(),
        scala.Option.empty(), scala.Option.empty(), false, scala.collection.immutable.Map$.MODULE$.empty());
    return entry.apply(new org.apache.spark.sql.catalyst.TableIdentifier(table.name(), scala.Option.apply(table.layer())),
        org.apache.spark.sql.catalyst.catalog.CatalogTableType.EXTERNAL(), storage, new org.apache.spark.sql.types.StructType(),
        scala.Option.apply("delta"), entry.apply$default$6(), entry.apply$default$7(), entry.apply$default$8(),
        entry.apply$default$9(), entry.apply$default$10(), entry.apply$default$11(), entry.apply$default$12(),
        entry.apply$default$13(), entry.apply$default$14(), entry.apply$default$15(), entry.apply$default$16(),
        entry.apply$default$17(), entry.apply$default$18(), entry.apply$default$19(), entry.apply$default$20());
  }
}
