package org.beacon.runtime;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Pseudonyms for respondent ids: HMAC-SHA-256 (RFC 2104) of the trimmed id under a secret key, as 64 hex
 * digits. Unlike a salted hash, a keyed hash cannot be recomputed from a guessed id by anyone without the
 * key, and the key stays out of query plans and logs (it lives inside the function, not in a literal).
 */
public final class Pseudonyms {
  private Pseudonyms() {}

  /** The column's values replaced by their pseudonyms; null stays null. */
  public static Column of(Column id, String key) {
    UserDefinedFunction hmac = functions.udf(new Hmac(key.getBytes(StandardCharsets.UTF_8)), DataTypes.StringType);
    return hmac.apply(functions.trim(id));
  }

  /** One value's pseudonym, for checks outside Spark. */
  public static String of(String id, String key) {
    return new Hmac(key.getBytes(StandardCharsets.UTF_8)).call(id.strip());
  }

  private static final class Hmac implements UDF1<String, String> {
    private final byte[] key;
    // Mac instances are not thread-safe and not serialisable: one per executor thread, made on first use.
    private transient ThreadLocal<Mac> mac;

    Hmac(byte[] key) {
      this.key = key.clone();
    }

    @Override
    public String call(String id) {
      if (id == null) {
        return null;
      }
      if (mac == null) {
        mac = ThreadLocal.withInitial(this::newMac);
      }
      return HexFormat.of().formatHex(mac.get().doFinal(id.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
      try {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Java always provides HmacSHA256.", e);
      }
    }
  }
}
