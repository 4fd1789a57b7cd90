package org.beacon.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.beacon.SharedSpark;
import org.beacon.stats.ClopperPearson;
import org.beacon.stats.Newcombe;
import org.junit.jupiter.api.Test;

class SqlFunctionsTest {
  private final SparkSession spark = SharedSpark.session();

  @Test
  void intervalFunctionsAcceptAnyNumericType() {
    Row r = spark.sql("SELECT wilson_lower(81, 263, 0.95), wilson_upper(81L, 263.0D, 0.95), "
        + "clopper_pearson_lower(5, 10, 0.95), clopper_pearson_upper(CAST(5 AS DECIMAL(4,1)), 10, 0.95), "
        + "newcombe_diff_lower(56, 70, 48, 80, 0.95), newcombe_diff_upper(56, 70, 48, 80, 0.95), "
        + "wilson_lower(NULL, 10, 0.95)").first();
    assertEquals(0.2552885199, r.getDouble(0), 1e-9);
    assertEquals(0.3662095770, r.getDouble(1), 1e-9);
    assertEquals(ClopperPearson.lower(5, 10, 0.95), r.getDouble(2), 1e-12);
    assertEquals(ClopperPearson.upper(5, 10, 0.95), r.getDouble(3), 1e-12);
    assertEquals(Newcombe.lower(56, 70, 48, 80, 0.95), r.getDouble(4), 1e-12);
    assertEquals(0.3339, r.getDouble(5), 5e-5);
    assertTrue(r.isNullAt(6));
  }

  @Test
  void kishEffectiveNAggregatesByGroup() {
    Row r = spark.sql("SELECT kish_neff(w) FROM VALUES (1), (1), (2), (4) AS t(w)").first();
    assertEquals(64.0 / 22, r.getDouble(0), 1e-12);
    assertEquals(2, spark.sql("SELECT g, kish_neff(w) FROM VALUES ('a', 1.5), ('a', 1.5), ('b', 2.0) AS t(g, w) GROUP BY g")
        .count());
  }
}
