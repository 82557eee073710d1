package org.lms.infrastructure.blobs;

import java.io.IOException;

/** Bytes did not hash to the name they were sent or stored under; they were not kept. */
public final class BlobHashMismatchException extends IOException {

  public BlobHashMismatchException(String expectedSha256, String actualSha256) {
    super("expected bytes hashing to " + expectedSha256 + " but they hash to " + actualSha256);
  }
}
