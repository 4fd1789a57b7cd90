package org.beacon.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.beacon.SharedSpark;
import org.junit.jupiter.api.Test;

class PseudonymsTest {
  @Test
  void matchesTheHmacSha256TestVectorsOfRfc4231() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        Pseudonyms.of("what do ya want for nothing?", "Jefe"));
  }

  @Test
  void theColumnGivesTheSamePseudonymsTrimsIdsAndKeepsNulls() {
    var spark = SharedSpark.session();
    List<Row> ids = Arrays.asList(RowFactory.create(" R1 "), RowFactory.create("R1"), RowFactory.create("R2"), RowFactory.create((Object) null));
    List<Row> rows = spark.createDataFrame(ids, StructType.fromDDL("id STRING"))
        .select(Pseudonyms.of(functions.col("id"), "a-key-of-sixteen+").as("key")).collectAsList();
    assertEquals(Pseudonyms.of("R1", "a-key-of-sixteen+"), rows.get(0).getString(0));
    assertEquals(rows.get(0).getString(0), rows.get(1).getString(0), "surrounding spaces are not part of the id");
    assertNotEquals(rows.get(1).getString(0), rows.get(2).getString(0));
    assertNull(rows.get(3).get(0));
    assertNotEquals(Pseudonyms.of("R1", "a-key-of-sixteen+"), Pseudonyms.of("R1", "another-key-of-16"),
        "another key gives other pseudonyms");
  }

}
