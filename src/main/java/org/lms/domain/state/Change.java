package org.lms.domain.state;

import org.lms.domain.model.Entity;

/** One write a handler asks for: store an entity (insert or replace by id), or delete one. */
public sealed interface Change {

  /** Insert or replace {@code entity} under its id. */
  record Put(Entity entity) implements Change {}

  /** Delete the entity of {@code type} with {@code id}, if present. */
  record Delete(Class<? extends Entity> type, String id) implements Change {}
}
