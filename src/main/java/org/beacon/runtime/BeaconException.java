package org.beacon.runtime;

/**
 * A failure whose message is a plain sentence for the person running the job (what failed, and where:
 * file, row, field, key or table). The CLI prints it alone and exits non-zero.
 */
public class BeaconException extends RuntimeException {
  public BeaconException(String message) {
    super(message);
  }

  public BeaconException(String message, Throwable cause) {
    super(message, cause);
  }
}
