package org.lms.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The accessibility check of the browser tests: axe-core (Deque's rule engine, installed from npm
 * into {@code src/test/browser/node_modules} by {@code ./lms test}, version pinned by the lock file
 * there) is injected into the page the browser shows and run on the whole document. Every result is
 * kept as JSON beside the screenshots; serious and critical violations fail the test.
 */
public final class Axe {

  /** The script, as {@code npm ci --prefix src/test/browser} installs it. */
  static final Path SCRIPT =
      Path.of("src", "test", "browser", "node_modules", "axe-core", "axe.min.js");

  /** The impacts that fail a page; axe also reports {@code minor} and {@code moderate}. */
  public static final Set<String> FAILING = Set.of("serious", "critical");

  private static final String RUN =
      """
      const done = arguments[arguments.length - 1];
      axe.run(document, {resultTypes: ['violations']})
        .then(r => done(JSON.stringify(r.violations)))
        .catch(e => done(JSON.stringify({error: String(e)})));
      """;

  /** One rule a page breaks: the rule, how bad, what it asks, and where (CSS selectors). */
  public record Violation(String rule, String impact, String help, List<String> targets) {

    @Override
    public String toString() {
      return impact + " " + rule + " (" + help + ") at " + String.join(", ", targets);
    }
  }

  private final String source;
  private final Path reports;

  private Axe(String source, Path reports) {
    this.source = source;
    this.reports = reports;
  }

  /** The checker, its results saved to {@code target/browser/<suite>/axe-<page>.json}. */
  public static Axe forSuite(String suite) {
    if (!Files.isRegularFile(SCRIPT)) {
      throw new IllegalStateException(
          "the accessibility check needs axe-core from npm: "
              + SCRIPT
              + " is missing (npm ci --prefix src/test/browser; ./lms test runs it)");
    }
    try {
      return new Axe(
          Files.readString(SCRIPT, StandardCharsets.UTF_8),
          Files.createDirectories(Path.of("target", "browser", suite)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs every axe rule on the page {@code driver} shows; {@code page} names the saved report. */
  public List<Violation> check(WebDriver driver, String page) {
    var js = (JavascriptExecutor) driver;
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object';"))) {
      js.executeScript(source);
    }
    String json = String.valueOf(js.executeAsyncScript(RUN));
    try {
      Files.writeString(reports.resolve("axe-" + page + ".json"), json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return parse(json);
  }

  /** The violations of {@link #FAILING} impact on the page {@code driver} shows. */
  public List<Violation> failing(WebDriver driver, String page) {
    return check(driver, page).stream().filter(v -> FAILING.contains(v.impact())).toList();
  }

  static List<Violation> parse(String json) {
    JsonElement root = JsonParser.parseString(json);
    if (root.isJsonObject()) {
      throw new IllegalStateException("axe-core failed: " + root.getAsJsonObject().get("error"));
    }
    var violations = new ArrayList<Violation>();
    for (JsonElement element : root.getAsJsonArray()) {
      var v = element.getAsJsonObject();
      JsonArray nodes = v.getAsJsonArray("nodes");
      List<String> targets = new ArrayList<>();
      for (JsonElement node : nodes) {
        targets.add(
            node.getAsJsonObject().getAsJsonArray("target").asList().stream()
                .map(JsonElement::toString)
                .collect(Collectors.joining(" ")));
      }
      violations.add(
          new Violation(
              v.get("id").getAsString(),
              v.get("impact").isJsonNull() ? "none" : v.get("impact").getAsString(),
              v.get("help").getAsString(),
              targets));
    }
    return violations;
  }
}
