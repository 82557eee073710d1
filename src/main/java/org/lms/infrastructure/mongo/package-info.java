/**
 * MongoDB adapter of the state store: {@link org.lms.infrastructure.mongo.MongoStateStore} (reads
 * through Eclipse JNoSQL, idempotent writes through the driver) and the node's one client, {@link
 * org.lms.infrastructure.mongo.MongoConnection}, with the embedded mongo-java-server default. Only
 * infrastructure code uses this package; the domain sees the {@code StateStore} port.
 */
package org.lms.infrastructure.mongo;
