package org.beacon.cli;

import org.beacon.sql.ServeSettings;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.beacon.runtime.BeaconException;
import org.beacon.runtime.Settings;
import org.beacon.sql.PasswordFile;

/**
 * `beacon users add NAME | remove NAME | list`: the SQL endpoint's users file. A password is read from the
 * terminal without echo, twice; where there is no terminal (a script), from the first line of standard input.
 */
final class UsersCommand extends Command {
  UsersCommand() {
    super("users", false, List.of(),
        "users    add NAME | remove NAME | list                    the SQL endpoint's users (beacon.serve.users-file);",
        "         add reads the password without echo (from standard input when it is not a terminal)");
  }

  @Override
  boolean takesWords() {
    return true;
  }

  @Override
  void check(Args args) throws Args.UsageException {
    List<String> words = args.positional();
    String action = words.isEmpty() ? "" : words.get(0);
    int needed = switch (action) {
      case "add", "remove" -> 2;
      case "list" -> 1;
      default -> throw new Args.UsageException("users needs add NAME, remove NAME or list.");
    };
    if (words.size() < needed) {
      throw new Args.UsageException("users " + action + " needs a user name.");
    }
    if (words.size() > needed) {
      throw new Args.UsageException("users " + action + " takes " + (needed - 1) + " name, not " + (words.size() - 1) + ".");
    }
  }

  @Override
  int run(Args args, Settings settings) {
    manage(settings, args.positional(), System.in, System.out);
    return 0;
  }

  static void manage(Settings settings, List<String> words, InputStream in, PrintStream out) {
    PasswordFile users = new PasswordFile(ServeSettings.of(settings).usersFile(settings.lakehouse()));
    switch (words.get(0)) {
      case "list" -> users.users().forEach(out::println);
      case "remove" -> {
        if (!users.remove(words.get(1))) {
          throw new BeaconException("The SQL endpoint has no user '" + words.get(1) + "' in " + users.path() + ".");
        }
        out.println("removed " + words.get(1) + " from " + users.path());
      }
      case "add" -> {
        char[] password = password(words.get(1), in);
        try {
          users.put(words.get(1), password);
        } finally {
          Arrays.fill(password, '\0');
        }
        out.println("added " + words.get(1) + " to " + users.path());
      }
      default -> throw new IllegalStateException(words.get(0));
    }
  }

  private static char[] password(String user, InputStream in) {
    java.io.Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("Password for %s: ", user);
      char[] again = console.readPassword("The same password again: ");
      if (first == null || again == null || !Arrays.equals(first, again)) {
        throw new BeaconException("The two passwords differ; " + user + " was not added.");
      }
      Arrays.fill(again, '\0');
      return first;
    }
    try {
      String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
      if (line == null) {
        throw new BeaconException("No password on standard input; " + user + " was not added.");
      }
      return line.toCharArray();
    } catch (IOException e) {
      throw new BeaconException("Cannot read the password from standard input: " + e.getMessage() + ".", e);
    }
  }
}
