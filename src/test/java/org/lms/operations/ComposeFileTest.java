package org.lms.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code docker-compose.yml} as Docker Compose reads it ({@code docker-compose config}, Debian's
 * docker-compose, which needs no Docker engine): three nodes with their own MongoDB and volumes,
 * Ollama from {@code Dockerfile.llm}, no secret in the file, and every node set up as {@code ./lms}
 * sets one up. Fails, never skips, without docker-compose: {@code ./lms test} installs it.
 */
class ComposeFileTest {
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  /** Settings {@code ./lms} hands a node from its own environment when they are set. */
  private static final Set<String> PASSED_THROUGH =
      Set.of("MONGO_URI", "OLLAMA_URL", "LMS_AI_MODEL");

  /**
   * Read by the container's start script ({@code payara/container-start.sh}) where {@code ./lms}
   * reads its own variables: the HTTP port it passes as {@code --port}, extra JVM options.
   */
  private static final Set<String> STARTER_SETTINGS = Set.of("LMS_HTTP_PORT", "LMS_JAVA_OPTS");

  private static final String SECRET = "compose-test-secret-0123456789";
  private static final String PASSWORD = "compose-test-password";

  private static final Path PROJECT = Path.of("").toAbsolutePath();

  private static Map<String, Object> config;

  @BeforeAll
  static void readTheFileAsComposeDoes(@TempDir Path tmp) throws Exception {
    Run run = compose(tmp, Map.of("LMS_CLUSTER_SECRET", SECRET, "LMS_ADMIN_PASSWORD", PASSWORD));
    assertThat(run.exitCode()).as("docker-compose config failed: %s", run.stderr()).isZero();
    config = new Yaml(new SafeConstructor(new LoaderOptions())).load(run.stdout());
  }

  @Test
  void everyNodeIsAServiceBuiltFromTheServerImage() {
    for (String node : NODES) {
      assertThat(map(service(node), "build").get("dockerfile"))
          .as(node)
          .isEqualTo("Dockerfile.server");
      assertThat(environment(node)).as(node).containsEntry("SERVER_NAME", node);
    }
  }

  @Test
  void everyNodeHasItsOwnMongoDbAndWaitsForItsHealth() {
    Set<String> mongos = new LinkedHashSet<>();
    Set<String> mongoVolumes = new LinkedHashSet<>();
    for (String node : NODES) {
      Matcher uri =
          Pattern.compile("mongodb://([^:/]+):27017").matcher(environment(node).get("MONGO_URI"));
      assertThat(uri.matches()).as("%s MONGO_URI", node).isTrue();
      String mongo = uri.group(1);
      mongos.add(mongo);
      Map<String, Object> mongoService = service(mongo);
      assertThat((String) mongoService.get("image")).as(mongo).matches("mongo:\\d+(\\.\\d+)*");
      assertThat(mongoService).as(mongo).containsKey("healthcheck");
      assertThat(map(map(service(node), "depends_on"), mongo))
          .as("%s depends on %s", node, mongo)
          .containsEntry("condition", "service_healthy");
      Map<String, String> volumes = namedVolumes(mongo);
      assertThat(volumes).as(mongo).containsKey("/data/db");
      mongoVolumes.add(volumes.get("/data/db"));
    }
    assertThat(mongos).as("one MongoDB per node").hasSize(NODES.size());
    assertThat(mongoVolumes).as("one MongoDB volume per node").hasSize(NODES.size());
  }

  @Test
  void everyNodeKeepsItsRaftLogAndFilesInVolumesOfItsOwn() {
    Set<String> seen = new LinkedHashSet<>();
    for (String node : NODES) {
      Map<String, String> env = environment(node);
      Map<String, String> volumes = namedVolumes(node);
      // the node keeps its Raft log in LMS_DATA_DIR/raft (NodeConfig.raftDir)
      assertThat(env.get("LMS_DATA_DIR") + "/raft").as(node).isEqualTo("/app/logs/raft");
      assertThat(volumes).as(node).containsKeys("/app/logs/raft", env.get("FILE_STORAGE_DIR"));
      seen.add(volumes.get("/app/logs/raft"));
      seen.add(volumes.get(env.get("FILE_STORAGE_DIR")));
    }
    assertThat(seen).as("no volume shared between nodes or uses").hasSize(2 * NODES.size());
  }

  @Test
  void theNodesFindEachOtherAndArePublishedOnTheLaunchersPorts() {
    LauncherScript lms = LauncherScript.in(PROJECT);
    for (int i = 0; i < NODES.size(); i++) {
      String node = NODES.get(i);
      Map<String, String> env = environment(node);
      Map<String, String> raftPeers = peers(env.get("LMS_RAFT_PEERS"));
      Map<String, String> grpcPeers = peers(env.get("LMS_GRPC_PEERS"));
      for (int j = 0; j < NODES.size(); j++) {
        String peer = NODES.get(j);
        assertThat(raftPeers).as(node).containsEntry(peer, peer + ":" + (lms.portBase("RAFT") + j));
        assertThat(grpcPeers).as(node).containsEntry(peer, peer + ":" + (lms.portBase("GRPC") + j));
      }
      assertThat(raftPeers.keySet()).as(node).containsExactlyInAnyOrderElementsOf(NODES);
      assertThat(grpcPeers.keySet()).as(node).containsExactlyInAnyOrderElementsOf(NODES);
      int http = lms.portBase("HTTP") + i;
      int grpc = lms.portBase("GRPC") + i;
      assertThat(env).as(node).containsEntry("LMS_HTTP_PORT", String.valueOf(http));
      assertThat(env).as(node).containsEntry("LMS_GRPC_PORT", String.valueOf(grpc));
      assertThat(publishedPorts(node))
          .as(node)
          .containsExactlyInAnyOrder(http + "->" + http, grpc + "->" + grpc);
    }
  }

  @Test
  void theNodesGetWhatTheLauncherGivesANodeAndNothingElse() {
    Set<String> launcherKeys = LauncherScript.in(PROJECT).nodeEnvironmentKeys();
    assertThat(launcherKeys)
        .as("what ./lms exports for a node")
        .contains("SERVER_NAME", "LMS_DATA_DIR", "FILE_STORAGE_DIR", "LMS_RAFT_PEERS")
        .contains("LMS_GRPC_PEERS", "LMS_GRPC_PORT", "LMS_CLUSTER_SECRET", "LMS_ADMIN_PASSWORD");
    Set<String> allowed = new LinkedHashSet<>(launcherKeys);
    allowed.addAll(PASSED_THROUGH);
    allowed.addAll(STARTER_SETTINGS);
    for (String node : NODES) {
      Set<String> keys = environment(node).keySet();
      assertThat(keys).as("%s has every key ./lms sets", node).containsAll(launcherKeys);
      assertThat(keys).as("%s has only keys ./lms sets or passes on", node).isSubsetOf(allowed);
      assertThat(keys).as(node).contains("MONGO_URI", "OLLAMA_URL", "LMS_AI_MODEL");
    }
  }

  @Test
  void theNodesAskTheOllamaBuiltFromDockerfileLlmForTheModelItHolds() {
    String ollama = null;
    for (var entry : services().entrySet()) {
      Object build = map(entry.getValue()).get("build");
      if (build != null && "Dockerfile.llm".equals(map(build).get("dockerfile"))) {
        ollama = entry.getKey();
      }
    }
    assertThat(ollama).as("a service built from Dockerfile.llm").isNotNull();
    String model = (String) map(map(service(ollama), "build"), "args").get("LMS_AI_MODEL");
    for (String node : NODES) {
      assertThat(environment(node))
          .as(node)
          .containsEntry("OLLAMA_URL", "http://" + ollama + ":11434")
          .containsEntry("LMS_AI_MODEL", model);
    }
  }

  @Test
  void noSecretIsWrittenInTheFile() {
    for (var entry : services().entrySet()) {
      Object env = map(entry.getValue()).get("environment");
      if (env == null) {
        continue;
      }
      map(env)
          .forEach(
              (key, value) -> {
                if (key.matches(".*(SECRET|PASSWORD|TOKEN|KEY).*")) {
                  assertThat(value)
                      .as("%s of %s comes from the operator", key, entry.getKey())
                      .isIn(SECRET, PASSWORD);
                }
              });
    }
  }

  @Test
  void composeRefusesToRunWithoutTheClusterSecretOrTheAdminPassword(@TempDir Path tmp)
      throws Exception {
    Run noSecret = compose(tmp, Map.of("LMS_ADMIN_PASSWORD", PASSWORD));
    assertThat(noSecret.exitCode()).isNotZero();
    assertThat(noSecret.stderr()).contains("set LMS_CLUSTER_SECRET");
    Run noPassword = compose(tmp, Map.of("LMS_CLUSTER_SECRET", SECRET));
    assertThat(noPassword.exitCode()).isNotZero();
    assertThat(noPassword.stderr()).contains("set LMS_ADMIN_PASSWORD");
  }

  @Test
  void theTestRunInstallsDockerCompose() {
    LauncherScript lms = LauncherScript.in(PROJECT);
    assertThat(lms.function("cmd_test")).contains("ensure_compose");
    assertThat(lms.function("ensure_compose"))
        .contains("apt-get install")
        .contains("docker-compose");
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code docker-compose config} on the project's file with only the given variables: none of
   * the caller's own {@code LMS_*} settings, and no {@code .env} file.
   */
  private static Run compose(Path tmp, Map<String, String> variables) throws Exception {
    Path emptyEnvFile = Files.writeString(Files.createTempFile(tmp, "compose", ".env"), "");
    Path out = Files.createTempFile(tmp, "compose", ".out");
    Path err = Files.createTempFile(tmp, "compose", ".err");
    var builder =
        new ProcessBuilder(
                "docker-compose",
                "--env-file",
                emptyEnvFile.toString(),
                "-f",
                PROJECT.resolve("docker-compose.yml").toString(),
                "config")
            .directory(tmp.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().keySet().removeIf(ComposeFileTest::couldChangeTheResult);
    builder.environment().putAll(variables);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          "docker-compose is missing: ./lms test installs it (as root), or"
              + " sudo apt-get install -y --no-install-recommends docker-compose",
          e);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("docker-compose config did not finish within 60 s");
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static boolean couldChangeTheResult(String variable) {
    return variable.startsWith("LMS_")
        || variable.startsWith("COMPOSE_")
        || variable.startsWith("DOCKER_")
        || PASSED_THROUGH.contains(variable);
  }

  private static Map<String, Object> services() {
    return map(config, "services");
  }

  private static Map<String, Object> service(String name) {
    assertThat(services()).as("services").containsKey(name);
    return map(services(), name);
  }

  private static Map<String, String> environment(String service) {
    Map<String, String> env = new TreeMap<>();
    map(service(service), "environment").forEach((k, v) -> env.put(k, String.valueOf(v)));
    return env;
  }

  /** Target path to named volume; fails on a bind mount. */
  private static Map<String, String> namedVolumes(String service) {
    Set<String> declared = map(config, "volumes").keySet();
    Map<String, String> volumes = new HashMap<>();
    for (Object entry : list(service(service).get("volumes"))) {
      String[] parts = ((String) entry).split(":");
      assertThat(declared)
          .as("%s mounts a named volume, not a host path", service)
          .contains(parts[0]);
      volumes.put(parts[1], parts[0]);
    }
    return volumes;
  }

  /** Published ports as "host->container"; the host address is the operator's choice. */
  private static List<String> publishedPorts(String service) {
    List<String> ports = new ArrayList<>();
    Pattern port = Pattern.compile("(?:.*:)?(\\d+):(\\d+)(?:/tcp)?");
    for (Object entry : list(service(service).get("ports"))) {
      Matcher m = port.matcher(String.valueOf(entry));
      assertThat(m.matches()).as("%s port %s", service, entry).isTrue();
      ports.add(m.group(1) + "->" + m.group(2));
    }
    return ports;
  }

  private static Map<String, String> peers(String list) {
    Map<String, String> peers = new HashMap<>();
    for (String entry : list.split(",")) {
      String[] idAndAddress = entry.split("=", 2);
      peers.put(idAndAddress[0], idAndAddress[1]);
    }
    return peers;
  }

  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    assertThat(parent).containsKey(key);
    return map(parent.get(key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private static List<?> list(Object value) {
    assertThat(value).isInstanceOf(List.class);
    return (List<?>) value;
  }
}
