package org.lms.testing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.lms.infrastructure.mongo.MongoConnection;
import org.lms.infrastructure.mongo.MongoStateStore;

/**
 * One in-memory mongo-java-server per test class, with a fresh database per store. Use it as
 * {@code @RegisterExtension static final MongoFixture mongo = new MongoFixture();} (closed after
 * the class), or close it yourself.
 */
public final class MongoFixture implements AutoCloseable, AfterAllCallback {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  /**
   * The embedded server logs every collection it creates and warns about each secondary index it
   * ignores (known, see ADR 0002); kept here so test output shows what matters. Strong references:
   * JUL forgets levels of loggers that are garbage collected.
   */
  private static final List<Logger> QUIET =
      List.of(
          quiet("de.bwaldvogel.mongo", Level.SEVERE), quiet("org.mongodb.driver", Level.WARNING));

  private final MongoConnection connection = MongoConnection.inMemory();

  /** A store on a new, empty database of its own. */
  public MongoStateStore newStore() {
    return openStore(newDatabaseName());
  }

  /** A store on {@code databaseName}; opening an existing one again simulates a node restart. */
  public MongoStateStore openStore(String databaseName) {
    return new MongoStateStore(connection.client(), databaseName);
  }

  /** A database name used by nobody yet. */
  public String newDatabaseName() {
    return "test_" + DATABASES.incrementAndGet();
  }

  public MongoConnection connection() {
    return connection;
  }

  private static Logger quiet(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    return logger;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    connection.close();
  }
}
