package org.beacon.sql;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.ServiceFile;
import org.beacon.runtime.TableName;
import org.beacon.runtime.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beacon's SQL endpoint: Spark's Thrift JDBC/ODBC server (HiveServer2 protocol) started in-process on
 * the job's session, so every gold, silver and ops table and the views resolve by name. Clients are held to
 * least privilege by EndpointGuard and, where configured, authenticated by a users file or a directory.
 * An endpoint without authentication (on loopback: beyond it authentication is required) publishes its URL in
 * {@code <lakehouse>/_catalog/endpoint.url} while it serves, where `beacon sql` finds it.
 */
public final class SqlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqlServer.class);
  private static final List<String> AUTHENTICATION_PROPERTIES = List.of("hive.server2.custom.authentication.class",
      "hive.server2.authentication.ldap.url", "hive.server2.authentication.ldap.baseDN", "hive.server2.authentication.ldap.Domain");
  /** The file in the lakehouse's catalog folder that names a running endpoint needing no password. */
  public static final String URL_FILE = "endpoint.url";
  private final HiveThriftServer2 server;
  private final String url;
  private final ServiceFile published;

  private SqlServer(HiveThriftServer2 server, String url, ServiceFile published) {
    this.server = server;
    this.url = url;
    this.published = published;
  }

  public static SqlServer start(SparkSession spark, Settings settings) {
    ServeSettings serve = ServeSettings.of(settings);
    // The server binds in a thread of its own and ends the JVM when it cannot; say why first.
    try (java.net.ServerSocket probe = new java.net.ServerSocket(serve.port(), 1, java.net.InetAddress.getByName(serve.host()))) {
      probe.setReuseAddress(true);
    } catch (java.io.IOException e) {
      throw new BeaconException("The SQL endpoint cannot listen on " + serve.host() + ":" + serve.port() + " (" + e.getMessage()
          + "); set beacon.serve.port or BEACON_SERVE_PORT to a free port.", e);
    }
    Views.register(spark, settings);
    CatalogComments.sync(spark, settings);
    spark.sqlContext().setConf("hive.server2.thrift.bind.host", serve.host());
    spark.sqlContext().setConf("hive.server2.thrift.port", String.valueOf(serve.port()));
    spark.sqlContext().setConf("hive.server2.transport.mode", "binary");
    authenticate(spark, serve, settings.lakehouse());
    serve.hiveConf().forEach((k, v) -> spark.sqlContext().setConf(k, v));
    List<String> servedLayers = TableName.LAYERS.stream().filter(l -> !serve.restrictedLayers().contains(l)).toList();
    EndpointGuard.serve(spark, serve.readOnly(), servedLayers.stream().map(l -> settings.lakehouse().resolve(l)).toList(),
        serve.restrictedLayers().stream().map(l -> settings.lakehouse().resolve(l)).toList(), serve.clientSettings());
    // Started from a thread of its own: Spark's execution Hive client reuses a Hive session state already
    // attached to the calling thread (the catalog's, made before the settings above) and would ignore them.
    HiveThriftServer2[] started = new HiveThriftServer2[1];
    RuntimeException[] failed = new RuntimeException[1];
    Thread starter = new Thread(() -> {
      try {
        started[0] = HiveThriftServer2.startWithContext(spark.sqlContext());
      } catch (RuntimeException e) {
        failed[0] = e;
      }
    }, "beacon-serve-start");
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (started[0] == null) {
      lift();
      throw new BeaconException("The SQL endpoint could not start on " + serve.host() + ":" + serve.port() + ": "
          + (failed[0] == null ? "interrupted" : failed[0].getMessage()), failed[0]);
    }
    HiveThriftServer2 server = started[0];
    String url = "jdbc:hive2://" + serve.host() + ":" + serve.port() + "/default";
    LOG.info("SQL endpoint listening on {} ({}, authentication {})", url, serve.readOnly() ? "read-only" : "read-write",
        serve.authentication().name().toLowerCase(java.util.Locale.ROOT));
    warmUp(spark, servedLayers);
    ServiceFile published = null;
    if (serve.authentication() == ServeSettings.Authentication.NONE) {
      published = ServiceFile.of(settings.lakehouse(), URL_FILE);
      try {
        published.publish(url);
      } catch (java.io.IOException e) {
        LOG.warn("Could not write {} ({}): `beacon sql` will not find this endpoint by itself", published.path(), e.getMessage());
        published = null;
      }
    }
    return new SqlServer(server, url, published);
  }

  /**
   * Counts one served table's rows before clients come: a JVM's first Delta read plans, compiles and runs the log's
   * state reconstruction for the first time (about 5 s here, against well under 1 s after), which the first client's
   * query would otherwise wait for.
   */
  private static void warmUp(SparkSession spark, List<String> layers) {
    try {
      for (String layer : layers) {
        if (!spark.catalog().databaseExists(layer)) {
          continue;
        }
        List<org.apache.spark.sql.catalog.Table> tables = spark.catalog().listTables(layer).filter("tableType != 'VIEW'").collectAsList();
        if (!tables.isEmpty()) {
          long started = System.nanoTime();
          spark.table(layer + "." + tables.get(0).name()).count();
          LOG.info("Warmed up on {}.{} in {} ms", layer, tables.get(0).name(), (System.nanoTime() - started) / 1_000_000);
          return;
        }
      }
    } catch (Exception e) {
      // Only the first query's speed is at stake: serve anyway.
      LOG.warn("Could not warm up on a served table: {}", e.getMessage());
    }
  }

  public String url() {
    return url;
  }

  /** Stops listening and lifts the guard and the authentication; the Spark session stays up. */
  @Override
  public void close() {
    if (published != null) {
      published.withdraw();
    }
    server.stop();
    lift();
  }

  private static void lift() {
    EndpointGuard.stop();
    PasswordFileAuthenticator.use(null);
    AUTHENTICATION_PROPERTIES.forEach(System::clearProperty);
  }

  /**
   * Sets HiveServer2's authentication. Its password providers read their settings from a HiveConf of their own
   * at each login, which takes Hive's keys from the JVM's system properties alone: those are set here.
   */
  private static void authenticate(SparkSession spark, ServeSettings serve, java.nio.file.Path lakehouse) {
    AUTHENTICATION_PROPERTIES.forEach(System::clearProperty);
    switch (serve.authentication()) {
      case NONE -> spark.sqlContext().setConf("hive.server2.authentication", "NONE");
      case USERS_FILE -> {
        PasswordFile users = new PasswordFile(serve.usersFile(lakehouse));
        if (users.users().isEmpty()) {
          throw new BeaconException("The SQL endpoint's authentication is users-file, but " + users.path() + " has no user: add "
              + "one with `beacon users add NAME`.");
        }
        PasswordFileAuthenticator.use(users);
        spark.sqlContext().setConf("hive.server2.authentication", "CUSTOM");
        System.setProperty("hive.server2.custom.authentication.class", PasswordFileAuthenticator.class.getName());
      }
      case LDAP -> {
        spark.sqlContext().setConf("hive.server2.authentication", "LDAP");
        System.setProperty("hive.server2.authentication.ldap.url", serve.ldap().url());
        if (!serve.ldap().baseDn().isBlank()) {
          System.setProperty("hive.server2.authentication.ldap.baseDN", serve.ldap().baseDn());
        }
        if (!serve.ldap().domain().isBlank()) {
          System.setProperty("hive.server2.authentication.ldap.Domain", serve.ldap().domain());
        }
      }
      default -> throw new IllegalStateException(serve.authentication().name());
    }
  }
}
