package org.beacon.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.hive.conf.HiveConf;
import org.apache.hadoop.hive.metastore.HiveMetaStore;
import org.apache.hadoop.hive.metastore.IHMSHandler;
import org.apache.hadoop.hive.metastore.TSetIpAddressProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lakehouse's catalog as a service: Spark's own Hive metastore (2.3.9) over the Derby database that the
 * embedded catalog uses (<lakehouse>/_catalog/metastore_db), speaking the metastore's Thrift protocol on one
 * interface (loopback unless configured). While it runs, {@code <lakehouse>/_catalog/metastore.uri} says where,
 * and {@link SparkSessions} connects every process on the lakehouse to it: they share the same tables and views
 * at once, instead of one process holding the Derby database and the others registering private catalogs.
 * The server is assembled here rather than by {@code HiveMetaStore.main}, which listens on every interface.
 */
public final class MetastoreService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetastoreService.class);
  private static final String URI_FILE = "metastore.uri";

  private final TServer server;
  private final Thread thread;
  private final ServiceFile uriFile;
  private final String uri;

  private MetastoreService(TServer server, ServiceFile uriFile, String uri) {
    this.server = server;
    this.uriFile = uriFile;
    this.uri = uri;
    this.thread = new Thread(server::serve, "beacon-metastore");
  }

  /** Starts the service for the settings' lakehouse, on beacon.catalog.service.host and port. */
  public static MetastoreService start(Settings settings) {
    Path catalog = settings.lakehouse().resolve("_catalog");
    String other = running(settings.lakehouse());
    if (other != null) {
      throw new BeaconException("A metastore service already serves the lakehouse " + settings.lakehouse() + " at " + other + ".");
    }
    try {
      Files.createDirectories(catalog);
      System.setProperty("derby.stream.error.file", catalog.resolve("derby.log").toString());
      HiveConf conf = new HiveConf();
      conf.set("javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=" + catalog.resolve("metastore_db") + ";create=true");
      conf.set("javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.EmbeddedDriver");
      // The schema Spark's embedded catalog creates on first use, created here too when the service comes first.
      conf.set("datanucleus.schema.autoCreateAll", "true");
      conf.set("hive.metastore.schema.verification", "false");
      conf.set("hive.metastore.warehouse.dir", catalog.resolve("warehouse").toUri().toString());
      IHMSHandler handler = HiveMetaStore.newRetryingHMSHandler(new HiveMetaStore.HMSHandler("beacon metastore", conf, false), conf);
      InetAddress host = InetAddress.getByName(settings.metastoreHost());
      TServerSocket socket = new TServerSocket(new InetSocketAddress(host, settings.metastorePort()));
      TServer server = new TThreadPoolServer(new TThreadPoolServer.Args(socket).processor(new TSetIpAddressProcessor<>(handler))
          .protocolFactory(new TBinaryProtocol.Factory()).minWorkerThreads(4).maxWorkerThreads(64));
      String uri = "thrift://" + (host.getHostAddress().contains(":") ? "[" + host.getHostAddress() + "]" : host.getHostAddress())
          + ":" + socket.getServerSocket().getLocalPort();
      MetastoreService service = new MetastoreService(server, ServiceFile.of(settings.lakehouse(), URI_FILE), uri);
      service.thread.start();
      service.uriFile.publish(uri);
      LOG.info("Metastore service for {} listening at {}", settings.lakehouse(), uri);
      return service;
    } catch (BeaconException e) {
      throw e;
    } catch (Exception e) {
      throw new BeaconException("Could not start the metastore service for " + settings.lakehouse() + ": " + e.getMessage()
          + (String.valueOf(e.getMessage()).contains("XSDB6") || String.valueOf(e).contains("another instance of Derby")
          ? " (another Beacon process has the catalog open; stop it first)" : "") + ".", e);
    }
  }

  public String uri() {
    return uri;
  }

  /** The URI of the service running for the lakehouse, or null when none answers at the address its file gives. */
  public static String running(Path lakehouse) {
    String uri = ServiceFile.of(lakehouse, URI_FILE).address();
    if (uri == null || ServiceFile.answers(uri)) {
      return uri;
    }
    // A service that was killed leaves its file behind: nothing answers there, so the embedded catalog serves.
    LOG.warn("{} names {}, where nothing answers (a stopped service); using the embedded catalog", URI_FILE, uri);
    return null;
  }

  /** Stops serving and removes the file that points processes here (they return to the embedded catalog). */
  @Override
  public void close() {
    uriFile.withdraw();
    server.stop();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
