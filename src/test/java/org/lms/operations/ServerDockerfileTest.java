package org.lms.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Dockerfile.server} read as text (there is no Docker engine to build it in the tests): what
 * it copies exists and is in the build context, it runs as a non-root user with a health check on
 * readiness, keeps the Raft log and files in volumes, and starts Payara Micro as {@code ./lms}
 * does.
 */
class ServerDockerfileTest {
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final String START_SCRIPT = "payara/container-start.sh";

  /** Instructions of the last stage (the image), continuation lines joined, comments dropped. */
  private static List<String> image;

  private static List<String> all;

  @BeforeAll
  static void read() throws IOException {
    all = instructions(Files.readString(PROJECT.resolve("Dockerfile.server")));
    int lastFrom = 0;
    for (int i = 0; i < all.size(); i++) {
      if (keyword(all.get(i)).equals("FROM")) {
        lastFrom = i;
      }
    }
    image = all.subList(lastFrom, all.size());
  }

  @Test
  void everyBaseImageIsPinned() {
    for (String from : withKeyword(all, "FROM")) {
      String ref = from.split("\\s+")[1];
      assertThat(ref).as(from).matches("[^:]+:[^:]*\\d[^:]*").doesNotEndWith(":latest");
    }
  }

  @Test
  void itCopiesOnlyWhatExistsAndIsInTheBuildContext() throws IOException {
    List<String> admitted = new ArrayList<>();
    for (String line : Files.readAllLines(PROJECT.resolve(".dockerignore"))) {
      if (line.startsWith("!")) {
        admitted.add(line.substring(1).replaceAll("/+$", ""));
      }
    }
    List<String> copies = withKeyword(all, "COPY");
    assertThat(copies).isNotEmpty();
    for (String copy : copies) {
      List<String> words = new ArrayList<>(Arrays.asList(copy.split("\\s+")));
      words.remove(0);
      if (words.get(0).startsWith("--from=")) {
        continue;
      }
      words.removeIf(w -> w.startsWith("--"));
      for (String source : words.subList(0, words.size() - 1)) {
        String path = source.replaceAll("^\\./", "").replaceAll("/+$", "");
        assertThat(PROJECT.resolve(path)).as(copy).exists();
        assertThat(admitted)
            .as("%s is admitted by .dockerignore (which excludes everything else)", path)
            .anySatisfy(a -> assertThat(path.equals(a) || path.startsWith(a + "/")).isTrue());
      }
    }
  }

  @Test
  void theNodeRunsAsAnUnprivilegedUser() {
    List<String> users = withKeyword(image, "USER");
    assertThat(users).as("USER in the image's stage").isNotEmpty();
    String user = users.get(users.size() - 1).split("\\s+")[1];
    assertThat(user).isNotIn("root", "0", "0:0", "root:root");
  }

  @Test
  void healthIsTheNodesReadiness() {
    List<String> checks = withKeyword(image, "HEALTHCHECK");
    assertThat(checks).hasSize(1);
    assertThat(checks.get(0)).contains("/health/ready").contains("${LMS_HTTP_PORT}");
  }

  @Test
  void theRaftLogAndTheFilesAreVolumes() {
    Map<String, String> env = environment();
    String volumes = String.join(" ", withKeyword(image, "VOLUME"));
    assertThat(env.get("LMS_DATA_DIR") + "/raft").isEqualTo("/app/logs/raft");
    assertThat(volumes)
        .contains("\"/app/logs/raft\"")
        .contains("\"" + env.get("FILE_STORAGE_DIR") + "\"");
  }

  @Test
  void itRunsThePayaraMicroTheLauncherRuns() {
    String version = LauncherScript.in(PROJECT).payaraVersion();
    assertThat(withKeyword(all, "ARG")).contains("ARG PAYARA_VERSION=" + version);
    assertThat(String.join("\n", withKeyword(all, "RUN")))
        .contains("fish.payara.extras:payara-micro:${PAYARA_VERSION}:jar");
  }

  @Test
  void itStartsTheNodeWithTheLaunchersFlagsAndJvmOptions() throws IOException {
    assertThat(withKeyword(image, "ENTRYPOINT"))
        .containsExactly("ENTRYPOINT [\"/app/" + START_SCRIPT + "\"]");
    Path script = PROJECT.resolve(START_SCRIPT);
    assertThat(Files.isExecutable(script)).as(START_SCRIPT + " is executable").isTrue();
    String start = Files.readString(script);
    LauncherScript lms = LauncherScript.in(PROJECT);
    assertThat(lms.jvmOptions()).isNotEmpty();
    for (String option : lms.jvmOptions()) {
      assertThat(start).contains(" " + option + " ");
    }
    assertThat(lms.payaraFlags())
        .contains("--nohazelcast", "--contextroot", "--prebootcommandfile");
    for (String flag : lms.payaraFlags()) {
      assertThat(start).contains(" " + flag + " ");
    }
    assertThat(start)
        .contains("--contextroot / ")
        .contains("--prebootcommandfile /app/payara/pre-boot-commands.asadmin")
        .contains("${LMS_JAVA_OPTS:-}")
        .contains("${LMS_HTTP_PORT:-");
  }

  @Test
  void theHttpListenerBindsEveryInterfaceInsideTheContainer() throws IOException {
    String line =
        "set configs.config.server-config.network-config.network-listeners.network-listener"
            + ".http-listener.address=";
    assertThat(Files.readAllLines(PROJECT.resolve("payara/pre-boot-commands.asadmin")))
        .as("the line the image rewrites")
        .anySatisfy(l -> assertThat(l).startsWith(line));
    assertThat(String.join("\n", withKeyword(image, "RUN"))).contains(line + "0.0.0.0");
  }

  private static Map<String, String> environment() {
    Map<String, String> env = new TreeMap<>();
    Matcher pair = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\\S+)").matcher("");
    for (String line : withKeyword(image, "ENV")) {
      pair.reset(line);
      while (pair.find()) {
        env.put(pair.group(1), pair.group(2));
      }
    }
    return env;
  }

  private static List<String> withKeyword(List<String> instructions, String keyword) {
    return instructions.stream().filter(i -> keyword(i).equals(keyword)).toList();
  }

  private static String keyword(String instruction) {
    return instruction.split("\\s+", 2)[0].toUpperCase();
  }

  private static List<String> instructions(String dockerfile) {
    List<String> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
      } else {
        current.append(trimmed);
        result.add(current.toString().replaceAll("\\s+", " ").strip());
        current.setLength(0);
      }
    }
    return result;
  }
}
