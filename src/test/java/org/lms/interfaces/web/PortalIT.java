package org.lms.interfaces.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.EnrolRequest;
import org.lms.interfaces.grpc.v1.GetAssignmentRequest;
import org.lms.interfaces.grpc.v1.GradeSubmissionRequest;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc;
import org.lms.interfaces.grpc.v1.SubmitAssignmentResponse;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.testing.Axe;
import org.lms.testing.Browser;
import org.lms.testing.ClusterChannels;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.OllamaStandIn;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

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
  private static final String OTHER_STUDENT = "other" + TAG;

  /** The Markdown material the AI answers from, and what the stand-in model says. */
  private static final String MATERIAL_MD =
      "# Leader election\n\nA candidate becomes leader when a majority of the servers vote for it"
          + " in the same term. Each server votes at most once per term.\n";

  private static final String AI_QUESTION = "How does a candidate become leader?";
  private static final String AI_REPLY =
      "A candidate becomes leader once a majority of the servers vote for it in one term [1]."
          + " Each server grants one vote per term, so two candidates cannot both win a term.";
  private static final String DRAFT_REPLY =
      "You state the claim clearly; show why two majorities must share a server.\n"
          + "Suggested points: 60";

  /** Markup that would show itself (an element of class xssprobe) or retitle the page if run. */
  private static final String PROBE =
      "<img src=x class=xssprobe onerror=\"document.title='owned'\">"
          + "<script>document.title='owned'</script>";

  /** A file name a browser can send (no slash) that is markup too. */
  private static final String PROBE_FILE = "<img src=x class=xssprobe onerror=alert(1)>.txt";

  @AutoClose private static ClusterProcesses cluster;
  @AutoClose private static Browser browser;
  @AutoClose private static OllamaStandIn ollama;
  @TempDir static Path files;

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static String assignmentUrlPath;
  private static String otherCourseUrlPath;
  private static String handedInSha256;
  private static String gradeUrlPath;

  /** The grade's history as its instructor saw it, which an administrator must see alike. */
  private static String instructorHistory;

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
    // "Ollama" for the nodes: answers cite [1], streamed word by word slowly enough to be seen
    ollama = OllamaStandIn.start().reply(PortalIT::modelReply).pieceDelay(Duration.ofMillis(100));
    cluster =
        ClusterProcesses.start(
            ClusterProcesses.Options.defaults()
                .env("OLLAMA_URL", ollama.url().toString())
                .env("LMS_AI_TIMEOUT_MS", "6000"));
    browser = Browser.open("portal");
  }

  /** An answer for a student's question, a feedback draft for a submission. */
  private static String modelReply(JsonObject request) {
    JsonArray messages = request.getJsonArray("messages");
    String last = messages.getJsonObject(messages.size() - 1).getString("content", "");
    return last.contains("<question>") ? AI_REPLY : DRAFT_REPLY;
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

    createAssignment(ASSIGNMENT, "Explain why a majority suffices.", 100);
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
    String coursePage = browser.currentUrl(); // a postback's URL loses the ?id= of the course
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

    // a forged post (what another site's page would send, even with the cookie) runs nothing:
    // without this view's random state id the action is never invoked
    String forged = "Forged question " + TAG;
    HttpResponse<String> csrf =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(coursePage))
                .header("Cookie", "LMS_SESSION=" + sessionCookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "ask=ask&ask%3Atext="
                            + forged.replace(' ', '+')
                            + "&ask%3Asubmit=Ask&jakarta.faces.ViewState=-123%3A456"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(csrf.statusCode()).isLessThan(500);
    assertThat(csrf.body()).doesNotContain("Your question was sent");
    browser.get(coursePage);
    assertThat(browser.text("questions:list")).contains(QUESTION).doesNotContain(forged);

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
    browser.get(url(1, "/instructor/questions.xhtml"));
    assertThat(browser.text("error-text")).isEqualTo("Your account may not open this page.");
    browser.screenshot("student-forbidden");
    signOut();
  }

  @Test
  @Order(6)
  void theInstructorGradesMeetsAConcurrentEditAndReleases() throws Exception {
    Instant gradingStarted = Instant.now();
    browser.get(url(3, assignmentUrlPath));
    signIn(INSTRUCTOR, PASSWORD);
    assertThat(browser.text("subs:submissions")).contains(STUDENT).contains("essay.txt");
    browser.driver().findElement(By.linkText("Grade")).click();
    String gradePath = pathOf(browser.currentUrl());
    gradeUrlPath = gradePath;
    assertThat(browser.text("history-none")).isEqualTo("Not graded yet.");
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

    // the history: both saves and the release (the stale save left none), with who and when
    List<List<String>> history = historyRows();
    assertThat(history)
        .extracting(r -> r.subList(0, 6))
        .containsExactly(
            List.of("1", "graded", "87", "Well argued.", "no", "no"),
            List.of("2", "graded", "90", "Well argued; cite the paper.", "no", "no"),
            List.of("3", "released", "90", "Well argued; cite the paper.", "yes", "no"));
    assertThat(history)
        .extracting(r -> r.get(6))
        .containsOnly("Grace Instructor (" + INSTRUCTOR + ")");
    assertThat(history)
        .extracting(r -> r.get(7))
        .allMatch(shown -> shown.matches("\\w{3} \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2}"), "a date");
    List<Instant> when = historyTimes();
    assertThat(when)
        .isSorted()
        .allSatisfy(t -> assertThat(t).isBetween(gradingStarted.minusSeconds(60), Instant.now()));
    instructorHistory = browser.text("history");
    scrollTo(browser.byId("history"));
    browser.screenshot("grade-history");

    // the inbox gathers the questions of every course the instructor teaches
    browser.driver().findElement(By.id("nav-inbox")).click();
    assertThat(browser.text("inbox:open")).contains(QUESTION).contains(STUDENT).contains(COURSE);
    browser.fill("inbox:open:0:answer", ANSWER);
    browser.press("inbox:open:0:send");
    assertThat(browser.text("messages")).isEqualTo("Your answer was sent.");
    assertThat(browser.text("open-none")).isEqualTo("No question is waiting for an answer.");
    assertThat(browser.text("answered")).contains(QUESTION);
    browser.screenshot("inbox-answered");

    browser.get(url(3, assignmentUrlPath));
    browser.driver().findElement(By.partialLinkText(COURSE)).click();
    assertThat(browser.text("questions:list")).contains(QUESTION).contains(ANSWER);

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

    // the gradebook page: the grade, the statistics, the distribution as chart and table
    browser.driver().findElement(By.linkText("Open the gradebook")).click();
    assertThat(browser.text("gradebook")).contains(STUDENT).contains("90").contains(ASSIGNMENT);
    assertThat(browser.driver().findElements(By.cssSelector("#chart canvas"))).hasSize(1);
    assertThat(browser.text("distribution")).contains("90-100 % 1").contains("0-9 % 0");
    browser.screenshot("gradebook");

    // the submissions: filters, sorting, and all of them as one ZIP
    browser.get(url(3, assignmentUrlPath));
    browser.driver().findElement(By.linkText("Late")).click();
    assertThat(browser.text("submissions-none")).isEqualTo("Nothing handed in late.");
    browser.driver().findElement(By.linkText("Ungraded")).click();
    assertThat(browser.text("submissions-none")).isEqualTo("Every hand-in is graded.");
    browser.driver().findElement(By.linkText("All")).click();
    assertThat(browser.text("subs:submissions")).contains(STUDENT);
    var pointsHeader =
        browser.driver().findElement(By.xpath("//th[.//span[normalize-space()='Points']]"));
    pointsHeader.click();
    browser.await(
        "the table sorted by points",
        () ->
            "ascending"
                .equals(
                    browser
                        .driver()
                        .findElement(By.xpath("//th[.//span[normalize-space()='Points']]"))
                        .getAttribute("aria-sort")));
    HttpResponse<byte[]> zip = downloadBytes(browser.byId("download-all").getAttribute("href"));
    assertThat(zip.statusCode()).isEqualTo(200);
    Map<String, String> entries = unzip(zip.body());
    assertThat(entries.keySet()).containsExactly(STUDENT + "/essay.txt", "manifest.csv");
    assertThat(entries.get(STUDENT + "/essay.txt"))
        .isEqualTo("The final essay: a majority intersects every other majority.\n");
    assertThat(entries.get("manifest.csv")).contains(handedInSha256).contains("\"2\"");
    browser.screenshot("submissions");
    signOut();
  }

  @Test
  @Order(7)
  void theStudentSeesGradeAndFeedback() throws Exception {
    browser.get(url(1, assignmentUrlPath));
    signIn(STUDENT, PASSWORD);
    assertThat(browser.text("my-points")).isEqualTo("90 / 100");
    assertThat(browser.text("my-feedback")).isEqualTo("Well argued; cite the paper.");
    browser.get(url(1, "/home.xhtml"));
    assertThat(browser.text("grades")).contains(ASSIGNMENT).contains("90 / 100");
    browser.driver().findElement(By.linkText(COURSE)).click();
    assertThat(browser.text("questions:list")).contains(QUESTION).contains(ANSWER);
    browser.screenshot("student-sees-grade-and-answer-n1");
    browser.driver().findElement(By.id("nav-grades")).click();
    assertThat(browser.text("my-grades"))
        .contains(ASSIGNMENT)
        .contains("90 / 100")
        .contains("90 %")
        .contains("Well argued; cite the paper.");
    // a grade's history is for the instructors and administrators: a message, not an error page
    browser.get(url(1, gradeUrlPath));
    assertThat(browser.text("messages"))
        .isEqualTo(
            "A grade's history is shown to the instructors of its course and to administrators"
                + " only.");
    assertThat(browser.has("history")).isFalse();
    assertThat(browser.has("history-heading")).isFalse();
    assertNoServerError();
    browser.screenshot("student-no-grade-history");
    // the instructor's pages stay closed to a student
    String zipOfAll = assignmentUrlPath.replace("/assignment.xhtml?id=", "/files/submissions/");
    assertThat(downloadBytes(url(1, zipOfAll)).statusCode()).isEqualTo(403);
    browser.screenshot("student-my-grades");
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
  @Order(11)
  void markupInEveryTextFieldIsShownAsText() throws Exception {
    String code = "XS" + TAG.toUpperCase();

    browser.get(url(2, "/home.xhtml"));
    signOutIfSignedIn(); // step 10 leaves the student signed in
    signIn("admin", cluster.adminPassword());
    browser.get(url(2, "/admin/users.xhtml"));
    createUser(PROBE, PROBE, "STUDENT"); // refused: not a username
    assertNoMarkupRan();
    browser.get(url(2, "/admin/courses.xhtml"));
    createCourse(code, PROBE, INSTRUCTOR);
    assertThat(browser.text("courses")).contains(PROBE);
    assertNoMarkupRan();
    signOut();

    browser.get(url(3, "/home.xhtml"));
    signIn(INSTRUCTOR, PASSWORD);
    assertThat(browser.text("courses")).contains(PROBE);
    browser.driver().findElement(By.linkText(code)).click();
    assertNoMarkupRan();
    browser.fill("enrol:username", PROBE);
    browser.press("enrol:submit");
    assertNoMarkupRan();
    browser.fill("enrol:username", STUDENT);
    browser.press("enrol:submit");
    browser.fill("material:title", PROBE);
    browser
        .byId("material:file")
        .sendKeys(Files.writeString(files.resolve(PROBE_FILE), "probe\n").toString());
    browser.press("material:submit");
    assertThat(browser.text("materials")).contains(PROBE).contains(PROBE_FILE);
    createAssignment(PROBE, PROBE, 10);
    assertThat(browser.text("assignments")).contains(PROBE);
    assertNoMarkupRan();
    browser.byId("assignments").findElement(By.linkText(PROBE)).click(); // not the material's
    String probeAssignment = pathOf(browser.currentUrl());
    assertThat(browser.text("description")).isEqualTo(PROBE);
    assertNoMarkupRan();
    signOut();

    browser.get(url(2, "/home.xhtml"));
    signIn(STUDENT, PASSWORD);
    assertThat(browser.text("upcoming")).contains(PROBE);
    assertNoMarkupRan();
    browser.driver().findElement(By.linkText(code)).click();
    browser.fill("ask:text", PROBE);
    browser.press("ask:submit");
    assertThat(browser.text("questions:list")).contains(PROBE);
    assertNoMarkupRan();
    browser.get(url(2, probeAssignment));
    // PrimeFaces' upload refuses a file name with markup characters before it is sent; the
    // material's file name above and the gRPC hand-in of step 10 cover such names
    handIn(Files.writeString(files.resolve("hostile.txt"), "hostile\n"));
    assertThat(browser.text("versionTable")).contains("hostile.txt");
    assertNoMarkupRan();
    signOut();

    browser.get(url(3, "/home.xhtml"));
    signIn(INSTRUCTOR, PASSWORD);
    browser.driver().findElement(By.linkText(code)).click();
    browser.fill("questions:list:0:answer", PROBE);
    browser.press("questions:list:0:send");
    assertThat(browser.text("messages")).isEqualTo("Your answer was sent.");
    assertNoMarkupRan();
    browser.get(url(3, probeAssignment));
    assertThat(browser.text("subs:submissions")).contains("hostile.txt");
    browser.driver().findElement(By.linkText("Grade")).click();
    browser.fill("grade:points", "7");
    browser.fill("grade:feedback", PROBE);
    browser.press("grade:save");
    browser.press("grade:release");
    assertThat(browser.text("messages")).isEqualTo("Released to the student.");
    assertNoMarkupRan();
    signOut();

    browser.get(url(2, probeAssignment));
    signIn(STUDENT, PASSWORD);
    assertThat(browser.text("my-feedback")).isEqualTo(PROBE);
    assertNoMarkupRan();
    browser.get(url(2, "/home.xhtml"));
    assertThat(browser.text("grades")).contains(PROBE);
    assertNoMarkupRan();
    browser.screenshot("markup-shown-as-text");
    signOut();
  }

  /**
   * axe-core on the main pages of every role, filled with the data of the steps before: no serious
   * or critical violation (every page's full result is saved as axe-*.json beside the screenshots).
   */
  @Test
  @Order(12)
  void theMainPagesHaveNoSeriousAccessibilityViolation() {
    var axe = Axe.forSuite("portal");
    Map<String, List<Axe.Violation>> failing = new LinkedHashMap<>();

    browser.get(url(2, "/home.xhtml"));
    signOutIfSignedIn();
    failing.put("login", axe.failing(browser.driver(), "login"));
    signIn(STUDENT, PASSWORD);
    failing.put("student-home", axe.failing(browser.driver(), "student-home"));
    browser.driver().findElement(By.linkText(COURSE)).click();
    failing.put("student-course", axe.failing(browser.driver(), "student-course"));
    browser.get(url(2, assignmentUrlPath));
    failing.put("student-assignment", axe.failing(browser.driver(), "student-assignment"));
    browser.get(url(2, "/student/grades.xhtml"));
    failing.put("student-grades", axe.failing(browser.driver(), "student-grades"));
    browser.get(url(2, "/account/password.xhtml"));
    failing.put("password", axe.failing(browser.driver(), "password"));
    browser.get(url(2, "/admin/users.xhtml"));
    failing.put("forbidden", axe.failing(browser.driver(), "forbidden"));
    browser.get(url(2, "/no-such-page.xhtml"));
    failing.put("not-found", axe.failing(browser.driver(), "not-found"));
    browser.get(url(2, "/home.xhtml"));
    signOut();

    browser.get(url(3, "/home.xhtml"));
    signIn(INSTRUCTOR, PASSWORD);
    failing.put("instructor-home", axe.failing(browser.driver(), "instructor-home"));
    browser.driver().findElement(By.linkText(COURSE)).click();
    failing.put("instructor-course", axe.failing(browser.driver(), "instructor-course"));
    browser.get(url(3, assignmentUrlPath));
    failing.put("instructor-assignment", axe.failing(browser.driver(), "instructor-assignment"));
    browser.driver().findElement(By.linkText("Grade")).click();
    failing.put("grade", axe.failing(browser.driver(), "grade"));
    browser.get(url(3, "/instructor/questions.xhtml"));
    failing.put("instructor-inbox", axe.failing(browser.driver(), "instructor-inbox"));
    browser.get(url(3, assignmentUrlPath));
    browser.driver().findElement(By.partialLinkText(COURSE)).click();
    browser.driver().findElement(By.linkText("Open the gradebook")).click();
    failing.put("gradebook", axe.failing(browser.driver(), "gradebook"));
    signOut();

    browser.get(url(3, "/home.xhtml"));
    signIn("admin", cluster.adminPassword());
    browser.get(url(3, "/admin/users.xhtml"));
    failing.put("admin-users", axe.failing(browser.driver(), "admin-users"));
    browser.get(url(3, "/admin/courses.xhtml"));
    failing.put("admin-courses", axe.failing(browser.driver(), "admin-courses"));
    browser.get(url(3, "/admin/cluster.xhtml"));
    failing.put("admin-cluster", axe.failing(browser.driver(), "admin-cluster"));
    signOut();

    failing.values().removeIf(List::isEmpty);
    assertThat(failing).as("serious or critical axe-core violations per page").isEmpty();
  }

  /**
   * Changing the id in a URL: a second student of the course hands in and is graded; the first
   * student, with that submission's id in every URL that takes one, sees nothing of it.
   */
  @Test
  @Order(13)
  void anotherStudentsWorkStaysClosedWhateverIdTheUrlCarries() throws Exception {
    String assignmentId = assignmentUrlPath.substring(assignmentUrlPath.indexOf("id=") + 3);
    String theirs;
    try (var grpc = new ClusterChannels(cluster)) {
      String admin = grpc.login(2, "admin", cluster.adminPassword()).getToken();
      String other = OTHER_STUDENT;
      String otherId =
          ClusterChannels.as(admin, UserServiceGrpc.newBlockingStub(grpc.node(2)))
              .createUser(
                  CreateUserRequest.newBuilder()
                      .setUsername(other)
                      .setDisplayName("Other Student")
                      .setRole(Role.ROLE_STUDENT)
                      .setPassword(PASSWORD)
                      .build())
              .getUser()
              .getId();
      String teacher = grpc.login(2, INSTRUCTOR, PASSWORD).getToken();
      String courseId =
          ClusterChannels.as(teacher, AssignmentServiceGrpc.newBlockingStub(grpc.node(2)))
              .getAssignment(
                  GetAssignmentRequest.newBuilder().setAssignmentId(assignmentId).build())
              .getCourseId();
      ClusterChannels.as(teacher, CourseServiceGrpc.newBlockingStub(grpc.node(2)))
          .enrol(EnrolRequest.newBuilder().setCourseId(courseId).setStudentId(otherId).build());
      String token = grpc.login(2, other, PASSWORD).getToken();
      SubmitAssignmentResponse handedIn =
          Uploads.send(
              ClusterChannels.as(token, SubmissionServiceGrpc.newStub(grpc.node(2)))
                  ::submitAssignment,
              Uploads.handIn(
                  assignmentId,
                  "theirs.txt",
                  "text/plain",
                  "their work\n".getBytes(StandardCharsets.UTF_8)));
      theirs = handedIn.getSubmission().getId();
      ClusterChannels.as(teacher, GradingServiceGrpc.newBlockingStub(grpc.node(2)))
          .gradeSubmission(
              GradeSubmissionRequest.newBuilder()
                  .setSubmissionId(theirs)
                  .setPoints(55)
                  .setFeedback("their feedback")
                  .setExpectedVersion(0)
                  .build());
    }

    browser.get(url(3, "/home.xhtml"));
    signOutIfSignedIn();
    signIn(STUDENT, PASSWORD);
    assertThat(downloadBytes(url(3, "/files/submission/" + theirs)).statusCode()).isIn(403, 404);
    browser.get(url(3, "/grade.xhtml?submission=" + theirs));
    assertThat(browser.text("error-text"))
        .isIn("Your account may not open this page.", "There is no such page.");
    assertThat(browser.driver().getPageSource())
        .doesNotContain("their feedback")
        .doesNotContain("theirs.txt");
    browser.get(url(3, assignmentUrlPath));
    assertThat(browser.text("versionTable")).doesNotContain("theirs.txt");
    assertThat(browser.driver().getPageSource()).doesNotContain("their feedback");
    browser.get(url(3, "/student/grades.xhtml"));
    assertThat(browser.driver().getPageSource()).doesNotContain("their feedback");
    browser.screenshot("another-students-work-closed");
    signOut();
  }

  /**
   * The AI assistant, on the two surviving nodes: the instructor adds Markdown material; the
   * student asks the AI and watches the answer grow before it is committed with its source; the
   * prompt the model got quotes the material and the question; the student passes it on.
   */
  @Test
  @Order(14)
  void theStudentWatchesTheAiAnswerArriveWithItsSourceAndPassesItOn() throws IOException {
    var axe = Axe.forSuite("portal");
    signInAs(3, INSTRUCTOR);
    browser.driver().findElement(By.linkText(COURSE)).click();
    assertThat(browser.text("ai-state"))
        .isEqualTo("The AI assistant answers this course's students.");
    Path md = Files.writeString(files.resolve("elections.md"), MATERIAL_MD);
    browser.fill("material:title", "Elections");
    browser.byId("material:file").sendKeys(md.toString());
    browser.press("material:submit");
    assertThat(browser.text("messages")).isEqualTo("Added Elections.");
    signOut();

    signInAs(2, STUDENT);
    browser.driver().findElement(By.linkText(COURSE)).click();
    int callsBefore = ollama.chatCalls();
    browser.fill("ai:text", AI_QUESTION);
    browser.press("ai:submit");

    // the answer area as the page's poll refreshes it, read atomically by script until done
    List<String> seen = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      Object text =
          browser
              .driver()
              .executeScript(
                  "var e = document.getElementById('ai-text');"
                      + " return document.getElementById('ai-status') ? (e ? e.textContent : '')"
                      + " : null;");
      if (text == null) {
        break; // the status line is gone: the answer is done
      }
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(text)) {
        seen.add((String) text);
      }
      sleep(40);
    }
    browser.await("the committed answer", () -> browser.has("ai-sources"));
    assertThat(browser.text("ai-text")).isEqualTo(AI_REPLY);
    assertThat(seen)
        .as("the answer's text as the page showed it while it was written")
        .anySatisfy(
            partial -> {
              assertThat(partial).isNotBlank().isNotEqualTo(AI_REPLY);
              assertThat(AI_REPLY).startsWith(partial);
            });
    assertThat(browser.text("ai-sources"))
        .contains("Written by the AI assistant (model gemma2:2b)")
        .contains("Elections");
    assertThat(
            browser.byId("ai-sources").findElement(By.linkText("Elections")).getAttribute("href"))
        .contains("/files/material/");
    assertThat(ollama.chatCalls()).isEqualTo(callsBefore + 1);
    assertThat(ollama.lastPrompt())
        .contains("A candidate becomes leader when a majority of the servers vote for it")
        .contains(AI_QUESTION);
    browser.await(
        "the question list with the answer",
        () -> browser.text("questions:list").contains(AI_REPLY));
    assertThat(browser.text("questions:list"))
        .contains(AI_QUESTION)
        .contains("Asked of the AI assistant.")
        .contains("Elections");
    assertNoServerError();
    scrollTo(browser.byId("ai-answer"));
    browser.screenshot("student-ai-answer");
    assertThat(axe.failing(browser.driver(), "student-course-ai-answer")).isEmpty();

    browser.press("ai-refer:refer");
    assertThat(browser.text("messages"))
        .isEqualTo("Your question was passed on to your instructors.");
    assertThat(browser.text("questions:list")).contains("Passed on to the instructors.");
    assertThat(browser.has("ai-refer:refer")).isFalse();
    browser.screenshot("student-ai-passed-on");
    signOut();
  }

  @Test
  @Order(15)
  void theInstructorEndorsesTheAnswerAndAClassmateSeesTheSharedQuestion() {
    var axe = Axe.forSuite("portal");
    signInAs(3, INSTRUCTOR);
    browser.driver().findElement(By.id("nav-inbox")).click();
    assertThat(rowContaining("inbox:open", AI_QUESTION))
        .contains(
            "Asked of the AI assistant, then passed on to you (by the student, or because the assistant could not answer).");
    assertThat(axe.failing(browser.driver(), "instructor-inbox-ai")).isEmpty();

    browser.get(url(3, assignmentUrlPath));
    browser.driver().findElement(By.partialLinkText(COURSE)).click();
    // newest first: the question for the AI is the first row
    assertThat(browser.byId("questions:list:0:answers:0:endorse").getAttribute("value"))
        .isEqualTo("Endorse and share with the course");
    browser.press("questions:list:0:answers:0:endorse");
    assertThat(browser.text("messages"))
        .isEqualTo("The answer is endorsed and shared with the course.");
    assertThat(browser.text("questions:list")).contains("Endorsed by the instructor.");
    assertThat(browser.has("questions:list:0:answers:0:withdraw")).isTrue();
    assertNoServerError();
    scrollTo(browser.byId("questions:list"));
    browser.screenshot("instructor-endorsed");
    assertThat(axe.failing(browser.driver(), "instructor-course-ai")).isEmpty();
    signOut();

    signInAs(2, OTHER_STUDENT);
    browser.driver().findElement(By.linkText(COURSE)).click();
    assertThat(browser.text("questions:list"))
        .contains(AI_QUESTION)
        .contains(AI_REPLY)
        .contains("A classmate's question, shared with the course by the instructor.")
        .contains("Endorsed by the instructor.")
        .doesNotContain(QUESTION); // the first student's own question to the instructors
    assertThat(browser.has("questions:list:0:refer")).isFalse();
    assertNoServerError();
    scrollTo(browser.byId("questions:list"));
    browser.screenshot("classmate-sees-shared-question");
    assertThat(axe.failing(browser.driver(), "classmate-course-shared")).isEmpty();
  }

  @Test
  @Order(16)
  void whenTheModelServerIsDownTheStudentIsToldAndTheQuestionWaitsForTheInstructor() {
    String question = "What is a term? " + TAG;
    ollama.stop();
    try {
      signInAs(2, OTHER_STUDENT);
      browser.driver().findElement(By.linkText(COURSE)).click();
      browser.fill("ai:text", question);
      browser.press("ai:submit");
      browser.await("the assistant's failure", () -> browser.has("ai-failed"));
      browser.await("the failure's message", () -> browser.text("messages").contains("passed on"));
      assertThat(browser.text("messages")).contains("Your question has been passed on");
      assertThat(rowContaining("questions:list", question))
          .contains("Not answered yet.")
          .contains("Passed on to the instructors.");
      assertNoServerError();
      scrollTo(browser.byId("ai-answer"));
      browser.screenshot("ai-unavailable");
      assertThat(Axe.forSuite("portal").failing(browser.driver(), "student-course-ai-down"))
          .isEmpty();
      signOut();
    } finally {
      ollama.startAgain();
    }

    signInAs(3, INSTRUCTOR);
    browser.driver().findElement(By.id("nav-inbox")).click();
    assertThat(rowContaining("inbox:open", question)).contains(OTHER_STUDENT).contains(COURSE);
    browser.screenshot("inbox-question-the-ai-could-not-answer");
  }

  @Test
  @Order(17)
  void theInstructorDraftsFeedbackWithAiEditsItAndTheStudentSeesItMarked() {
    var axe = Axe.forSuite("portal");
    String edited = DRAFT_REPLY + "\nCite the Raft paper.";
    signInAs(3, INSTRUCTOR);
    browser.get(url(3, assignmentUrlPath));
    pressInRow("subs:submissions", OTHER_STUDENT);
    assertThat(browser.currentUrl()).contains("/grade.xhtml").contains("draft=");
    assertThat(browser.text("messages")).startsWith("The AI assistant drafted feedback");
    assertThat(browser.byId("grade:feedback").getAttribute("value")).isEqualTo(DRAFT_REPLY);
    assertThat(browser.text("draft-note")).contains("began as a draft by the AI assistant");
    assertThat(browser.text("drafts")).contains("gemma2:2b");
    assertThat(ollama.lastPrompt()).contains("their work");
    assertThat(axe.failing(browser.driver(), "grade-ai-draft")).isEmpty();

    browser.fill("grade:feedback", edited);
    browser.press("grade:save");
    assertThat(browser.text("messages")).isEqualTo("Saved: 55 points.");
    assertThat(browser.text("ai-assisted")).startsWith("AI-assisted");
    browser.press("grade:release");
    assertThat(browser.text("messages")).isEqualTo("Released to the student.");
    browser.screenshot("grade-from-ai-draft");
    browser.get(url(3, assignmentUrlPath));
    assertThat(rowOf("subs:submissions", OTHER_STUDENT)).contains("AI-assisted");
    signOut();

    signInAs(2, OTHER_STUDENT);
    browser.get(url(2, "/student/grades.xhtml"));
    assertThat(browser.text("my-grades"))
        .contains("55 / 100")
        .contains("Cite the Raft paper.")
        .contains("AI-assisted");
    assertThat(axe.failing(browser.driver(), "student-grades-ai")).isEmpty();
    browser.get(url(2, assignmentUrlPath));
    assertThat(browser.text("my-ai-assisted")).startsWith("AI-assisted");
    assertNoServerError();
    browser.screenshot("student-sees-ai-assisted");
    signOut();
  }

  @Test
  @Order(18)
  void theInstructorSwitchesTheAiOffAndTheAskFormIsGone() {
    signInAs(3, INSTRUCTOR);
    browser.driver().findElement(By.linkText(COURSE)).click();
    browser.press("ai-switch:off");
    assertThat(browser.text("messages")).isEqualTo("The AI assistant is off for this course.");
    assertThat(browser.text("ai-state"))
        .isEqualTo("The AI assistant is switched off for this course.");
    assertThat(browser.has("ai-switch:on")).isTrue();
    signOut();

    signInAs(2, STUDENT);
    browser.driver().findElement(By.linkText(COURSE)).click();
    assertThat(browser.has("ai:text")).isFalse();
    assertThat(browser.text("ai-off")).startsWith("The AI assistant is switched off");
    assertThat(browser.has("ask:text")).isTrue(); // the instructors can still be asked
    assertNoServerError();
    browser.screenshot("student-ai-off");
    signOut();
  }

  /**
   * An administrator, who teaches nothing, reads a course's grades from the courses page and each
   * grade's history as its instructor saw it, long feedback shortened with the whole a click away;
   * the grade page itself stays the instructors'.
   */
  @Test
  @Order(19)
  void theAdminReadsEveryGradesHistoryAsTheInstructorSawIt() {
    var axe = Axe.forSuite("portal");
    browser.get(url(2, "/home.xhtml"));
    signOutIfSignedIn();
    signIn("admin", cluster.adminPassword());
    browser.get(url(2, "/admin/courses.xhtml"));
    row("courses", COURSE).findElement(By.linkText("Grade history")).click();
    assertThat(browser.currentUrl()).contains("/admin/grade-history.xhtml?course=");
    assertThat(gradeRow(STUDENT).getText())
        .contains(ASSIGNMENT)
        .contains(STUDENT_NAME)
        .contains("90");
    assertThat(gradeRow(OTHER_STUDENT).getText()).contains("55");

    showHistoryOf(STUDENT);
    assertThat(browser.text("history-heading"))
        .isEqualTo("History of " + ASSIGNMENT + " by " + STUDENT_NAME + " (" + STUDENT + ")");
    assertThat(browser.text("history")).isEqualTo(instructorHistory);
    assertNoServerError();
    browser.screenshot("admin-grade-history");

    // the AI-assisted feedback of the other student: on several lines, so shortened at first
    showHistoryOf(OTHER_STUDENT);
    List<List<String>> history = historyRows();
    assertThat(history)
        .extracting(r -> r.get(5))
        .as("AI-assisted")
        .containsExactly("no", "yes", "yes");
    var whole = browser.driver().findElement(By.cssSelector("#history-v2 details p"));
    assertThat(whole.isDisplayed()).isFalse();
    var summary = browser.driver().findElement(By.cssSelector("#history-v2 details summary"));
    assertThat(summary.getText()).startsWith("You state the claim clearly;").contains("(show all)");
    assertThat(summary.getText()).doesNotContain("Cite the Raft paper.");
    summary.click();
    assertThat(whole.isDisplayed()).isTrue();
    assertThat(whole.getText()).endsWith("Suggested points: 60\nCite the Raft paper.");
    assertThat(axe.failing(browser.driver(), "admin-grade-history")).isEmpty();
    scrollTo(whole);
    browser.screenshot("admin-grade-history-whole-feedback");

    // seeing is not grading: the grade page stays closed to an administrator
    browser.get(url(2, gradeUrlPath));
    assertThat(browser.text("error-text"))
        .isIn("Your account may not open this page.", "There is no such page.");
    signOut();
  }

  @Test
  @Order(40)
  void theAdminSeesEveryNodeOnTheClusterPageAndItRefreshesByItself() {
    assertThat(cluster.pid(1)).as("n1, killed in step 8").isEmpty();
    browser.get(url(2, "/home.xhtml"));
    signOutIfSignedIn();
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
    assertThat(browser.text("ai-health"))
        .startsWith("AI assistant: the model server answers this node and holds gemma2:2b");
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

  /** Signs {@code username} in on {@code node}, after whoever an earlier step left signed in. */
  private static void signInAs(int node, String username) {
    browser.get(url(node, "/home.xhtml"));
    signOutIfSignedIn();
    signIn(username, PASSWORD);
    assertThat(browser.currentUrl()).endsWith("/home.xhtml");
  }

  /** Signs out whoever an earlier step left signed in, if anyone. */
  private static void signOutIfSignedIn() {
    if (browser.has("signout:submit")) {
      signOut();
    }
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

  /** The grade history table's rows, each the text of its cells in column order. */
  private static List<List<String>> historyRows() {
    return browser.byId("history").findElements(By.cssSelector("tbody tr")).stream()
        .map(
            tr -> tr.findElements(By.cssSelector("th, td")).stream().map(c -> c.getText()).toList())
        .toList();
  }

  /** When each version of the grade history was made, as the page's {@code <time>} elements say. */
  private static List<Instant> historyTimes() {
    return browser.byId("history").findElements(By.cssSelector("tbody time")).stream()
        .map(t -> Instant.parse(t.getAttribute("datetime")))
        .toList();
  }

  /** On the admin's grade history page, opens the history of {@code student}'s grade. */
  private static void showHistoryOf(String student) {
    browser.get(gradeRow(student).findElement(By.tagName("a")).getAttribute("href"));
  }

  /** The row of the admin's grades table whose student is {@code student} (a user name). */
  private static WebElement gradeRow(String student) {
    return browser
        .byId("grades")
        .findElement(
            By.xpath(
                ".//tr[th[contains(normalize-space(), "
                    + xpathString("(" + student + ")")
                    + ")]]"));
  }

  /** No error page and no stack trace: nothing failed on the server. */
  private static void assertNoServerError() {
    assertThat(browser.has("error-text")).as("an error page").isFalse();
    assertThat(browser.driver().getPageSource()).doesNotContain("Exception");
  }

  /** The text of the row of table {@code tableId} that contains {@code text}. */
  private static String rowContaining(String tableId, String text) {
    return browser
        .byId(tableId)
        .findElement(By.xpath(".//tr[td[contains(normalize-space(), " + xpathString(text) + ")]]"))
        .getText();
  }

  private static String xpathString(String s) {
    return s.contains("'") ? "\"" + s + "\"" : "'" + s + "'";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** No markup a user typed has run: no probe element in the page, the title untouched. */
  private static void assertNoMarkupRan() {
    assertThat(browser.driver().findElements(By.cssSelector(".xssprobe"))).isEmpty();
    assertThat(browser.driver().getTitle()).isNotEqualTo("owned");
    assertThat(browser.driver().getPageSource()).doesNotContain("Exception");
  }

  /** Fills and sends the course page's new-assignment form: due in 2 days, cut off in 3. */
  private static void createAssignment(String title, String description, int points) {
    var format = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    browser.fill("assignment:title", title);
    browser.fill("assignment:description", description);
    setValue("assignment:due", LocalDateTime.now().plusDays(2).format(format));
    setValue("assignment:cutoff", LocalDateTime.now().plusDays(3).format(format));
    browser.fill("assignment:points", Integer.toString(points));
    browser.press("assignment:submit");
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

  private static String sessionCookie() {
    return browser.driver().manage().getCookieNamed("LMS_SESSION").getValue();
  }

  /** GETs a portal URL with the browser's session cookie, as a download manager would. */
  private static HttpResponse<String> download(String href)
      throws IOException, InterruptedException {
    return get(href, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static HttpResponse<byte[]> downloadBytes(String href)
      throws IOException, InterruptedException {
    return get(href, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static <T> HttpResponse<T> get(String href, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(href))
            .header("Cookie", "LMS_SESSION=" + sessionCookie())
            .timeout(Duration.ofSeconds(10))
            .build(),
        body);
  }

  /** A ZIP's entries in order, each read as UTF-8 text. */
  private static Map<String, String> unzip(byte[] zip) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  private static String url(int node, String path) {
    return cluster.baseUrl(node) + path;
  }

  private static String pathOf(String url) {
    URI u = URI.create(url);
    return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }

  @Test
  @Order(30)
  void anAdminImportsAccountsResetsAPasswordDisablesAnAccountAndAssignsAnInstructor()
      throws IOException {
    // node 1 died in @Order(8); whoever an earlier step left signed in signs out first
    browser.get(url(2, "/home.xhtml"));
    signOutIfSignedIn();
    browser.get(url(2, "/admin/users.xhtml"));
    signIn("admin", cluster.adminPassword());
    assertThat(browser.currentUrl()).endsWith("/admin/users.xhtml");

    // a CSV with a BOM, a display name holding a comma and quotes, and one that is markup
    String student = "imp1" + TAG;
    String teacher = "imp2" + TAG;
    String quotedName = "O'Hara, \"Scarlett\"";
    String markupName = "<script>document.title='owned'</script><img src=x onerror=\"alert(1)\">";
    importCsv(
        "accounts.csv",
        "\uFEFFusername,display_name,role,password\r\n"
            + student
            + ",\"O'Hara, \"\"Scarlett\"\"\",STUDENT,"
            + PASSWORD
            + "\r\n"
            + teacher
            + ",\"<script>document.title='owned'</script><img src=x onerror=\"\"alert(1)\"\">\","
            + "INSTRUCTOR,"
            + PASSWORD
            + "\r\n");
    assertThat(browser.text("messages"))
        .isEqualTo("Imported 2 accounts: " + student + ", " + teacher + ".");
    assertThat(rowOf("users", student)).contains(quotedName).contains("STUDENT").contains("active");
    assertThat(rowOf("users", teacher)).contains(markupName).contains("INSTRUCTOR");
    assertThat(browser.driver().getTitle()).isNotEqualTo("owned");
    assertThat(browser.driver().findElements(By.cssSelector("#users img, #users script")))
        .isEmpty();
    scrollTo(row("users", teacher));
    browser.screenshot("admin-imported-accounts");

    // one bad line and nobody is created; every bad line is named
    String unused = "imp3" + TAG;
    importCsv(
        "bad.csv",
        "username,display_name,role,password\n"
            + unused
            + ",Would Be Fine,STUDENT,"
            + PASSWORD
            + "\n"
            + student.toUpperCase()
            + ",Taken Already,STUDENT,"
            + PASSWORD
            + "\n"
            + "imp4"
            + TAG
            + ",Wrong Role,JANITOR,"
            + PASSWORD
            + "\n");
    assertThat(browser.text("messages"))
        .contains("Nothing was imported: the file has 2 problems.")
        .contains("Line 3: the username " + student + " is taken")
        .contains("Line 4: unknown role JANITOR; use STUDENT, INSTRUCTOR or ADMIN.");
    assertThat(browser.text("users")).doesNotContain(unused).doesNotContain("imp4" + TAG);
    browser.screenshot("admin-import-refused");

    // a generated password, shown once, and the user signs in with it
    selectOption("reset:user", student + " (");
    browser.press("reset:submit");
    Matcher generated =
        Pattern.compile("reset to ([A-Za-z0-9]{4}(?:-[A-Za-z0-9]{4}){3}) ")
            .matcher(browser.text("messages"));
    assertThat(generated.find())
        .as("a generated password in: %s", browser.text("messages"))
        .isTrue();
    String newPassword = generated.group(1);
    browser.screenshot("admin-reset-password");

    try (Browser user = Browser.open("portal-imported-user")) {
      user.get(url(3, "/home.xhtml"));
      user.fill("signin:username", student);
      user.fill("signin:password", PASSWORD);
      user.press("signin:submit");
      assertThat(user.text("messages"))
          .isEqualTo("Wrong username or password, or the account is disabled.");
      user.fill("signin:username", student);
      user.fill("signin:password", newPassword);
      user.press("signin:submit");
      assertThat(user.text("greeting")).isEqualTo("Welcome, " + quotedName);
      user.screenshot("imported-user-signed-in-with-reset-password");

      // disabling ends the open session at once and refuses the next sign-in
      browser.get(url(2, "/admin/users.xhtml"));
      pressInRow("users", student);
      assertThat(browser.text("messages")).startsWith("Disabled " + student + ":");
      assertThat(rowOf("users", student)).contains("disabled");
      assertThat(buttonInRow("users", student).getAttribute("value")).isEqualTo("Enable");
      scrollTo(row("users", student));
      browser.screenshot("admin-disabled-account");

      user.get(url(3, "/home.xhtml"));
      assertThat(user.currentUrl()).contains("/login.xhtml");
      user.fill("signin:username", student);
      user.fill("signin:password", newPassword);
      user.press("signin:submit");
      assertThat(user.text("messages"))
          .isEqualTo("Wrong username or password, or the account is disabled.");
      assertThat(user.driver().getPageSource()).doesNotContain("Exception");
      user.screenshot("disabled-user-refused");
    }

    // the use case refuses an administrator's own account, and the page says so
    pressInRow("users", "admin");
    assertThat(browser.text("messages"))
        .isEqualTo("an administrator cannot disable their own account");
    assertThat(rowOf("users", "admin")).contains("active");

    // a second instructor for a course, shown in the list
    browser.get(url(3, "/admin/courses.xhtml"));
    selectOption("assign:course", COURSE + ":");
    selectOption("assign:instructor", teacher + " (");
    browser.press("assign:submit");
    assertThat(browser.text("messages")).isEqualTo(teacher + " now teaches " + COURSE + ".");
    assertThat(rowOf("courses", COURSE)).contains(INSTRUCTOR).contains(teacher);
    scrollTo(row("courses", COURSE));
    browser.screenshot("admin-assigned-second-instructor");
    signOut();
  }

  // --- steps of the admin test

  /** Uploads a CSV file through the import form of the users page. */
  private static void importCsv(String name, String content) throws IOException {
    Path csv = Files.writeString(files.resolve(name), content, StandardCharsets.UTF_8);
    browser.byId("import:file").sendKeys(csv.toString());
    browser.press("import:submit");
  }

  /** The text of the row of table {@code tableId} whose first cell is {@code key}. */
  private static String rowOf(String tableId, String key) {
    return row(tableId, key).getText();
  }

  /** The (only) button of that row. */
  private static WebElement buttonInRow(String tableId, String key) {
    return row(tableId, key).findElement(By.cssSelector("input[type=submit]"));
  }

  /** Presses the (only) button of that row. */
  private static void pressInRow(String tableId, String key) {
    browser.press(buttonInRow(tableId, key).getAttribute("id"));
  }

  private static WebElement row(String tableId, String key) {
    return browser
        .byId(tableId)
        .findElement(By.xpath(".//tr[td[1][normalize-space()='" + key + "']]"));
  }

  /** Scrolls the page so that the screenshot shows {@code e} (the tables come after the forms). */
  private static void scrollTo(WebElement e) {
    browser.driver().executeScript("arguments[0].scrollIntoView({block: 'center'});", e);
  }

  /** Selects the option whose label starts with {@code labelStart}. */
  private static void selectOption(String selectId, String labelStart) {
    var select = new org.openqa.selenium.support.ui.Select(browser.byId(selectId));
    String value =
        select.getOptions().stream()
            .filter(o -> o.getText().startsWith(labelStart))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no option " + labelStart + " in " + selectId))
            .getAttribute("value");
    select.selectByValue(value);
  }
}
