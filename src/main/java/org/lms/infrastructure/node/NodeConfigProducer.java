package org.lms.infrastructure.node;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.lms.infrastructure.config.NodeConfig;

/**
 * Builds this node's {@link NodeConfig} once from MicroProfile Config (environment variables over
 * the WAR's {@code microprofile-config.properties}) and refuses to start on a bad value, naming the
 * key and what is wrong with it.
 */
@ApplicationScoped
public class NodeConfigProducer {

  /** The shortest cluster secret accepted: a short one is guessable. */
  static final int MIN_SECRET_LENGTH = 16;

  @Inject Config config;

  private NodeConfig nodeConfig;

  @PostConstruct
  void read() {
    nodeConfig = read(key -> config.getOptionalValue(key, String.class));
  }

  @Produces
  NodeConfig nodeConfig() {
    return nodeConfig;
  }

  /**
   * Reads and checks every key; {@code lookup} returns a key's value (empty when unset).
   *
   * @throws InvalidNodeConfigException listing every bad or missing key
   */
  static NodeConfig read(Function<String, Optional<String>> lookup) {
    return new Reader(key -> lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty())).read();
  }

  /** Collects every problem before failing, so an operator fixes the configuration in one go. */
  private static final class Reader {
    private final Function<String, Optional<String>> lookup;
    private final List<String> problems = new ArrayList<>();

    Reader(Function<String, Optional<String>> lookup) {
      this.lookup = lookup;
    }

    NodeConfig read() {
      String nodeId = required("SERVER_NAME");
      Path dataDir = path("LMS_DATA_DIR");
      Path fileDir = path("FILE_STORAGE_DIR");
      Map<String, String> raftPeers = peers("LMS_RAFT_PEERS", nodeId);
      Map<String, String> grpcPeers = peers("LMS_GRPC_PEERS", nodeId);
      if (!raftPeers.isEmpty()
          && !grpcPeers.isEmpty()
          && !raftPeers.keySet().equals(grpcPeers.keySet())) {
        problems.add(
            "LMS_RAFT_PEERS and LMS_GRPC_PEERS name different nodes: "
                + raftPeers.keySet()
                + " and "
                + grpcPeers.keySet());
      }
      int grpcPort = (int) number("LMS_GRPC_PORT", 1, 65535);
      String secret = required("LMS_CLUSTER_SECRET");
      if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
        problems.add("LMS_CLUSTER_SECRET is shorter than " + MIN_SECRET_LENGTH + " characters");
      }
      long maxUpload = number("LMS_MAX_UPLOAD_BYTES", 1, Long.MAX_VALUE);
      Optional<String> mongoUri = lookup.apply("MONGO_URI");
      mongoUri.ifPresent(
          uri -> {
            if (!uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://")) {
              problems.add("MONGO_URI must start with mongodb:// or mongodb+srv://");
            }
          });
      long electionMin = number("LMS_ELECTION_TIMEOUT_MIN_MS", 1, 600_000);
      long electionMax = number("LMS_ELECTION_TIMEOUT_MAX_MS", 1, 600_000);
      if (electionMin > 0 && electionMax > 0 && electionMin >= electionMax) {
        problems.add(
            "LMS_ELECTION_TIMEOUT_MIN_MS ("
                + electionMin
                + ") must be below LMS_ELECTION_TIMEOUT_MAX_MS ("
                + electionMax
                + ")");
      }
      long snapshotThreshold = number("LMS_SNAPSHOT_THRESHOLD", 1, Long.MAX_VALUE);
      long segmentBytes = number("LMS_LOG_SEGMENT_BYTES", 1024, Integer.MAX_VALUE);
      boolean join = flag("LMS_RAFT_JOIN");
      if (!problems.isEmpty()) {
        throw new InvalidNodeConfigException(problems);
      }
      return new NodeConfig(
          nodeId,
          dataDir,
          fileDir,
          raftPeers,
          grpcPeers,
          grpcPort,
          secret,
          maxUpload,
          mongoUri,
          Duration.ofMillis(electionMin),
          Duration.ofMillis(electionMax),
          snapshotThreshold,
          segmentBytes,
          join);
    }

    /** An optional {@code true}/{@code false} key; unset is false. */
    private boolean flag(String key) {
      Optional<String> value = lookup.apply(key);
      if (value.isEmpty() || value.get().equalsIgnoreCase("false")) {
        return false;
      }
      if (value.get().equalsIgnoreCase("true")) {
        return true;
      }
      problems.add(key + " is '" + value.get() + "', expected true or false");
      return false;
    }

    private String required(String key) {
      Optional<String> value = lookup.apply(key);
      if (value.isEmpty()) {
        problems.add(key + " is not set");
        return null;
      }
      return value.get();
    }

    private Path path(String key) {
      String value = required(key);
      if (value == null) {
        return null;
      }
      try {
        return Path.of(value).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        problems.add(key + " is not a valid path: " + e.getMessage());
        return null;
      }
    }

    private long number(String key, long min, long max) {
      String value = required(key);
      if (value == null) {
        return -1;
      }
      try {
        long n = Long.parseLong(value);
        if (n < min || n > max) {
          problems.add(key + " is " + n + ", expected " + min + ".." + max);
          return -1;
        }
        return n;
      } catch (NumberFormatException e) {
        problems.add(key + " is '" + value + "', not a whole number");
        return -1;
      }
    }

    private Map<String, String> peers(String key, String nodeId) {
      String value = required(key);
      if (value == null) {
        return Map.of();
      }
      try {
        Map<String, String> peers = parsePeers(value);
        if (nodeId != null && !peers.containsKey(nodeId)) {
          problems.add(key + " does not name this node '" + nodeId + "': " + peers.keySet());
        }
        for (var peer : peers.entrySet()) {
          String address = peer.getValue();
          String port = address.substring(address.lastIndexOf(':') + 1);
          if (!port.matches("\\d{1,5}")
              || Integer.parseInt(port) < 1
              || Integer.parseInt(port) > 65535) {
            problems.add(
                key + ": peer " + peer.getKey() + " has no valid port in '" + address + "'");
          }
        }
        return peers;
      } catch (IllegalArgumentException e) {
        problems.add(key + ": " + e.getMessage());
        return Map.of();
      }
    }
  }

  /** Parses {@code n1=127.0.0.1:9871,n2=127.0.0.1:9872}, keeping the order for messages. */
  private static Map<String, String> parsePeers(String spec) {
    var peers = new LinkedHashMap<String, String>();
    for (String part : spec.split(",")) {
      String entry = part.trim();
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1 || entry.lastIndexOf(':') < eq) {
        throw new IllegalArgumentException(
            "peer '" + entry + "' is not of the form id=host:port (in '" + spec + "')");
      }
      peers.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return peers;
  }

  /** The node's configuration is missing or wrong; the message names every bad key. */
  public static final class InvalidNodeConfigException extends RuntimeException {
    InvalidNodeConfigException(List<String> problems) {
      super("this node's configuration is invalid: " + String.join("; ", problems));
    }
  }
}
