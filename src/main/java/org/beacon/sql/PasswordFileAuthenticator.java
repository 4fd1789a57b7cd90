package org.beacon.sql;

import javax.security.sasl.AuthenticationException;
import org.apache.hive.service.auth.PasswdAuthenticationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HiveServer2's CUSTOM authentication against Beacon's users file. HiveServer2 makes one of these per login
 * with a bare HiveConf, so the file comes from the endpoint that started in this JVM (SqlServer). A refusal
 * is logged with the user name and the reason, never the password.
 */
public final class PasswordFileAuthenticator implements PasswdAuthenticationProvider {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordFileAuthenticator.class);
  private static volatile PasswordFile users;

  static void use(PasswordFile file) {
    users = file;
  }

  @Override
  public void Authenticate(String user, String password) throws AuthenticationException {
    PasswordFile file = users;
    String shown = user == null ? "" : user.substring(0, Math.min(user.length(), 64)).replaceAll("[^\\x20-\\x7e]", "?");
    if (file == null) {
      LOG.warn("SQL endpoint: login of user '{}' refused: no users file is in use", shown);
      throw new AuthenticationException("No users file is in use.");
    }
    PasswordFile.Login login = file.login(user, password);
    if (login != PasswordFile.Login.ACCEPTED) {
      LOG.warn("SQL endpoint: login of user '{}' refused: {}", shown,
          login == PasswordFile.Login.WRONG_PASSWORD ? "wrong password" : "unknown user");
      throw new AuthenticationException("Wrong user name or password.");
    }
    LOG.info("SQL endpoint: user '{}' logged in", shown);
  }
}
