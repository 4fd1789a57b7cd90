package org.beacon.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a long-running Beacon service on a lakehouse answers, in a file under {@code <lakehouse>/_catalog} that
 * other processes on the lakehouse read to find it without configuration (the catalog service's metastore.uri,
 * the SQL endpoint's endpoint.url). The file is written once the service listens and removed when it stops; one
 * left behind by a killed service names an address where nothing answers, and counts as no service.
 */
public final class ServiceFile {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServiceFile.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 1000;
  /** The host and port of thrift://host:port or jdbc:hive2://host:port/db (an IPv6 host in brackets). */
  private static final Pattern HOST_PORT = Pattern.compile("//(\\[[^]]+]|[^/:]+):(\\d+)");

  private final Path file;

  private ServiceFile(Path file) {
    this.file = file;
  }

  /** The file named {@code name} in the lakehouse's catalog folder. */
  public static ServiceFile of(Path lakehouse, String name) {
    return new ServiceFile(lakehouse.resolve("_catalog").resolve(name));
  }

  public Path path() {
    return file;
  }

  /** Writes the address atomically: a process that finds the file finds a service that answers. */
  public void publish(String address) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, address + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Removes the file (the service is stopping); a failure is only worth a warning to the stopping service. */
  public void withdraw() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not remove {}: {}", file, e.getMessage());
    }
  }

  /** The address the file gives, or null where there is no file. */
  public String address() {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new BeaconException("Cannot read " + file + ": " + e.getMessage() + ".", e);
    }
  }

  /** Whether something accepts connections at the address's host and port. */
  public static boolean answers(String address) {
    Matcher m = HOST_PORT.matcher(address);
    if (!m.find()) {
      throw new BeaconException("'" + address + "' names no host and port.");
    }
    String host = m.group(1).replaceAll("^\\[|]$", "");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, Integer.parseInt(m.group(2))), CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
