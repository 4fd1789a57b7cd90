package org.beacon.sql;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.beacon.runtime.Settings;
import org.beacon.runtime.SettingsException;

/**
 * beacon.serve: where the SQL endpoint listens, who may connect (authentication), what its clients may do
 * (read-only, restricted layers, the session settings they may change) and HiveServer2 settings passed through.
 */
public record ServeSettings(String host, int port, boolean readOnly, List<String> restrictedLayers,
    Authentication authentication, String usersFile, Ldap ldap, List<String> clientSettings, Map<String, String> hiveConf) {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1");

  /** Who may connect: anyone who reaches the port (loopback only), the users of a password file, or a directory. */
  public enum Authentication { NONE, USERS_FILE, LDAP }

  /** HiveServer2's LDAP provider: the directory's URL, and the base DN or the domain that a user name is bound under. */
  public record Ldap(String url, String baseDn, String domain) {}

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
    String mode = Settings.read(path, c::getString, "authentication");
    Authentication authentication = switch (mode) {
      case "none" -> Authentication.NONE;
      case "users-file" -> Authentication.USERS_FILE;
      case "ldap" -> Authentication.LDAP;
      default -> throw new SettingsException(path + ".authentication must be none, users-file or ldap, not '" + mode + "'.");
    };
    String hiveAuth = hive.getOrDefault("hive.server2.authentication", "NONE");
    if (authentication != Authentication.NONE && !hiveAuth.equalsIgnoreCase("NONE")) {
      throw new SettingsException(path + ".authentication is " + mode + " and " + path + ".hive-conf sets hive.server2.authentication "
          + "too: choose one.");
    }
    Config l = Settings.read(path, c::getConfig, "ldap");
    Ldap ldap = new Ldap(l.getString("url"), l.getString("base-dn"), l.getString("domain"));
    if (authentication == Authentication.LDAP && (ldap.url().isBlank() || (ldap.baseDn().isBlank() && ldap.domain().isBlank()))) {
      throw new SettingsException(path + ".authentication is ldap: set " + path + ".ldap.url and " + path + ".ldap.base-dn (or "
          + path + ".ldap.domain).");
    }
    String host = Settings.read(path, c::getString, "host");
    if (!LOOPBACK.contains(host) && authentication == Authentication.NONE && hiveAuth.equalsIgnoreCase("NONE")) {
      throw new SettingsException("The SQL endpoint refuses to listen on " + host + " without authentication: other machines "
          + "could reach it there. Set " + path + ".authentication to users-file (add users with `beacon users add NAME`) or "
          + "ldap, or listen on 127.0.0.1.");
    }
    List<String> restricted = Settings.read(path, c::getStringList, "restricted-layers");
    for (String layer : restricted) {
      if (!org.beacon.runtime.TableName.LAYERS.contains(layer)) {
        throw new SettingsException(path + ".restricted-layers names '" + layer + "', which is not a layer: "
            + org.beacon.runtime.TableName.LAYERS + ".");
      }
    }
    List<String> clientSettings = Settings.read(path, c::getStringList, "client-settings");
    for (String key : clientSettings) {
      if (EndpointGuard.GUARD_SETTINGS.containsKey(key)) {
        throw new SettingsException(path + ".client-settings names " + key + ", which the endpoint itself sets to keep clients "
            + "away from the server's files and environment.");
      }
    }
    return new ServeSettings(host, port, Settings.read(path, c::getBoolean, "read-only"), List.copyOf(restricted), authentication,
        Settings.read(path, c::getString, "users-file"), ldap, List.copyOf(clientSettings), Map.copyOf(hive));
  }

  /** The password file of `beacon users` and of users-file authentication: the setting, or <lakehouse>/_serve/users. */
  public Path usersFile(Path lakehouse) {
    return usersFile.isBlank() ? lakehouse.resolve("_serve").resolve("users") : Path.of(usersFile);
  }

  /** The SQL endpoint's settings (beacon.serve). */
  public static ServeSettings of(Settings settings) {
    return settings.section(ServeSettings.class);
  }

  /** Reads and validates these settings at start-up (META-INF/services/org.beacon.runtime.Settings$Section). */
  public static final class Section extends Settings.SectionOf<ServeSettings> {
    public Section() {
      super(ServeSettings.class, (settings, beacon) -> fromConfig(beacon.getConfig("serve")), "serve.hive-conf");
    }
  }
}
