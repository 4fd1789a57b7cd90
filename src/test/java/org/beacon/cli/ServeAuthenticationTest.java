package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.beacon.SharedSpark;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Settings;
import org.beacon.sql.PasswordFileAuthenticator;
import org.beacon.sql.SqlServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The endpoint with users-file authentication, over real JDBC logins: users added by `beacon users add` with
 * the password on standard input; a wrong password and an unknown user refused (and logged without the
 * password), the right one answered; and no endpoint without authentication off loopback.
 */
@Order(4)
class ServeAuthenticationTest {
  private static final String PASSWORD = "correct horse battery staple";
  private static final StringWriter LOG = new StringWriter();
  private static Path users;
  private static SqlServer server;
  private static WriterAppender appender;

  @BeforeAll
  static void serve() throws IOException {
    SharedSpark.session();
    String lakehouse = DefaultLakehouse.path().toString();
    users = Files.createTempDirectory("beacon-users").resolve("users");
    assertEquals(0, withStdin(PASSWORD + "\n", "users", "add", "inspector").code());
    appender = WriterAppender.newBuilder().setName("login-log").setTarget(LOG)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %m%n").build()).build();
    appender.start();
    ((Logger) LogManager.getLogger(PasswordFileAuthenticator.class)).addAppender(appender);
    server = SqlServer.start(SharedSpark.session(), settings(lakehouse, "users-file"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    ((Logger) LogManager.getLogger(PasswordFileAuthenticator.class)).removeAppender(appender);
  }

  private static Settings settings(String lakehouse, String authentication) throws IOException {
    return Settings.load(Map.of("beacon.lakehouse", lakehouse, "beacon.serve.port", ServeTest.freePort(),
        "beacon.serve.authentication", authentication, "beacon.serve.users-file", users.toString()));
  }

  /** `beacon users …` on this test's users file, with the input as its standard input (no terminal: no echo to hide). */
  private static Captured withStdin(String input, String... args) {
    InputStream in = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
      all.addAll(java.util.List.of("--lakehouse", DefaultLakehouse.path().toString()));
      System.setProperty("beacon.serve.users-file", users.toString());
      return Captured.run(all.toArray(String[]::new));
    } finally {
      System.clearProperty("beacon.serve.users-file");
      System.setIn(in);
    }
  }

  @Test
  void theRightPasswordAnswersAndWrongOnesAreRefused() throws SQLException {
    try (Connection c = DriverManager.getConnection(server.url(), "inspector", PASSWORD); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM gold.indicator_grades")) {
      assertTrue(r.next() && r.getLong(1) > 0, "the user with the right password reads the marts");
    }
    for (String[] login : new String[][] {{"inspector", "not the password"}, {"inspector", ""}, {"intruder", PASSWORD}}) {
      SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(server.url(), login[0], login[1]).close(),
          login[0] + " with a wrong password or no account");
      assertTrue(e.getMessage().contains("Error validating the login"), e.getMessage());
    }
    String log = LOG.toString();
    assertTrue(log.contains("login of user 'inspector' refused: wrong password"), log);
    assertTrue(log.contains("login of user 'intruder' refused: unknown user"), log);
    assertTrue(log.contains("user 'inspector' logged in"), log);
    assertFalse(log.contains(PASSWORD) || log.contains("not the password"), "a password reached the log: " + log);
  }

  @Test
  void usersAreListedAndRemovedAndPasswordsKeptOnlyAsSaltedHashes() throws IOException {
    assertEquals(0, withStdin("another long password\n", "users", "add", "analyst").code());
    Captured listed = withStdin("", "users", "list");
    assertEquals(java.util.List.of("inspector", "analyst"), listed.out().lines().toList());
    String file = Files.readString(users);
    assertFalse(file.contains(PASSWORD) || file.contains("another long password"), "a password is in the users file");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
    assertEquals(0, withStdin("", "users", "remove", "analyst").code());
    Captured missing = withStdin("", "users", "remove", "analyst");
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("has no user 'analyst'"), missing.err());
    Captured shortPassword = withStdin("short\n", "users", "add", "analyst");
    assertEquals(1, shortPassword.code());
    assertTrue(shortPassword.err().contains("12 characters or more"), shortPassword.err());
  }

  @Test
  void noEndpointOffLoopbackWithoutAuthentication() throws IOException {
    Path empty = Files.createTempDirectory("beacon-serve-host");
    Captured refused = Captured.run("serve", "--host", "0.0.0.0", "--lakehouse", empty.toString());
    assertEquals(1, refused.code());
    assertTrue(refused.err().contains("refuses to listen on 0.0.0.0 without authentication"), refused.err());
    Path none = Files.createTempDirectory("beacon-no-users").resolve("users");
    BeaconException noUsers = assertThrows(BeaconException.class, () -> SqlServer.start(SharedSpark.session(),
        Settings.load(Map.of("beacon.lakehouse", empty.toString(), "beacon.serve.port", ServeTest.freePort(),
            "beacon.serve.authentication", "users-file", "beacon.serve.users-file", none.toString()))));
    assertTrue(noUsers.getMessage().contains("has no user"), noUsers.getMessage());
  }
}
