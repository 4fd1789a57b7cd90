package org.beacon.runtime;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.beacon.stats.ClopperPearson;
import org.beacon.stats.Kish;
import org.beacon.stats.Newcombe;
import org.beacon.stats.Wilson;

/**
 * Beacon's SQL functions, registered in every session (and so in `beacon sql`):
 * wilson_lower/upper(x, n, confidence), clopper_pearson_lower/upper(x, n, confidence),
 * newcombe_diff_lower/upper(x1, n1, x2, n2, confidence) and the aggregate kish_neff(weight).
 * Arguments may be any numeric type; a null argument gives null.
 */
public final class SqlFunctions {
  private SqlFunctions() {}

  private interface Bound3 extends java.io.Serializable {
    double apply(double x, double n, double confidence);
  }

  private interface Bound5 extends java.io.Serializable {
    double apply(double x1, double n1, double x2, double n2, double confidence);
  }

  public static void register(SparkSession spark) {
    bound3(spark, "wilson_lower", Wilson::lower);
    bound3(spark, "wilson_upper", Wilson::upper);
    bound3(spark, "clopper_pearson_lower", ClopperPearson::lower);
    bound3(spark, "clopper_pearson_upper", ClopperPearson::upper);
    bound5(spark, "newcombe_diff_lower", Newcombe::lower);
    bound5(spark, "newcombe_diff_upper", Newcombe::upper);
    spark.udf().register("kish_neff", functions.udaf(new KishEffectiveN(), Encoders.DOUBLE()));
  }

  // Java UDFs get no implicit input casts, so each accepts any numeric type (int, bigint, decimal, double).
  private static void bound3(SparkSession spark, String name, Bound3 f) {
    spark.udf().register(name, (UDF3<Object, Object, Object, Double>) (x, n, c) ->
        x == null || n == null || c == null ? null : f.apply(number(name, x), number(name, n), number(name, c)),
        DataTypes.DoubleType);
  }

  private static void bound5(SparkSession spark, String name, Bound5 f) {
    spark.udf().register(name, (UDF5<Object, Object, Object, Object, Object, Double>) (x1, n1, x2, n2, c) ->
        x1 == null || n1 == null || x2 == null || n2 == null || c == null ? null
            : f.apply(number(name, x1), number(name, n1), number(name, x2), number(name, n2), number(name, c)),
        DataTypes.DoubleType);
  }

  private static double number(String function, Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(function + " takes numbers, not '" + value + "'.");
  }

  /** kish_neff(weight): (Σw)² / Σw² over the group's non-null weights. */
  static final class KishEffectiveN extends Aggregator<Double, KishEffectiveN.Sums, Double> {
    /** The aggregation buffer (a bean, so Spark encodes it as two columns). */
    public static final class Sums implements java.io.Serializable {
      private double weights;
      private double squares;

      public double getWeights() { return weights; }
      public void setWeights(double v) { weights = v; }
      public double getSquares() { return squares; }
      public void setSquares(double v) { squares = v; }
    }

    @Override
    public Sums zero() {
      return new Sums();
    }

    @Override
    public Sums reduce(Sums sums, Double w) {
      if (w != null) {
        sums.weights += w;
        sums.squares += w * w;
      }
      return sums;
    }

    @Override
    public Sums merge(Sums a, Sums b) {
      a.weights += b.weights;
      a.squares += b.squares;
      return a;
    }

    @Override
    public Double finish(Sums sums) {
      return sums.squares > 0 ? Kish.effectiveN(sums.weights, sums.squares) : null;
    }

    @Override
    public Encoder<Sums> bufferEncoder() {
      return Encoders.bean(Sums.class);
    }

    @Override
    public Encoder<Double> outputEncoder() {
      return Encoders.DOUBLE();
    }
  }
}
