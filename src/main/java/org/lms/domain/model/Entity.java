package org.lms.domain.model;

/** A stored record with a unique id within its kind. */
public interface Entity {
  String id();
}
