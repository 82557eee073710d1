package org.lms.application.port;

/** One-way password hashing; only hashes ever reach the log. */
public interface PasswordHasher {

  String hash(char[] password);

  boolean verify(char[] password, String hash);
}
