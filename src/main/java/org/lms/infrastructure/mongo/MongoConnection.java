package org.lms.infrastructure.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.h2.mvstore.MVStore;
import org.lms.infrastructure.config.NodeConfig;

/**
 * The node's one MongoDB client: to the configured {@code MONGO_URI}, or else to an embedded
 * mongo-java-server started in this process (H2 file backend under the node's data directory).
 */
public final class MongoConnection implements AutoCloseable {

  private final MongoClient client;
  private final MongoServer server;
  private final Runnable durabilityPoint;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MongoConnection(MongoClient client, MongoServer server, Runnable durabilityPoint) {
    this.client = client;
    this.server = server;
    this.durabilityPoint = durabilityPoint;
  }

  /** Connects to {@code config.mongoUri()}, or starts the embedded server on the node's files. */
  public static MongoConnection open(NodeConfig config) {
    if (config.mongoUri().isPresent()) {
      // a real MongoDB journals writes in order: a crash leaves a prefix of them
      return new MongoConnection(MongoClients.create(config.mongoUri().get()), null, () -> {});
    }
    Path dir = config.embeddedMongoDir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    // H2's auto-commit saves the store from a background thread about once a second, capturing
    // one collection's map after another while commands are being applied: after a kill -9 the
    // file could hold a later write without an earlier one. With auto-commit off, the store is
    // saved only at the durability points the state store marks (after each applied command), so
    // the file always holds the state after some whole command, and the Raft log replays the rest.
    MVStore mvStore =
        new MVStore.Builder()
            .fileName(dir.resolve("lms.mv").toString())
            .autoCommitDisabled()
            .open();
    var backend = new H2Backend(mvStore);
    return embedded(backend, backend::commit);
  }

  /** An embedded server that keeps everything in memory: for tests. */
  public static MongoConnection inMemory() {
    return embedded(new MemoryBackend(), () -> {});
  }

  private static MongoConnection embedded(MongoBackend backend, Runnable durabilityPoint) {
    var server = new MongoServer(backend);
    try {
      // loopback only: the embedded server has no authentication
      server.bind("127.0.0.1", 0);
      InetSocketAddress address = server.getLocalAddress();
      var settings =
          MongoClientSettings.builder()
              .applyConnectionString(
                  new ConnectionString(
                      "mongodb://" + address.getHostString() + ":" + address.getPort()))
              .applyToClusterSettings(c -> c.serverSelectionTimeout(10, TimeUnit.SECONDS))
              .build();
      return new MongoConnection(MongoClients.create(settings), server, durabilityPoint);
    } catch (RuntimeException e) {
      server.shutdownNow();
      throw e;
    }
  }

  public MongoClient client() {
    return client;
  }

  /**
   * Makes every write acknowledged so far survive a crash of this process, as one unit: the state
   * store calls it after each applied command (and after a restore), so that a crash never leaves
   * part of a command on disk without what came before it.
   */
  public Runnable durabilityPoint() {
    return durabilityPoint;
  }

  /** Whether this connection runs its own embedded server rather than using {@code MONGO_URI}. */
  public boolean isEmbedded() {
    return server != null;
  }

  /**
   * Closes the client, then stops the embedded server (which flushes and closes its files). Closing
   * twice does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      client.close();
    } finally {
      if (server != null) {
        server.shutdown();
      }
    }
  }
}
