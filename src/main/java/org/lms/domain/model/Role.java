package org.lms.domain.model;

/** What a user is in the school; nobody chooses their own. */
public enum Role {
  STUDENT,
  INSTRUCTOR,
  ADMIN
}
