package org.lms.interfaces.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.lms.interfaces.grpc.Uploads;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc;
import org.lms.testing.Browser;
import org.lms.testing.ClusterChannels;
import org.lms.testing.ClusterProcesses;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/**
 * The portal in a real headless Chromium against three Payara Micro nodes started by {@code ./lms
 * start}, walking the journeys: an admin creates accounts and a course; the instructor enrols the
 * student, uploads material and creates an assignment; the student hands in twice; the instructor
 * grades (meeting a concurrent edit) and releases; the student sees grade and feedback; then the
 * node the student signed in through dies and the same browser carries on through another. Along
 * the way: refused and hostile input, the role boundary by URL, the session cookie's attributes,
 * and a file handed in as {@code ../../etc/passwd} (through gRPC: a browser sends only a base name)
 * that downloads as {@code passwd}. Screenshots of each step land in {@code
 * target/browser/portal/}. One cluster for the class; the tests run in order, each building on the
 * last, and use all three nodes.
 */
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PortalIT {

  private static final String TAG = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
  private static final String INSTRUCTOR = "teach" + TAG;
  private static final String STUDENT = "stud" + TAG;
  private static final String STUDENT_NAME = "Ada Student";
  private static final String PASSWORD = "portal-password-1";
  private static final String COURSE = "CS" + TAG.toUpperCase();
  private static final String OTHER_COURSE = "ZZ" + TAG.toUpperCase();
  private static final String ASSIGNMENT = "Essay on consensus";
  private static final String QUESTION = "Does a minority ever decide? <i>really</i>";
  private static final String ANSWER = "No: every decision needs a majority.";
  private static final String XSS = "<script>document.title='owned'</script><b>bold</b>";

  @AutoClose private static ClusterProcesses cluster;
  @AutoClose private static Browser browser;
  @TempDir static Path files;

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static String assignmentUrlPath;
  private static String otherCourseUrlPath;
  private static String handedInSha256;

  /** A failed step leaves its screenshot and page under target/browser/portal/. */
  @RegisterExtension
  static final TestWatcher SAVE_FAILURES =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          if (browser != null) {
            browser.saveFailure(context.getRequiredTestMethod().getName());
          }
        }
      };

  @BeforeAll
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  static void start() {
    cluster = ClusterProcesses.start();
    browser = Browser.open("portal");
  }

  @Test
  @Order(1)
  void aVisitorIsSentToSignInAndAWrongPasswordIsRefusedPolitely() {
    browser.get(url(1, "/home.xhtml"));
    assertThat(browser.currentUrl()).contains("/login.xhtml?next=%2Fhome.xhtml");

    signIn("admin", "not-the-password");
    assertThat(browser.text("messages"))
        .isEqualTo("Wrong username or password, or the account is disabled.");
    assertThat(browser.driver().getPageSource()).doesNotContain("Exception");
    browser.screenshot("wrong-password");
  }

  @Test
  @Order(2)
  void anAdminCreatesTheAccountsAndTheCourses() {
    signIn("admin", cluster.adminPassword());
    assertThat(browser.currentUrl()).endsWith("/home.xhtml");
    Cookie session = browser.driver().manage().getCookieNamed("LMS_SESSION");
    assertThat(session).isNotNull();
    assertThat(session.isHttpOnly()).isTrue();
    assertThat(session.getSameSite()).isEqualTo("Strict");

    browser.get(url(1, "/admin/users.xhtml"));
    createUser(INSTRUCTOR, "Grace Instructor", "INSTRUCTOR");
    assertThat(browser.text("messages")).isEqualTo("Created " + INSTRUCTOR + " (INSTRUCTOR).");
    createUser(STUDENT, STUDENT_NAME, "STUDENT");
    assertThat(browser.text("messages")).isEqualTo("Created " + STUDENT + " (STUDENT).");
    assertThat(browser.text("users")).contains(STUDENT).contains(INSTRUCTOR);
    browser.screenshot("accounts-created");

    browser.get(url(1, "/admin/courses.xhtml"));
    createCourse(COURSE, "Distributed systems", INSTRUCTOR);
    assertThat(browser.text("messages")).isEqualTo("Created " + COURSE + ": Distributed systems.");
    createCourse(OTHER_COURSE, "Another course", INSTRUCTOR);
    browser.driver().findElement(By.linkText(OTHER_COURSE)).click();
    otherCourseUrlPath = pathOf(browser.currentUrl());
    browser.screenshot("courses-created");
  }

  @Test
  @Order(3)
  void refusedAndHostileInputIsShownAsText() {
    browser.get(url(2, "/admin/users.xhtml"));
    createUser(STUDENT, "Someone Else", "STUDENT");
    assertThat(browser.text("messages")).contains(STUDENT).contains("taken");

    browser.fill("create:username", "short" + TAG);
    browser.fill("create:displayName", "Short Password");
    browser.fill("create:password", "short");
    browser.press("create:submit");
    assertThat(browser.text("messages")).contains("password");

    browser.fill("create:username", "x" + TAG);
    browser.fill("create:displayName", XSS);
    browser.fill("create:password", PASSWORD);
    browser.press("create:submit");
    assertThat(browser.text("users")).contains(XSS);
    assertThat(browser.driver().getTitle()).isNotEqualTo("owned");
    assertThat(browser.driver().findElements(By.cssSelector("#users b"))).isEmpty();
    browser.screenshot("hostile-input");
    signOut();
  }

  @Test
  @Order(4)
  void theInstructorEnrolsUploadsMaterialAndCreatesAnAssignment() throws IOException {
    browser.get(url(2, "/home.xhtml"));
    signIn(INSTRUCTOR, PASSWORD);
    browser.driver().findElement(By.linkText(COURSE)).click();

    browser.fill("enrol:username", STUDENT);
    browser.press("enrol:submit");
    assertThat(browser.text("messages")).isEqualTo("Enrolled " + STUDENT + ".");
    assertThat(browser.text("roster")).contains(STUDENT_NAME);

    Path notes = Files.writeString(files.resolve("notes.txt"), "Raft: leader, log, majority.\n");
    browser.fill("material:title", "Lecture notes");
    browser.byId("material:file").sendKeys(notes.toString());
    browser.press("material:submit");
    assertThat(browser.text("messages")).isEqualTo("Added Lecture notes.");
    assertThat(browser.text("materials")).contains("notes.txt");

    var format = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    browser.fill("assignment:title", ASSIGNMENT);
    browser.fill("assignment:description", "Explain why a majority suffices.");
    setValue("assignment:due", LocalDateTime.now().plusDays(2).format(format));
    setValue("assignment:cutoff", LocalDateTime.now().plusDays(3).format(format));
    browser.fill("assignment:points", "100");
    browser.press("assignment:submit");
    assertThat(browser.text("messages")).isEqualTo("Created " + ASSIGNMENT + ".");
    browser.driver().findElement(By.linkText(ASSIGNMENT)).click();
    assignmentUrlPath = pathOf(browser.currentUrl());
    browser.screenshot("instructor-assignment");
    signOut();
  }

  @Test
  @Order(5)
  void theStudentSeesTheCourseAndHandsInTwice() throws Exception {
    browser.get(url(1, "/home.xhtml"));
    signIn(STUDENT, PASSWORD);
    assertThat(browser.text("greeting")).isEqualTo("Welcome, " + STUDENT_NAME);
    assertThat(browser.text("courses")).contains(COURSE);
    assertThat(browser.text("upcoming")).contains(ASSIGNMENT);
    browser.screenshot("student-home");

    browser.driver().findElement(By.linkText(COURSE)).click();
    String materialHref =
        browser.driver().findElement(By.linkText("Lecture notes")).getAttribute("href");
    HttpResponse<String> material = download(materialHref);
    assertThat(material.statusCode()).isEqualTo(200);
    assertThat(material.body()).isEqualTo("Raft: leader, log, majority.\n");
    assertThat(material.headers().firstValue("Content-Disposition").orElseThrow())
        .startsWith("attachment; filename=\"notes.txt\"");

    browser.fill("ask:text", QUESTION);
    browser.press("ask:submit");
    assertThat(browser.text("messages")).isEqualTo("Your question was sent to the instructors.");
    assertThat(browser.text("questions:list")).contains(QUESTION).contains("Not answered yet.");

    browser.get(url(1, assignmentUrlPath));
    handIn(Files.writeString(files.resolve("essay-draft.txt"), "A first draft.\n"));
    assertThat(browser.text("messages")).isEqualTo("Handed in version 1: essay-draft.txt.");
    byte[] fin = "The final essay: a majority intersects every other majority.\n".getBytes();
    handIn(Files.write(files.resolve("essay.txt"), fin));
    assertThat(browser.text("messages")).isEqualTo("Handed in version 2: essay.txt.");
    handedInSha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(fin));
    assertThat(browser.text("versionTable"))
        .contains("essay-draft.txt")
        .contains("essay.txt")
        .contains(handedInSha256)
        .contains("on time");
    browser.screenshot("student-handed-in-twice");

    // the role boundary, by URL: another course, and the instructor's grading page
    browser.get(url(1, otherCourseUrlPath));
    assertThat(browser.text("error-text")).isEqualTo("Your account may not open this page.");
    browser.get(url(1, "/admin/users.xhtml"));
    assertThat(browser.text("error-text")).isEqualTo("Your account may not open this page.");
    browser.screenshot("student-forbidden");
    signOut();
  }

  @Test
  @Order(6)
  void theInstructorGradesMeetsAConcurrentEditAndReleases() throws Exception {
    browser.get(url(3, assignmentUrlPath));
    signIn(INSTRUCTOR, PASSWORD);
    assertThat(browser.text("submissions")).contains(STUDENT).contains("essay.txt");
    browser.driver().findElement(By.linkText("Grade")).click();
    String gradePath = pathOf(browser.currentUrl());
    browser.fill("grade:points", "87");
    browser.fill("grade:feedback", "Well argued.");
    browser.press("grade:save");
    assertThat(browser.text("messages")).isEqualTo("Saved: 87 points.");

    // a second window opens the same grade, then the first saves again: the second is stale
    try (Browser second = Browser.open("portal-second-window")) {
      second.get(url(2, gradePath));
      second.fill("signin:username", INSTRUCTOR);
      second.fill("signin:password", PASSWORD);
      second.press("signin:submit");
      browser.fill("grade:points", "90");
      browser.fill("grade:feedback", "Well argued; cite the paper.");
      browser.press("grade:save");
      assertThat(browser.text("messages")).isEqualTo("Saved: 90 points.");

      second.fill("grade:points", "70");
      second.press("grade:save");
      assertThat(second.text("messages")).contains("Nothing was overwritten");
      assertThat(second.text("other-points")).isEqualTo("90");
      assertThat(second.text("other-feedback")).isEqualTo("Well argued; cite the paper.");
      second.screenshot("grade-conflict");
    }

    browser.press("grade:release");
    assertThat(browser.text("messages")).isEqualTo("Released to the student.");
    browser.screenshot("graded-and-released");

    browser.driver().findElement(By.linkText(ASSIGNMENT)).click();
    browser.driver().findElement(By.partialLinkText(COURSE)).click();
    assertThat(browser.text("questions:list")).contains(QUESTION).contains(STUDENT);
    browser.fill("questions:list:0:answer", ANSWER);
    browser.press("questions:list:0:send");
    assertThat(browser.text("messages")).isEqualTo("Your answer was sent.");
    assertThat(browser.text("questions:list")).contains(ANSWER);

    HttpResponse<String> csv = download(browser.byId("gradebook-csv").getAttribute("href"));
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    assertThat(csv.body().split("\r\n"))
        .containsExactly(
            "\"student\",\"display_name\",\"assignment\",\"points\",\"max_points\","
                + "\"released\",\"feedback\"",
            "\""
                + STUDENT
                + "\",\""
                + STUDENT_NAME
                + "\",\""
                + ASSIGNMENT
                + "\",\"90\",\"100\",\"true\",\"Well argued; cite the paper.\"");
    browser.screenshot("question-answered");
    signOut();
  }

  @Test
  @Order(7)
  void theStudentSeesGradeAndFeedback() {
    browser.get(url(1, assignmentUrlPath));
    signIn(STUDENT, PASSWORD);
    assertThat(browser.text("my-points")).isEqualTo("90 / 100");
    assertThat(browser.text("my-feedback")).isEqualTo("Well argued; cite the paper.");
    browser.get(url(1, "/home.xhtml"));
    assertThat(browser.text("grades")).contains(ASSIGNMENT).contains("90 / 100");
    browser.driver().findElement(By.linkText(COURSE)).click();
    assertThat(browser.text("questions:list")).contains(QUESTION).contains(ANSWER);
    browser.screenshot("student-sees-grade-and-answer-n1");
  }

  @Test
  @Order(8)
  void theSessionSurvivesTheDeathOfItsNode() {
    cluster.kill9Node(1);
    cluster.awaitReady(Duration.ofSeconds(60));

    browser.get(url(2, "/home.xhtml"));
    assertThat(browser.currentUrl()).endsWith("/home.xhtml");
    assertThat(browser.text("greeting")).isEqualTo("Welcome, " + STUDENT_NAME);
    assertThat(browser.text("grades")).contains(ASSIGNMENT).contains("90 / 100");
    browser.get(url(2, assignmentUrlPath));
    assertThat(browser.text("versionTable")).contains(handedInSha256);
    browser.screenshot("student-on-n2-after-n1-died");
  }

  @Test
  @Order(9)
  void signingOutOnOneNodeEndsTheSessionEverywhere() {
    browser.get(url(2, "/home.xhtml"));
    Cookie session = browser.driver().manage().getCookieNamed("LMS_SESSION");
    signOut();
    assertThat(browser.text("signed-out")).isEqualTo("You are signed out.");

    // the old token, replayed on another node, no longer opens anything
    browser.driver().manage().addCookie(session);
    browser.get(url(3, "/home.xhtml"));
    assertThat(browser.currentUrl()).contains("/login.xhtml");
    browser.screenshot("signed-out-n3");
  }

  @Test
  @Order(10)
  void aFileNamedLikeAPathIsKeptAsDataAndDownloadsUnderASafeName() throws Exception {
    // a browser sends only a file's own name; a gRPC client can send any name it likes
    String assignmentId = assignmentUrlPath.substring(assignmentUrlPath.indexOf("id=") + 3);
    byte[] bytes = "not really /etc/passwd\n".getBytes(StandardCharsets.UTF_8);
    try (var grpc = new ClusterChannels(cluster)) {
      String token = grpc.login(2, STUDENT, PASSWORD).getToken();
      Uploads.send(
          ClusterChannels.as(token, SubmissionServiceGrpc.newStub(grpc.node(2)))::submitAssignment,
          Uploads.handIn(assignmentId, "../../etc/passwd", "text/plain", bytes));
    }

    browser.get(url(3, assignmentUrlPath));
    signIn(STUDENT, PASSWORD);
    assertThat(browser.text("versionTable")).contains("../../etc/passwd");
    HttpResponse<String> file =
        download(
            browser.driver().findElement(By.linkText("../../etc/passwd")).getAttribute("href"));
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Disposition").orElseThrow())
        .isEqualTo("attachment; filename=\"passwd\"; filename*=UTF-8''passwd");
    assertThat(file.body()).isEqualTo("not really /etc/passwd\n");
    browser.screenshot("path-like-file-name");
  }

  @Test
  @Order(40)
  void theAdminSeesEveryNodeOnTheClusterPageAndItRefreshesByItself() {
    assertThat(cluster.pid(1)).as("n1, killed in step 8").isEmpty();
    browser.get(url(2, "/home.xhtml"));
    if (browser.has("signout:submit")) {
      signOut();
    }
    browser.get(url(2, "/admin/cluster.xhtml"));
    signIn("admin", cluster.adminPassword());
    assertThat(browser.currentUrl()).endsWith("/admin/cluster.xhtml");

    // n2 serves the page and comes first, then its peers in id order
    assertThat(browser.driver().findElement(By.cssSelector("#nodes caption")).getText())
        .startsWith("Every node of the Raft group");
    assertThat(browser.driver().findElements(By.cssSelector("#nodes thead th[scope=col]")))
        .hasSize(9);
    assertThat(browser.driver().findElements(By.cssSelector("#nodes tbody th[scope=row]")))
        .extracting(e -> e.getText())
        .containsExactly("n2 (serving this page)", "n1", "n3");
    assertThat(browser.text("nodes:1:role")).isEqualTo("unknown");
    assertThat(browser.text("nodes:1:health")).isEqualTo("unreachable");
    assertThat(List.of(browser.text("nodes:0:role"), browser.text("nodes:2:role")))
        .containsExactlyInAnyOrder("LEADER", "FOLLOWER");
    assertThat(browser.text("nodes:0:health")).isEqualTo("ready");
    assertThat(browser.text("nodes:2:health")).isEqualTo("ready");
    // the poll posts no view state: nothing of this page is kept in the session
    assertThat(
            browser
                .byId("refresh")
                .findElement(By.name("jakarta.faces.ViewState"))
                .getAttribute("value"))
        .isEqualTo("stateless");
    browser.screenshot("admin-cluster");

    // the table refreshes by itself, without reloading the page
    String asOf = browser.text("as-of");
    var heading = browser.driver().findElement(By.tagName("h1"));
    browser.await("an automatic refresh", () -> !browser.text("as-of").equals(asOf));
    assertThat(heading.isDisplayed()).isTrue();
    assertThat(browser.text("nodes:1:health")).isEqualTo("unreachable");
    assertThat(browser.text("nodes:0:health")).isEqualTo("ready");
    assertThat(browser.byId("refresh-failed").isDisplayed()).isFalse();
    browser.screenshot("admin-cluster-refreshed");
    signOut();
  }

  // --- steps

  private static void signIn(String username, String password) {
    browser.fill("signin:username", username);
    browser.fill("signin:password", password);
    browser.press("signin:submit");
  }

  private static void signOut() {
    browser.press("signout:submit");
    assertThat(browser.currentUrl()).contains("/login.xhtml?signedOut=true");
  }

  private static void createUser(String username, String displayName, String role) {
    browser.fill("create:username", username);
    browser.fill("create:displayName", displayName);
    new org.openqa.selenium.support.ui.Select(browser.byId("create:role")).selectByValue(role);
    browser.fill("create:password", PASSWORD);
    browser.press("create:submit");
  }

  private static void createCourse(String code, String title, String instructor) {
    browser.fill("create:code", code);
    browser.fill("create:title", title);
    new org.openqa.selenium.support.ui.Select(browser.byId("create:instructor"))
        .selectByVisibleText(instructor + " (Grace Instructor)");
    browser.press("create:submit");
  }

  /** Hands a file in through the PrimeFaces upload (it uploads as soon as a file is chosen). */
  private static void handIn(Path file) {
    String before = browser.has("versionTable") ? browser.text("versionTable") : "";
    browser.driver().findElement(By.id("handin:file_input")).sendKeys(file.toString());
    browser.await(
        "the new version in the list",
        () -> browser.has("versionTable") && !browser.text("versionTable").equals(before));
  }

  /** Sets an input's value directly: a datetime-local field does not take typed text reliably. */
  private static void setValue(String id, String value) {
    browser.driver().executeScript("arguments[0].value = arguments[1];", browser.byId(id), value);
  }

  /** GETs a portal URL with the browser's session cookie, as a download manager would. */
  private static HttpResponse<String> download(String href)
      throws IOException, InterruptedException {
    Cookie session = browser.driver().manage().getCookieNamed("LMS_SESSION");
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(href))
            .header("Cookie", "LMS_SESSION=" + session.getValue())
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String url(int node, String path) {
    return cluster.baseUrl(node) + path;
  }

  private static String pathOf(String url) {
    URI u = URI.create(url);
    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }
}
