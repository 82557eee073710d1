package org.lms.infrastructure.backup;

import java.io.IOException;

/** This node cannot take a backup now; the message says why, for the operator. */
public final class BackupUnavailableException extends IOException {
  public BackupUnavailableException(String message) {
    super(message);
  }
}
