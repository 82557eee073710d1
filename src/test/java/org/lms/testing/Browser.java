package org.lms.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium}, driven through Debian's {@code
 * chromedriver}; nothing is downloaded), with a fresh profile, and the small vocabulary the
 * portal's browser tests speak: open a page, fill a field, press a button, read an element, save a
 * screenshot under {@code target/browser/<suite>/}.
 */
public final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;
  private final Path screenshots;
  private int shot;

  private Browser(Path screenshots) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "browser tests need Debian's chromium and chromium-driver"
              + " (apt-get install -y chromium chromium-driver; ./lms test installs them)");
    }
    this.screenshots = Files.createDirectories(screenshots);
    this.profile = Files.createTempDirectory("lms-chromium-");
    this.service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    var options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile);
    this.driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  /** A new browser whose screenshots go to {@code target/browser/<suite>/}. */
  public static Browser open(String suite) {
    try {
      return new Browser(Path.of("target", "browser", suite));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void get(String url) {
    driver.get(url);
  }

  public String currentUrl() {
    return driver.getCurrentUrl();
  }

  /** Waits for the element with this id (Faces ids such as {@code signin:username} included). */
  public WebElement byId(String id) {
    return new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
  }

  public boolean has(String id) {
    return !driver.findElements(By.id(id)).isEmpty();
  }

  public String text(String id) {
    return byId(id).getText();
  }

  public void fill(String id, String value) {
    WebElement e = byId(id);
    e.clear();
    e.sendKeys(value);
  }

  /** Presses the button and waits for the page it leads to. */
  public void press(String id) {
    WebElement button = byId(id);
    button.click();
    new WebDriverWait(driver, WAIT)
        .withMessage("the page after pressing " + id)
        .until(d -> isGone(button));
  }

  /**
   * Waits until {@code condition} holds, for what the page does by script (an upload, an update).
   */
  public void await(String what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(driver, WAIT).withMessage(what).until(d -> condition.getAsBoolean());
  }

  /**
   * Whether the element left the page. Chromium answers for an element of a page being replaced
   * either "stale" or "does not belong to the document"; both mean the new page is coming.
   */
  private static boolean isGone(WebElement e) {
    try {
      e.isEnabled();
      return false;
    } catch (org.openqa.selenium.WebDriverException gone) {
      return true;
    }
  }

  /** Saves a screenshot and the page's HTML, for a step that failed. */
  public void saveFailure(String name) {
    try {
      screenshot("FAILED-" + name);
      Files.writeString(
          screenshots.resolve(String.format("%02d-FAILED-%s.html", shot, name)),
          driver.getCurrentUrl() + "\n" + driver.getPageSource());
    } catch (IOException | RuntimeException e) {
      // the browser itself may be what failed
    }
  }

  /** Saves a screenshot, numbered in the order taken, e.g. {@code 03-student-home.png}. */
  public Path screenshot(String name) {
    try {
      Path target = screenshots.resolve(String.format("%02d-%s.png", ++shot, name));
      Files.copy(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          target,
          StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteQuietly(profile);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary profile left behind is harmless
    }
  }
}
