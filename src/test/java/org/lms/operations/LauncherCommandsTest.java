package org.lms.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every command {@code ./lms} runs is in its usage text and in the Commands table of
 * docs/operations.md, and the other way round, so that an operator finds what exists; {@code ./lms
 * help} prints the usage and an unknown command is refused with it.
 */
class LauncherCommandsTest {
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final LauncherScript SCRIPT = LauncherScript.in(PROJECT);

  @Test
  void theUsageTextListsEveryCommandTheLauncherRuns() {
    assertThat(SCRIPT.dispatchedCommands()).contains("start", "stop", "restart", "chaos");
    assertThat(SCRIPT.usageCommands())
        .containsExactlyInAnyOrderElementsOf(withHelp(SCRIPT.dispatchedCommands()));
  }

  @Test
  void theOperationsGuideDocumentsEveryCommand() throws IOException {
    String guide = Files.readString(PROJECT.resolve("docs/operations.md"));
    int commands = guide.indexOf("## Commands");
    String table = guide.substring(commands, guide.indexOf("\n#", commands + 1));
    List<String> documented = new ArrayList<>();
    Matcher row = Pattern.compile("(?m)^\\| `\\./lms ([a-z][a-z-]*)").matcher(table);
    while (row.find()) {
      documented.add(row.group(1));
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(SCRIPT.dispatchedCommands());
  }

  @Test
  void helpPrintsTheUsageAndAnUnknownCommandIsRefusedWithIt() throws Exception {
    Result help = run("help");
    assertThat(help.exit()).isZero();
    assertThat(help.output()).startsWith("Usage: ./lms <command>").contains("  restart  ");

    Result unknown = run("no-such-command");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.output()).startsWith("Usage: ./lms <command>");
  }

  @Test
  void restartTakesNoArguments() throws Exception {
    Result restart = run("restart", "n1");
    assertThat(restart.exit()).isEqualTo(1);
    assertThat(restart.output()).contains("usage: ./lms restart");
  }

  private static List<String> withHelp(List<String> commands) {
    List<String> all = new ArrayList<>(commands);
    all.add("help");
    return all;
  }

  private record Result(int exit, String output) {}

  /** Runs {@code ./lms args} (commands that touch no cluster), bounded to 30 s. */
  private static Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PROJECT.resolve("lms").toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("./lms " + String.join(" ", args) + " took over 30 s");
      }
      return new Result(
          process.exitValue(),
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
    }
  }
}
