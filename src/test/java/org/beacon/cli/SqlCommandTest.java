package org.beacon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.Test;

/**
 * `beacon sql --batch` in a Spark of its own, the protocol the notebooks' helper speaks (the notebooks
 * themselves run through an endpoint in NotebooksTest): a result per statement, each ended by a status line;
 * a failed statement says why and the next still runs. Which statements a running endpoint may answer.
 */
class SqlCommandTest {
  @Test
  void batchModeEndsEachResultWithItsStatus() throws Exception {
    String input = "SELECT 1 AS one,\n 'a;b' AS text;\nSELECT * FROM gold.no_such_table;\nSELECT 2 AS two; SELECT 3 AS three;\n";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code = SqlCommand.run(SqlCommand.spark(SharedSpark.session()), Args.parse(new SqlCommand(), List.of("--batch", "--format", "csv"), Beacon.COMMANDS),
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, code, "a statement failed");
    assertEquals(List.of("one,text", "1,a;b", "#beacon-end ok"), lines.subList(0, 3));
    assertTrue(lines.get(3).startsWith("#beacon-end error The query failed: ") && lines.get(3).contains("no_such_table"), lines.get(3));
    assertEquals(List.of("two", "2", "#beacon-end ok", "three", "3", "#beacon-end ok"), lines.subList(4, lines.size()));
  }

  /** Only statements that read and leave no session state may go to an endpoint; the endpoint's guard judges the rest. */
  @Test
  void onlyQueriesAreSentToARunningEndpoint() {
    for (String q : List.of("SELECT 1", "  select * from gold.t", "(SELECT 1) UNION (SELECT 2)", "WITH a AS (SELECT 1) SELECT * FROM a",
        "VALUES (1)", "TABLE gold.t", "SHOW TABLES IN gold", "DESCRIBE gold.t", "desc gold.t", "EXPLAIN SELECT 1", "SELECT\n1")) {
      assertTrue(SqlCommand.isQuery(q), q);
    }
    for (String s : List.of("CREATE VIEW gold.v AS SELECT 1", "SET spark.sql.shuffle.partitions=4", "USE gold", "INSERT INTO t SELECT 1",
        "CACHE TABLE gold.t", "SELECTED", "/* note */ SELECT 1", "DROP VIEW gold.v", "REFRESH TABLE gold.t")) {
      assertFalse(SqlCommand.isQuery(s), s);
    }
  }
}
