package org.beacon.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.beacon.runtime.BeaconException;
import org.junit.jupiter.api.Test;

class PasswordFileTest {
  /**
   * RFC 7914, section 11: PBKDF2-HMAC-SHA256 of P = "passwd", S = "salt", c = 1, dkLen = 64; its first 32 bytes
   * are the 32-byte key (PBKDF2's first output block does not depend on dkLen).
   */
  @Test
  void theHashIsPbkdf2HmacSha256() {
    byte[] expected = HexFormat.of().parseHex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    assertArrayEquals(expected, PasswordFile.hash("passwd".toCharArray(), "salt".getBytes(StandardCharsets.US_ASCII), 1));
  }

  @Test
  void aUserLogsInWithTheirPasswordOnly() throws IOException {
    PasswordFile file = new PasswordFile(Files.createTempDirectory("beacon-users").resolve("users"));
    file.put("inspector", "a long enough password".toCharArray());
    file.put("analyst", "another long password".toCharArray());
    assertEquals(PasswordFile.Login.ACCEPTED, file.login("inspector", "a long enough password"));
    assertEquals(PasswordFile.Login.WRONG_PASSWORD, file.login("inspector", "another long password"), "another user's password");
    assertEquals(PasswordFile.Login.UNKNOWN_USER, file.login("nobody", "a long enough password"), "an unknown user");
    assertEquals(PasswordFile.Login.WRONG_PASSWORD, file.login("inspector", null));
    String[] fields = Files.readAllLines(file.path()).get(1).split(":");
    assertEquals(List.of("inspector", "pbkdf2-sha256", "600000"), List.of(fields[0], fields[1], fields[2]));
    String before = Files.readString(file.path());
    file.put("inspector", "a long enough password".toCharArray());
    assertFalse(before.equals(Files.readString(file.path())), "the same password again gets a new salt");
    assertEquals(PasswordFile.Login.ACCEPTED, file.login("inspector", "a long enough password"));
    assertTrue(file.remove("analyst"));
    assertEquals(List.of("inspector"), file.users());
  }

  @Test
  void aDamagedFileOrABadNameIsNamed() throws IOException {
    Path path = Files.createTempDirectory("beacon-users").resolve("users");
    Files.writeString(path, "# users\ninspector:md5:1:abc\n");
    BeaconException e = assertThrows(BeaconException.class, () -> new PasswordFile(path).login("inspector", "x"));
    assertTrue(e.getMessage().contains(path + " has a line 2"), e.getMessage());
    BeaconException name = assertThrows(BeaconException.class,
        () -> new PasswordFile(path.resolveSibling("other")).put("in spector", "a long enough password".toCharArray()));
    assertTrue(name.getMessage().contains("A user name for the SQL endpoint"), name.getMessage());
  }
}
