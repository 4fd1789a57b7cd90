package org.beacon.runtime;

/** A configuration problem, stated in one sentence that names the key. */
public final class SettingsException extends BeaconException {
  public SettingsException(String message) {
    super(message);
  }

  public SettingsException(String message, Throwable cause) {
    super(message, cause);
  }
}
