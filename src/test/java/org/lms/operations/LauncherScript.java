package org.lms.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the launcher script {@code ./lms} decides for a node, read from the script itself, so that
 * the container setup is compared with the launcher as it is and not with a copy of it.
 */
final class LauncherScript {
  private static final Pattern ASSIGNED_NAME = Pattern.compile("\\b([A-Z][A-Z0-9_]*)=");

  private final String text;

  private LauncherScript(String text) {
    this.text = text;
  }

  static LauncherScript in(Path projectDir) {
    try {
      return new LauncherScript(Files.readString(projectDir.resolve("lms")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The script's text. */
  String text() {
    return text;
  }

  /** {@code PAYARA_VERSION}, the Payara Micro the nodes run on. */
  String payaraVersion() {
    return group("(?m)^PAYARA_VERSION=\"([^\"]+)\"$", "PAYARA_VERSION");
  }

  /** n1's port of a kind ({@code HTTP}, {@code GRPC}, {@code RAFT}); n2 and n3 take the next. */
  int portBase(String kind) {
    return Integer.parseInt(
        group("LMS_" + kind + "_PORT_BASE:-(\\d+)\\}", "LMS_" + kind + "_PORT_BASE"));
  }

  /** Every variable {@code launch_node} exports into a node's environment. */
  Set<String> nodeEnvironmentKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (String line : function("launch_node").split("\n")) {
      if (line.strip().startsWith("export ")) {
        Matcher names = ASSIGNED_NAME.matcher(line);
        while (names.find()) {
          keys.add(names.group(1));
        }
      }
    }
    return keys;
  }

  /** The fixed JVM options of a node ({@code -X...} in {@code launch_node}'s {@code jvm} array). */
  List<String> jvmOptions() {
    String array = group("(?s)local -a jvm=\\((.*?)\\)\n", "the jvm array");
    List<String> options = new ArrayList<>();
    for (String word : array.split("\\s+")) {
      if (word.startsWith("-X")) {
        options.add(word);
      }
    }
    return options;
  }

  /** The Payara Micro flags a node starts with ({@code launch_node}'s {@code payara} array). */
  List<String> payaraFlags() {
    String array = group("(?s)local -a payara=\\((.*?)\\)\n", "the payara array");
    List<String> flags = new ArrayList<>();
    Matcher flag = Pattern.compile("(?<=^|\\s)(--[a-z]+)").matcher(array);
    while (flag.find()) {
      flags.add(flag.group(1));
    }
    return flags;
  }

  /** The commands {@code main} dispatches, in its order ({@code help} and its aliases left out). */
  List<String> dispatchedCommands() {
    List<String> commands = new ArrayList<>();
    Matcher branch = Pattern.compile("(?m)^    ([a-z][a-z-]*)\\) cmd_").matcher(function("main"));
    while (branch.find()) {
      commands.add(branch.group(1));
    }
    return commands;
  }

  /** The commands {@code usage} lists (the first word of each command line of its text). */
  List<String> usageCommands() {
    String usage = group("(?s)usage\\(\\) \\{\n  cat <<'EOF'\n(.*?)\nEOF\n", "the usage text");
    List<String> commands = new ArrayList<>();
    Matcher line = Pattern.compile("(?m)^  ([a-z][a-z-]*)(?: |$)").matcher(usage);
    while (line.find()) {
      commands.add(line.group(1));
    }
    return commands;
  }

  /** The body of a shell function, from {@code name() {} to the {@code }} that closes it. */
  String function(String name) {
    return group("(?ms)^" + Pattern.quote(name) + "\\(\\) \\{\n(.*?)^\\}$", "function " + name);
  }

  private String group(String regex, String what) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new AssertionError("./lms no longer has " + what + " (" + regex + ")");
    }
    return m.group(1);
  }
}
