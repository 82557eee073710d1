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
import org.lms.infrastructure.config.NodeConfig;

/**
 * The node's one MongoDB client: to the configured {@code MONGO_URI}, or else to an embedded
 * mongo-java-server started in this process (H2 file backend under the node's data directory).
 */
public final class MongoConnection implements AutoCloseable {

  private final MongoClient client;
  private final MongoServer server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MongoConnection(MongoClient client, MongoServer server) {
    this.client = client;
    this.server = server;
  }

  /** Connects to {@code config.mongoUri()}, or starts the embedded server on the node's files. */
  public static MongoConnection open(NodeConfig config) {
    if (config.mongoUri().isPresent()) {
      return new MongoConnection(MongoClients.create(config.mongoUri().get()), null);
    }
    Path dir = config.embeddedMongoDir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return embedded(new H2Backend(dir.resolve("lms.mv").toString()));
  }

  /** An embedded server that keeps everything in memory: for tests. */
  public static MongoConnection inMemory() {
    return embedded(new MemoryBackend());
  }

  private static MongoConnection embedded(MongoBackend backend) {
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
      return new MongoConnection(MongoClients.create(settings), server);
    } catch (RuntimeException e) {
      server.shutdownNow();
      throw e;
    }
  }

  public MongoClient client() {
    return client;
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
