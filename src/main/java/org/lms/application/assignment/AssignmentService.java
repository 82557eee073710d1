package org.lms.application.assignment;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.lms.application.Access;
import org.lms.application.Actor;
import org.lms.application.Download;
import org.lms.application.UseCases;
import org.lms.application.port.BlobStore;
import org.lms.domain.command.CreateAssignment;
import org.lms.domain.command.SubmitAssignment;
import org.lms.domain.command.UpdateAssignment;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Submission;
import org.lms.domain.state.Criterion;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;

/** Creating assignments, handing in work, and seeing what was handed in. */
public final class AssignmentService {
  private final UseCases useCases;
  private final BlobStore blobs;
  private final long maxUploadBytes;

  public AssignmentService(UseCases useCases, BlobStore blobs, long maxUploadBytes) {
    this.useCases = useCases;
    this.blobs = blobs;
    this.maxUploadBytes = maxUploadBytes;
  }

  /** The fields an instructor edits. */
  public record Draft(
      String title,
      String description,
      Instant opensAt,
      Instant dueAt,
      Instant cutoffAt,
      int maxPoints) {}

  public Assignment create(Actor actor, String courseId, Draft d) {
    String id = useCases.newId();
    useCases.propose(
        new CreateAssignment(
            id,
            courseId,
            d.title(),
            d.description(),
            millis(d.opensAt()),
            millis(d.dueAt()),
            millis(d.cutoffAt()),
            d.maxPoints(),
            actor.userId(),
            useCases.now()));
    return assignment(id);
  }

  public Assignment update(Actor actor, String assignmentId, Draft d) {
    useCases.propose(
        new UpdateAssignment(
            assignmentId,
            d.title(),
            d.description(),
            millis(d.opensAt()),
            millis(d.dueAt()),
            millis(d.cutoffAt()),
            d.maxPoints(),
            actor.userId(),
            useCases.now()));
    return assignment(assignmentId);
  }

  public List<Assignment> list(Actor actor, String courseId) {
    Access.requireMember(actor, course(courseId));
    return useCases.store().find(Assignment.class, Criterion.eq("courseId", courseId)).stream()
        .sorted(Comparator.comparing(Assignment::dueAt).thenComparing(Assignment::id))
        .toList();
  }

  public Assignment get(Actor actor, String assignmentId) {
    Assignment a = assignment(assignmentId);
    Access.requireMember(actor, course(a.courseId()));
    return a;
  }

  /**
   * Checks that {@code actor} may hand in such a file now, before any byte is sent; {@link #submit}
   * checks again (and stamps the time) when the bytes have arrived.
   */
  public void checkSubmission(Actor actor, String assignmentId, String fileName, String mediaType) {
    useCases.check(
        new SubmitAssignment(
            useCases.newId(),
            assignmentId,
            fileName,
            1,
            mediaType,
            UseCases.PENDING_SHA256,
            actor.userId(),
            useCases.now()));
  }

  /**
   * Hands in a file. The submission time is stamped by this node when the bytes have arrived, just
   * before proposing; it decides lateness and the cut-off.
   */
  public Submission submit(
      Actor actor, String assignmentId, String fileName, String mediaType, InputStream content)
      throws IOException {
    checkSubmission(actor, assignmentId, fileName, mediaType);
    String id = useCases.newId();
    BlobStore.StoredBlob blob = blobs.put(content, maxUploadBytes);
    useCases.propose(
        new SubmitAssignment(
            id,
            assignmentId,
            fileName,
            blob.size(),
            mediaType,
            blob.sha256(),
            actor.userId(),
            useCases.now()));
    return useCases.require(Submission.class, id, RejectionReason.UNKNOWN_SUBMISSION);
  }

  /**
   * Submissions of an assignment: a student sees their own versions, an instructor every student's.
   */
  public List<Submission> submissions(Actor actor, String assignmentId) {
    Assignment a = assignment(assignmentId);
    Course course = course(a.courseId());
    List<Submission> found;
    if (Access.teaches(actor, course)) {
      found = useCases.store().find(Submission.class, Criterion.eq("assignmentId", assignmentId));
    } else {
      Access.requireMember(actor, course);
      found =
          useCases
              .store()
              .find(
                  Submission.class,
                  Criterion.eq("assignmentId", assignmentId),
                  Criterion.eq("studentId", actor.userId()));
    }
    return found.stream()
        .sorted(Comparator.comparing(Submission::studentId).thenComparing(Submission::version))
        .toList();
  }

  /**
   * Every version one student handed in for an assignment, oldest first: for the student themselves
   * and for instructors of the course ({@code studentId} null means the actor).
   */
  public List<Submission> versions(Actor actor, String assignmentId, String studentId) {
    Assignment a = assignment(assignmentId);
    Course course = course(a.courseId());
    String student = studentId == null || studentId.isEmpty() ? actor.userId() : studentId;
    if (!Access.teaches(actor, course)) {
      if (!student.equals(actor.userId())) {
        throw new RejectedException(
            RejectionReason.NOT_INSTRUCTOR_OF_COURSE,
            "studentId",
            "only an instructor of course " + course.code() + " sees another student's work");
      }
      Access.requireMember(actor, course);
    }
    return useCases
        .store()
        .find(
            Submission.class,
            Criterion.eq("assignmentId", assignmentId),
            Criterion.eq("studentId", student))
        .stream()
        .sorted(Comparator.comparing(Submission::version))
        .toList();
  }

  /** One submission, for its student or an instructor of its course. */
  public Submission submission(Actor actor, String submissionId) {
    Submission s =
        useCases.require(Submission.class, submissionId, RejectionReason.UNKNOWN_SUBMISSION);
    Access.requireOwnerOrInstructor(actor, s, course(s.courseId()));
    return s;
  }

  /** A submission and its bytes, for its student and the instructors of its course. */
  public Download<Submission> openSubmission(Actor actor, String submissionId) throws IOException {
    Submission submission = submission(actor, submissionId);
    return new Download<>(submission, blobs.open(submission.sha256()));
  }

  private Assignment assignment(String id) {
    return useCases.require(Assignment.class, id, RejectionReason.UNKNOWN_ASSIGNMENT);
  }

  private Course course(String id) {
    return useCases.require(Course.class, id, RejectionReason.UNKNOWN_COURSE);
  }

  private static Instant millis(Instant t) {
    return t == null ? null : Instant.ofEpochMilli(t.toEpochMilli());
  }
}
