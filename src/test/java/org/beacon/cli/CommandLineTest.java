package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A wrong command line is refused with exit code 2 and one sentence, before any settings or Spark; help lists every command. */
class CommandLineTest {
  private static void refused(String sentence, String... words) {
    Captured c = Captured.run(words);
    assertEquals(2, c.code(), String.join(" ", words));
    assertTrue(c.err().startsWith("beacon " + words[0] + ": " + sentence + "\n"), c.err());
  }

  @Test
  void eachCommandOwnsItsOptions() {
    refused("unknown command 'frobnicate'.", "frobnicate");
    refused("--seed needs a value.", "generate", "--seed");
    refused("--scale needs a number, not 'big'.", "run", "--scale", "big");
    refused("--chart belongs to spc.", "funnel", "--chart", "p");
    refused("--out belongs to marts, extract.", "build", "--out", "x");
    refused("unknown option '--colour'.", "status", "--colour", "red");
    refused("--chart must be one of [i, mr, p, pp, c, u], not 'q'.", "spc", "--input", "f.csv", "--chart", "q");
    refused("spc needs --input and --chart.", "spc", "--input", "f.csv");
    refused("--format must be one of [table, csv, json], not 'xml'.", "sql", "--format", "xml");
    refused("--user belongs to sql --connect.", "sql", "--user", "me");
    refused("give one of --period, --quarter and --month.", "build", "--period", "2007/08", "--month", "2008-03");
    refused("'2007-08x' is not a month such as 2008-03.", "ingest", "--month", "2007-08x");
    refused("ingest --source police-uk needs --input DIR, and --input needs --source.", "ingest", "--source", "police-uk");
    refused("--as-of belongs to ingest --source police-uk --input DIR.", "ingest", "--as-of", "2024-03");
    refused("--as-of must be a month, YYYY-MM (the month the files were downloaded), not '2024-13'.", "ingest", "--source",
        "police-uk", "--input", "d", "--as-of", "2024-13");
    refused("users needs add NAME, remove NAME or list.", "users");
    refused("users add needs a user name.", "users", "add");
    refused("extract needs --force and --period.", "extract", "--force", "west-midlands");
  }

  @Test
  void helpListsEveryCommandOnce() {
    Captured help = Captured.run("--help");
    assertEquals(0, help.code());
    for (Command c : Beacon.COMMANDS) {
      assertEquals(1, help.err().lines().filter(l -> l.startsWith("  " + c.name() + " ")).count()
          + (c.name().equals("ingest") ? -1 : 0), c.name() + " in:\n" + help.err());
    }
    assertEquals(Beacon.COMMANDS.size(), Beacon.COMMANDS.stream().map(Command::name).distinct().count(), "no command twice");
    assertEquals(List.of(), Beacon.COMMANDS.stream().filter(c -> c.help().isEmpty()).toList(), "every command has help");
  }
}
