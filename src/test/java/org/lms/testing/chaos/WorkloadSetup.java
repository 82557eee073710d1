package org.lms.testing.chaos;

import com.google.protobuf.Timestamp;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.lms.interfaces.grpc.Uploads;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateAssignmentRequest;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.CreateUserRequest;
import org.lms.interfaces.grpc.v1.CreateUserResult;
import org.lms.interfaces.grpc.v1.CreateUsersRequest;
import org.lms.interfaces.grpc.v1.EnrolRequest;
import org.lms.interfaces.grpc.v1.LoginRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc;
import org.lms.interfaces.grpc.v1.UpdateAssignmentRequest;
import org.lms.interfaces.grpc.v1.UserServiceGrpc;
import org.lms.testing.ClusterChannels;

/**
 * The cast of a {@link Workload} created through the public API: an instructor, a few enrolled
 * students, their course, the assignments whose titles are registers and the submissions whose
 * grades are. Every step is retried through the next node while the cluster settles (UNAVAILABLE,
 * DEADLINE_EXCEEDED); a retried create uses fresh names, so an attempt that did get through leaves
 * only an unused record behind.
 */
final class WorkloadSetup {
  /** The deadline of one attempt of a setup call: the cluster may still be electing. */
  private static final Duration ATTEMPT_DEADLINE = Duration.ofSeconds(10);

  /** How long one setup step keeps retrying. */
  private static final Duration STEP_BUDGET = Duration.ofMinutes(2);

  private static final Set<Code> RETRYABLE =
      Set.of(
          Code.UNAVAILABLE,
          Code.DEADLINE_EXCEEDED,
          Code.CANCELLED,
          Code.ABORTED,
          Code.RESOURCE_EXHAUSTED);

  /**
   * A sign-in may also be refused while the node has not applied the account yet (the first
   * administrator right after a start), so UNAUTHENTICATED is retried too.
   */
  private static final Set<Code> RETRYABLE_SIGN_IN =
      Stream.concat(RETRYABLE.stream(), Stream.of(Code.UNAUTHENTICATED))
          .collect(Collectors.toUnmodifiableSet());

  /** What every assignment of the workload has in common: only the title differs. */
  record Fields(String description, Timestamp opensAt, Timestamp dueAt, Timestamp cutoffAt) {
    static final int MAX_POINTS = 100;

    CreateAssignmentRequest create(String courseId, String title) {
      return CreateAssignmentRequest.newBuilder()
          .setCourseId(courseId)
          .setTitle(title)
          .setDescription(description)
          .setOpensAt(opensAt)
          .setDueAt(dueAt)
          .setCutoffAt(cutoffAt)
          .setMaxPoints(MAX_POINTS)
          .build();
    }

    UpdateAssignmentRequest update(String assignmentId, String title) {
      return UpdateAssignmentRequest.newBuilder()
          .setAssignmentId(assignmentId)
          .setTitle(title)
          .setDescription(description)
          .setOpensAt(opensAt)
          .setDueAt(dueAt)
          .setCutoffAt(cutoffAt)
          .setMaxPoints(MAX_POINTS)
          .build();
    }
  }

  /** An assignment created with {@code title}, by a call sent and answered at these instants. */
  record Created(String id, String title, long invokeNanos, long returnNanos) {}

  private final List<? extends Channel> channels;
  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private final String password = "chaos-password-" + tag;
  private final Fields fields;
  private int node;

  WorkloadSetup(List<? extends Channel> channels) {
    this.channels = channels;
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    this.fields =
        new Fields(
            "Chaos workload register " + tag,
            timestamp(now.minus(Duration.ofDays(1))),
            timestamp(now.plus(Duration.ofDays(30))),
            timestamp(now.plus(Duration.ofDays(60))));
  }

  Fields fields() {
    return fields;
  }

  /** The password of every account the setup creates. */
  String password() {
    return password;
  }

  /** The node (1-based) the last successful call went to. */
  int lastNode() {
    return node + 1;
  }

  /** An account the setup created. */
  record Person(String id, String username) {}

  /** Signs in through {@code firstNode} (1-based), or the next nodes if it cannot; the token. */
  String signIn(String username, String password, int firstNode) {
    node = (firstNode - 1) % channels.size();
    return retrying(
        "sign in as " + username,
        RETRYABLE_SIGN_IN,
        (channel, attempt) ->
            AuthServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(ATTEMPT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .login(
                    LoginRequest.newBuilder().setUsername(username).setPassword(password).build())
                .getToken());
  }

  /** Creates the instructor and {@code students} students; the instructor comes first. */
  List<Person> createPeople(String adminToken, int students) {
    return retrying(
        "create the instructor and " + students + " students",
        RETRYABLE,
        (channel, attempt) -> {
          var request =
              CreateUsersRequest.newBuilder().addUsers(user("i-" + attempt, Role.ROLE_INSTRUCTOR));
          for (int s = 1; s <= students; s++) {
            request.addUsers(user("s" + s + "-" + attempt, Role.ROLE_STUDENT));
          }
          var response =
              UserServiceGrpc.newBlockingStub(channel)
                  .withInterceptors(ClusterChannels.bearer(adminToken))
                  .withDeadlineAfter(ATTEMPT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                  .createUsers(request.build());
          var people = new ArrayList<Person>();
          for (CreateUserResult result : response.getResultsList()) {
            if (!result.hasUser()) {
              throw new IllegalStateException("an account was refused: " + result.getError());
            }
            people.add(new Person(result.getUser().getId(), result.getUser().getUsername()));
          }
          return people;
        });
  }

  private CreateUserRequest user(String suffix, Role role) {
    return CreateUserRequest.newBuilder()
        .setUsername("chaos-" + tag + "-" + suffix)
        .setDisplayName("Chaos " + suffix)
        .setRole(role)
        .setPassword(password)
        .build();
  }

  /** Creates the course taught by {@code instructorId} and enrols the students; its id. */
  String createCourse(String adminToken, String instructorId, List<String> studentIds) {
    ClientInterceptor admin = ClusterChannels.bearer(adminToken);
    String courseId =
        retrying(
            "create the course",
            RETRYABLE,
            (channel, attempt) ->
                CourseServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(admin)
                    .withDeadlineAfter(ATTEMPT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .createCourse(
                        CreateCourseRequest.newBuilder()
                            .setCode("CHAOS-" + tag + "-" + attempt)
                            .setTitle("Chaos workload " + tag)
                            .addInstructorIds(instructorId)
                            .build())
                    .getCourse()
                    .getId());
    for (String student : studentIds) {
      // enrolling twice changes nothing: a plain retry is safe
      retrying(
          "enrol " + student,
          RETRYABLE,
          (channel, attempt) ->
              CourseServiceGrpc.newBlockingStub(channel)
                  .withInterceptors(admin)
                  .withDeadlineAfter(ATTEMPT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                  .enrol(
                      EnrolRequest.newBuilder()
                          .setCourseId(courseId)
                          .setStudentId(student)
                          .build()));
    }
    return courseId;
  }

  /** Creates one assignment titled {@code title}; a retry creates another one with its own id. */
  Created createAssignment(String instructorToken, String courseId, String title) {
    ClientInterceptor instructor = ClusterChannels.bearer(instructorToken);
    return retrying(
        "create an assignment",
        RETRYABLE,
        (channel, attempt) -> {
          var stub =
              AssignmentServiceGrpc.newBlockingStub(channel)
                  .withInterceptors(instructor)
                  .withDeadlineAfter(ATTEMPT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
          var request = fields.create(courseId, title);
          long invoke = System.nanoTime();
          String id = stub.createAssignment(request).getAssignment().getId();
          return new Created(id, title, invoke, System.nanoTime());
        });
  }

  /** Hands in a small file for {@code assignmentId} as the student; the submission's id. */
  String submit(String studentToken, String assignmentId, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    ClientInterceptor student = ClusterChannels.bearer(studentToken);
    return retrying(
        "hand in for " + assignmentId,
        RETRYABLE,
        (channel, attempt) ->
            Uploads.send(
                    SubmissionServiceGrpc.newStub(channel)
                            .withInterceptors(student)
                            .withDeadlineAfter(ATTEMPT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        ::submitAssignment,
                    Uploads.handIn(assignmentId, "hand-in.txt", "text/plain", bytes),
                    // the call's own deadline ends it first; this bound guards a lost callback
                    ATTEMPT_DEADLINE.plusSeconds(5))
                .getSubmission()
                .getId());
  }

  /**
   * Runs {@code attempt} on the current node, and again on the next ones while it fails with one of
   * {@code retryable}, for at most {@link #STEP_BUDGET}.
   */
  <T> T retrying(String what, Set<Code> retryable, Attempt<T> attempt) {
    long end = System.nanoTime() + STEP_BUDGET.toNanos();
    for (int number = 1; ; number++) {
      Channel channel = channels.get(node);
      try {
        return attempt.run(channel, number);
      } catch (StatusRuntimeException e) {
        Code code = e.getStatus().getCode();
        if (!retryable.contains(code) || System.nanoTime() > end) {
          throw new IllegalStateException(
              "workload setup: could not " + what + " (attempt " + number + "): " + e.getStatus(),
              e);
        }
        node = (node + 1) % channels.size();
        sleep(number % channels.size() == 0 ? 500 : 50);
      }
    }
  }

  /** One attempt of a setup call through {@code channel}; {@code attempt} counts from 1. */
  @FunctionalInterface
  interface Attempt<T> {
    T run(Channel channel, int attempt);
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
