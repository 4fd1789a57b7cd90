package org.beacon.sql;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;

/** beacon.serve: where the SQL endpoint listens, whether it is read-only, and HiveServer2 settings passed through. */
public record ServeSettings(String host, int port, boolean readOnly, java.util.List<String> restrictedLayers, Map<String, String> hiveConf) {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

  public static ServeSettings fromConfig(Config c) {
    String path = "beacon.serve";
    int port = Settings.read(path, c::getInt, "port");
    if (port < 0 || port > 65535) {
      throw new SettingsException(path + ".port must be a TCP port (0 to 65535), not " + port + ".");
    }
    Map<String, String> hive = new LinkedHashMap<>();
    // Quoted ("hive.server2.x" = v) or nested (hive.server2.x = v): both come out as the dotted key.
    Settings.read(path, c::getConfig, "hive-conf").entrySet().forEach(e -> hive.put(
        String.join(".", com.typesafe.config.ConfigUtil.splitPath(e.getKey())), String.valueOf(e.getValue().unwrapped())));
    String host = Settings.read(path, c::getString, "host");
    String auth = hive.getOrDefault("hive.server2.authentication", "NONE");
    if (!LOOPBACK.contains(host) && auth.equalsIgnoreCase("NONE")) {
      throw new SettingsException(path + ".host is " + host + ", which other machines can reach, but "
          + path + ".hive-conf sets no hive.server2.authentication: set LDAP, KERBEROS or CUSTOM first (README, SQL endpoint).");
    }
    java.util.List<String> restricted = Settings.read(path, c::getStringList, "restricted-layers");
    for (String layer : restricted) {
      if (!org.beacon.runtime.TableName.LAYERS.contains(layer)) {
        throw new SettingsException(path + ".restricted-layers names '" + layer + "', which is not a layer: "
            + org.beacon.runtime.TableName.LAYERS + ".");
      }
    }
    return new ServeSettings(host, port, Settings.read(path, c::getBoolean, "read-only"), java.util.List.copyOf(restricted),
        Map.copyOf(hive));
  }

  /** The same settings on another port (0 is not allowed by the server; tests pick a free one). */
  public ServeSettings withPort(int newPort) {
    return new ServeSettings(host, newPort, readOnly, restrictedLayers, hiveConf);
  }
}
