package org.lms.interfaces.web.portal;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.lms.application.Actor;
import org.lms.application.Download;
import org.lms.application.LmsApplication;
import org.lms.application.port.BlobStore.BlobNotFoundException;
import org.lms.application.port.BlobStore.BlobUnavailableException;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Grade;
import org.lms.domain.model.Material;
import org.lms.domain.model.Submission;
import org.lms.domain.model.User;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.StateStore;

/**
 * Serves course material ({@code /files/material/<id>}), handed-in files ({@code
 * /files/submission/<id>}), every student's newest hand-in of an assignment as a ZIP ({@code
 * /files/submissions/<assignmentId>}) and a course's gradebook as CSV ({@code
 * /files/gradebook/<courseId>}) to whoever the use cases allow, as attachments under a safe name:
 * the stored name's last path segment without control characters or quotes, so {@code
 * ../../etc/passwd} downloads as {@code passwd} and a browser never renders a file in the portal's
 * origin.
 */
@WebServlet("/files/*")
public class DownloadServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Inject transient LmsApplication application;
  @Inject transient StateStore store;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Actor actor = (Actor) request.getAttribute(SessionCookieMechanism.ACTOR);
    if (actor == null) {
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
      return;
    }
    String[] path =
        request.getPathInfo() == null ? new String[0] : request.getPathInfo().split("/");
    if (path.length != 3) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    try {
      switch (path[1]) {
        case "material" -> {
          Download<Material> d = application.courses().openMaterial(actor, path[2]);
          send(response, d.content(), d.record().fileName(), d.record().size());
        }
        case "submission" -> {
          Download<Submission> d = application.assignments().openSubmission(actor, path[2]);
          send(response, d.content(), d.record().fileName(), d.record().size());
        }
        case "gradebook" -> sendGradebook(response, actor, path[2]);
        case "submissions" -> sendAllSubmissions(response, actor, path[2]);
        default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
      }
    } catch (RejectedException e) {
      response.sendError(
          switch (e.rejection().reason().kind()) {
            case PERMISSION_DENIED -> HttpServletResponse.SC_FORBIDDEN;
            default -> HttpServletResponse.SC_NOT_FOUND;
          });
    } catch (BlobNotFoundException | BlobUnavailableException e) {
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
    }
  }

  /** A course's gradebook for its instructors: one row per grade, drafts included. */
  private void sendGradebook(HttpServletResponse response, Actor actor, String courseId)
      throws IOException {
    Course course = application.courses().get(actor, courseId);
    List<Grade> grades = application.grading().gradebook(actor, courseId);
    Map<String, Assignment> assignments = new HashMap<>();
    for (Assignment a : application.assignments().list(actor, courseId)) {
      assignments.put(a.id(), a);
    }
    List<List<String>> rows = new ArrayList<>();
    for (Grade g : grades) {
      Optional<User> student = store.get(User.class, g.studentId());
      Assignment a = assignments.get(g.assignmentId());
      rows.add(
          List.of(
              student.map(User::username).orElse(g.studentId()),
              student.map(User::displayName).orElse(""),
              a == null ? g.assignmentId() : a.title(),
              PortalPages.points(g.points()),
              a == null ? "" : Integer.toString(a.maxPoints()),
              Boolean.toString(g.released()),
              g.feedback() == null ? "" : g.feedback()));
    }
    rows.sort(Comparator.comparing((List<String> r) -> r.get(0)).thenComparing(r -> r.get(2)));
    byte[] csv = GradebookCsv.write(rows).getBytes(StandardCharsets.UTF_8);
    response.setContentType("text/csv; charset=UTF-8");
    response.setContentLength(csv.length);
    response.setHeader(
        "Content-Disposition", contentDisposition("gradebook-" + course.code() + ".csv"));
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.getOutputStream().write(csv);
  }

  /**
   * Every student's newest version of an assignment as one ZIP, for its instructors: {@code
   * <username>/<file name>} per student (the name made safe as for a single download) and a {@code
   * manifest.csv} with version, size, SHA-256, time and late flag. Streamed: a file that cannot be
   * read midway aborts the response rather than end it as a valid but incomplete archive.
   */
  private void sendAllSubmissions(HttpServletResponse response, Actor actor, String assignmentId)
      throws IOException {
    Assignment assignment = application.assignments().get(actor, assignmentId);
    Course course = application.courses().get(actor, assignment.courseId());
    if (!course.isTaughtBy(actor.userId())) {
      response.sendError(HttpServletResponse.SC_FORBIDDEN);
      return;
    }
    // by username, each student's user read once (not once per version)
    Map<String, Submission> newest = new TreeMap<>();
    PortalPages.newestPerStudent(application.assignments().submissions(actor, assignmentId))
        .forEach(
            (studentId, s) ->
                newest.put(
                    store.get(User.class, studentId).map(User::username).orElse(studentId), s));
    response.setContentType("application/zip");
    response.setHeader(
        "Content-Disposition",
        contentDisposition(course.code() + "-" + assignment.title() + "-submissions.zip"));
    response.setHeader("X-Content-Type-Options", "nosniff");
    List<List<String>> manifest = new ArrayList<>();
    try (var zip = new ZipOutputStream(response.getOutputStream(), StandardCharsets.UTF_8)) {
      for (Map.Entry<String, Submission> e : newest.entrySet()) {
        Submission s = e.getValue();
        String entry = e.getKey() + "/" + safeName(s.fileName());
        Download<Submission> d = application.assignments().openSubmission(actor, s.id());
        try (InputStream in = d.content()) {
          zip.putNextEntry(new ZipEntry(entry));
          in.transferTo(zip);
          zip.closeEntry();
        }
        manifest.add(
            List.of(
                e.getKey(),
                Integer.toString(s.version()),
                entry,
                Long.toString(s.size()),
                s.sha256(),
                s.submittedAt().toString(),
                Boolean.toString(s.late())));
      }
      zip.putNextEntry(new ZipEntry("manifest.csv"));
      zip.write(GradebookCsv.write(MANIFEST, manifest).getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
  }

  static final List<String> MANIFEST =
      List.of("student", "version", "file", "size", "sha256", "submitted_at", "late");

  private static void send(
      HttpServletResponse response, InputStream content, String name, long size)
      throws IOException {
    try (InputStream in = content) {
      response.setContentType("application/octet-stream");
      response.setContentLengthLong(size);
      response.setHeader("Content-Disposition", contentDisposition(name));
      response.setHeader("X-Content-Type-Options", "nosniff");
      try (OutputStream out = response.getOutputStream()) {
        in.transferTo(out);
      }
    }
  }

  /** An attachment header with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987). */
  static String contentDisposition(String storedName) {
    String safe = safeName(storedName);
    String ascii = safe.replaceAll("[^A-Za-z0-9._ -]", "_");
    String encoded = URLEncoder.encode(safe, StandardCharsets.UTF_8).replace("+", "%20");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }

  /**
   * The last path segment of a stored file name, without control characters, quotes, or leading
   * dots; {@code download} when nothing is left.
   */
  static String safeName(String storedName) {
    String name = storedName == null ? "" : storedName;
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    name = name.substring(slash + 1);
    name = name.replaceAll("[\\p{Cntrl}\"]", "").strip();
    name = name.replaceFirst("^\\.+", "");
    return name.isEmpty() ? "download" : name;
  }
}
