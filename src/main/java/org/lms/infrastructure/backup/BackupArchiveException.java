package org.lms.infrastructure.backup;

import java.io.IOException;

/**
 * A backup archive that cannot be used: damaged, incomplete, or not an LMS backup. The message
 * names the entry at fault, as {@code sha256sum -c} would.
 */
public final class BackupArchiveException extends IOException {
  public BackupArchiveException(String message) {
    super(message);
  }

  public BackupArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
