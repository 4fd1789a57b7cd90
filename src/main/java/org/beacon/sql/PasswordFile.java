package org.beacon.sql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.beacon.runtime.BeaconException;

/**
 * The endpoint's users: one line a user, {@code name:pbkdf2-sha256:iterations:salt:hash} (salt and hash in
 * Base64), written by `beacon users` and read at every login. PBKDF2 with HMAC-SHA-256 (RFC 8018, section 5.2),
 * a random 16-byte salt per user and 600,000 iterations (OWASP's 2023 recommendation for this function), from
 * the JDK: a stolen file costs an attacker that many HMACs per guess and per user.
 */
public final class PasswordFile {
  static final String SCHEME = "pbkdf2-sha256";
  static final int ITERATIONS = 600_000;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Hashed when the user is unknown, so that a refusal takes as long whether or not the name exists. */
  private static final String DECOY = SCHEME + ":" + ITERATIONS + ":" + Base64.getEncoder().encodeToString(new byte[SALT_BYTES])
      + ":" + Base64.getEncoder().encodeToString(new byte[HASH_BITS / 8]);

  private final Path file;

  public PasswordFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** The user names, in the order they were added. */
  public List<String> users() {
    return List.copyOf(read().keySet());
  }

  /** Adds the user, or sets a new password for one already there. */
  public void put(String user, char[] password) {
    checkName(user);
    if (password.length < 12) {
      throw new BeaconException("A password for the SQL endpoint needs 12 characters or more.");
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    Map<String, String> users = read();
    users.put(user, SCHEME + ":" + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
        + Base64.getEncoder().encodeToString(hash(password, salt, ITERATIONS)));
    write(users);
  }

  /** Removes the user; false when there was none of that name. */
  public boolean remove(String user) {
    Map<String, String> users = read();
    boolean removed = users.remove(user) != null;
    if (removed) {
      write(users);
    }
    return removed;
  }

  /** The outcome of a login. */
  public enum Login { ACCEPTED, WRONG_PASSWORD, UNKNOWN_USER }

  /** Whether the password is the user's, from one read of the file; an unknown user costs as much work as a known one. */
  public Login login(String user, String password) {
    String entry = user == null ? null : read().get(user);
    String[] f = (entry == null ? DECOY : entry).split(":");
    byte[] expected = Base64.getDecoder().decode(f[3]);
    byte[] actual = hash(password == null ? new char[0] : password.toCharArray(), Base64.getDecoder().decode(f[2]),
        Integer.parseInt(f[1]));
    boolean matches = MessageDigest.isEqual(expected, actual);
    return entry == null ? Login.UNKNOWN_USER : matches ? Login.ACCEPTED : Login.WRONG_PASSWORD;
  }

  static byte[] hash(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("The JDK has no PBKDF2WithHmacSHA256", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static void checkName(String user) {
    if (user == null || !NAME.matcher(user).matches()) {
      throw new BeaconException("A user name for the SQL endpoint is 1 to 64 letters, digits, '.', '_', '@' or '-', not '"
          + user + "'.");
    }
  }

  private Map<String, String> read() {
    Map<String, String> users = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return users;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BeaconException("Cannot read the SQL endpoint's users file " + file + ": " + e.getMessage() + ".", e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(":");
      if (f.length != 5 || !NAME.matcher(f[0]).matches() || !f[1].equals(SCHEME) || !f[2].matches("\\d{1,9}")) {
        throw new BeaconException("The SQL endpoint's users file " + file + " has a line " + (i + 1) + " that is not "
            + "name:" + SCHEME + ":iterations:salt:hash; correct it or add the user again with `beacon users add`.");
      }
      users.put(f[0], String.join(":", Arrays.copyOfRange(f, 1, 5)));
    }
    return users;
  }

  /** Writes a new file beside the old, readable by its owner alone, and moves it into place in one step. */
  private void write(Map<String, String> users) {
    StringBuilder text = new StringBuilder("# Beacon SQL endpoint users (beacon users add|remove|list): name:" + SCHEME
        + ":iterations:salt:hash\n");
    users.forEach((name, hash) -> text.append(name).append(':').append(hash).append('\n'));
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path next = Files.createTempFile(dir, ".users-", ".tmp", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(next, text, StandardCharsets.UTF_8);
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new BeaconException("Cannot write the SQL endpoint's users file " + file + ": " + e.getMessage() + ".", e);
    }
  }
}
