package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.ALREADY_EXISTS;
import static io.grpc.Status.Code.FAILED_PRECONDITION;
import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;
import static org.lms.interfaces.grpc.GrpcAssertions.invalid;
import static org.lms.interfaces.grpc.GrpcAssertions.reason;

import java.util.ArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.Course;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc.CourseServiceBlockingStub;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.EnrolRequest;
import org.lms.interfaces.grpc.v1.GetCourseRequest;
import org.lms.interfaces.grpc.v1.ListMyCoursesRequest;
import org.lms.interfaces.grpc.v1.ListRosterRequest;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.SetInstructorRequest;
import org.lms.interfaces.grpc.v1.UnenrolRequest;
import org.lms.interfaces.grpc.v1.User;
import org.lms.testing.GrpcFixture;
import org.lms.testing.GrpcFixture.Account;

/** lms.v1.CourseService against a real three-peer cluster. */
@Timeout(120)
@ExtendWith(GrpcFixture.Shared.class)
class CourseServiceIT {
  private static GrpcFixture api;
  private static CourseServiceBlockingStub anonymous;
  private static CourseServiceBlockingStub admin;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
    anonymous = CourseServiceGrpc.newBlockingStub(api.channel());
    admin = GrpcFixture.as(api.adminToken(), anonymous);
  }

  /** A course taught by a new instructor. */
  static Course newCourse(GrpcFixture api, Account instructor) {
    return GrpcFixture.as(api.adminToken(), CourseServiceGrpc.newBlockingStub(api.channel()))
        .createCourse(
            CreateCourseRequest.newBuilder()
                .setCode(GrpcFixture.unique("C"))
                .setTitle("A course")
                .addInstructorIds(instructor.id())
                .build())
        .getCourse();
  }

  /** Enrols {@code student} in {@code course}, as the administrator. */
  static long enrol(GrpcFixture api, Course course, Account student) {
    return GrpcFixture.as(api.adminToken(), CourseServiceGrpc.newBlockingStub(api.channel()))
        .enrol(enrolment(course.getId(), student.id()))
        .getLogIndex();
  }

  @Test
  void createdCoursesAreListedForTheirMembers() {
    var instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    var student = api.newAccount(Role.ROLE_STUDENT);
    String code = GrpcFixture.unique("CS");

    var created =
        admin.createCourse(
            CreateCourseRequest.newBuilder()
                .setCode(code)
                .setTitle("Distributed systems")
                .addInstructorIds(instructor.id())
                .build());
    long enrolled =
        instructor
            .stub(anonymous)
            .enrol(enrolment(created.getCourse().getId(), student.id()))
            .getLogIndex();

    Course course = created.getCourse();
    assertThat(course.getCode()).isEqualTo(code);
    assertThat(course.getInstructorIdsList()).containsExactly(instructor.id());
    assertThat(created.getLogIndex()).isPositive();
    assertThat(enrolled).isGreaterThanOrEqualTo(created.getLogIndex());
    var mine =
        student
            .stub(anonymous)
            .listMyCourses(
                ListMyCoursesRequest.newBuilder().setReadOptions(atLeast(enrolled)).build());
    assertThat(mine.getCoursesList()).extracting(Course::getCode).containsExactly(code);
    assertThat(mine.getCourses(0).getStudentCount()).isEqualTo(1);
    assertThat(
            instructor
                .stub(anonymous)
                .listMyCourses(ListMyCoursesRequest.getDefaultInstance())
                .getCoursesList())
        .extracting(Course::getId)
        .containsExactly(course.getId());
    assertThat(
            student
                .stub(anonymous)
                .getCourse(GetCourseRequest.newBuilder().setCourseId(course.getId()).build())
                .getTitle())
        .isEqualTo("Distributed systems");
  }

  @Test
  void createCourseRejections() {
    var instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    String code = GrpcFixture.unique("DUP");
    admin.createCourse(CreateCourseRequest.newBuilder().setCode(code).setTitle("t").build());

    failsWith(
        UNAUTHENTICATED,
        () ->
            anonymous.createCourse(
                CreateCourseRequest.newBuilder().setCode("X").setTitle("t").build()));
    failsWith(
        PERMISSION_DENIED,
        () ->
            instructor
                .stub(anonymous)
                .createCourse(
                    CreateCourseRequest.newBuilder()
                        .setCode(GrpcFixture.unique("I"))
                        .setTitle("t")
                        .build()));
    var duplicate =
        failsWith(
            ALREADY_EXISTS,
            () ->
                admin.createCourse(
                    CreateCourseRequest.newBuilder().setCode(code).setTitle("t").build()));
    assertThat(reason(duplicate)).isEqualTo("DUPLICATE_COURSE_CODE");
    invalid(
        "code",
        () ->
            admin.createCourse(
                CreateCourseRequest.newBuilder().setCode("no spaces").setTitle("t").build()));
    invalid(
        "title",
        () ->
            admin.createCourse(
                CreateCourseRequest.newBuilder().setCode(GrpcFixture.unique("T")).build()));
    invalid(
        "instructor_ids",
        () ->
            admin.createCourse(
                CreateCourseRequest.newBuilder()
                    .setCode(GrpcFixture.unique("T"))
                    .setTitle("t")
                    .addInstructorIds("")
                    .build()));
  }

  @Test
  void enrolmentIsForInstructorsOfTheCourseAndOnlyForStudents() {
    var instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    var otherInstructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    var student = api.newAccount(Role.ROLE_STUDENT);
    Course course = newCourse(api, instructor);

    failsWith(UNAUTHENTICATED, () -> anonymous.enrol(enrolment(course.getId(), student.id())));
    failsWith(
        PERMISSION_DENIED,
        () -> student.stub(anonymous).enrol(enrolment(course.getId(), student.id())));
    failsWith(
        PERMISSION_DENIED,
        () -> otherInstructor.stub(anonymous).enrol(enrolment(course.getId(), student.id())));
    var wrongRole =
        failsWith(
            FAILED_PRECONDITION,
            () ->
                instructor.stub(anonymous).enrol(enrolment(course.getId(), otherInstructor.id())));
    assertThat(reason(wrongRole)).isEqualTo("WRONG_ROLE");
    failsWith(NOT_FOUND, () -> admin.enrol(enrolment("no-such-course", student.id())));
    failsWith(NOT_FOUND, () -> admin.enrol(enrolment(course.getId(), "no-such-student")));
    invalid("course_id", () -> admin.enrol(enrolment("", student.id())));
    invalid("student_id", () -> admin.enrol(enrolment(course.getId(), "x".repeat(65))));
  }

  @Test
  void theRosterListsEnrolledStudentsUntilTheyAreUnenrolled() {
    var instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    var first = api.newAccount(Role.ROLE_STUDENT);
    var second = api.newAccount(Role.ROLE_STUDENT);
    Course course = newCourse(api, instructor);
    enrol(api, course, first);
    enrol(api, course, second);
    var asInstructor = instructor.stub(anonymous);

    var roster = new ArrayList<User>();
    String token = "";
    do {
      var page =
          asInstructor.listRoster(
              ListRosterRequest.newBuilder()
                  .setCourseId(course.getId())
                  .setPageSize(1)
                  .setPageToken(token)
                  .build());
      roster.addAll(page.getStudentsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    assertThat(roster).extracting(User::getId).containsExactlyInAnyOrder(first.id(), second.id());

    long unenrolled =
        asInstructor
            .unenrol(
                UnenrolRequest.newBuilder()
                    .setCourseId(course.getId())
                    .setStudentId(first.id())
                    .build())
            .getLogIndex();
    var after =
        asInstructor.listRoster(
            ListRosterRequest.newBuilder()
                .setCourseId(course.getId())
                .setReadOptions(atLeast(unenrolled))
                .build());
    assertThat(after.getStudentsList()).extracting(User::getId).containsExactly(second.id());
  }

  @Test
  void rosterAndUnenrolRejections() {
    var instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    var student = api.newAccount(Role.ROLE_STUDENT);
    Course course = newCourse(api, instructor);
    enrol(api, course, student);
    var roster = ListRosterRequest.newBuilder().setCourseId(course.getId()).build();
    var unenrol =
        UnenrolRequest.newBuilder().setCourseId(course.getId()).setStudentId(student.id()).build();

    failsWith(UNAUTHENTICATED, () -> anonymous.listRoster(roster));
    failsWith(PERMISSION_DENIED, () -> student.stub(anonymous).listRoster(roster));
    failsWith(NOT_FOUND, () -> admin.listRoster(roster.toBuilder().setCourseId("nope").build()));
    invalid("course_id", () -> admin.listRoster(roster.toBuilder().setCourseId("").build()));
    failsWith(UNAUTHENTICATED, () -> anonymous.unenrol(unenrol));
    failsWith(PERMISSION_DENIED, () -> student.stub(anonymous).unenrol(unenrol));
    failsWith(NOT_FOUND, () -> admin.unenrol(unenrol.toBuilder().setCourseId("nope").build()));
    invalid("student_id", () -> admin.unenrol(unenrol.toBuilder().setStudentId("").build()));
  }

  @Test
  void getCourseIsForMembers() {
    var instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    var outsider = api.newAccount(Role.ROLE_STUDENT);
    Course course = newCourse(api, instructor);
    var get = GetCourseRequest.newBuilder().setCourseId(course.getId()).build();

    failsWith(UNAUTHENTICATED, () -> anonymous.getCourse(get));
    failsWith(PERMISSION_DENIED, () -> outsider.stub(anonymous).getCourse(get));
    failsWith(NOT_FOUND, () -> admin.getCourse(get.toBuilder().setCourseId("nope").build()));
    invalid("course_id", () -> admin.getCourse(GetCourseRequest.getDefaultInstance()));
    failsWith(
        UNAUTHENTICATED, () -> anonymous.listMyCourses(ListMyCoursesRequest.getDefaultInstance()));
  }

  @Test
  void setInstructorAddsAndRemovesInstructors() {
    var first = api.newAccount(Role.ROLE_INSTRUCTOR);
    var second = api.newAccount(Role.ROLE_INSTRUCTOR);
    var student = api.newAccount(Role.ROLE_STUDENT);
    Course course = newCourse(api, first);
    var add =
        SetInstructorRequest.newBuilder()
            .setCourseId(course.getId())
            .setInstructorId(second.id())
            .setAssigned(true)
            .build();

    long added = admin.setInstructor(add).getLogIndex();
    var seen =
        admin.getCourse(
            GetCourseRequest.newBuilder()
                .setCourseId(course.getId())
                .setReadOptions(atLeast(added))
                .build());
    assertThat(seen.getInstructorIdsList()).contains(first.id(), second.id());

    failsWith(UNAUTHENTICATED, () -> anonymous.setInstructor(add));
    failsWith(PERMISSION_DENIED, () -> first.stub(anonymous).setInstructor(add));
    failsWith(
        FAILED_PRECONDITION,
        () -> admin.setInstructor(add.toBuilder().setInstructorId(student.id()).build()));
    failsWith(NOT_FOUND, () -> admin.setInstructor(add.toBuilder().setCourseId("nope").build()));
    invalid(
        "instructor_id", () -> admin.setInstructor(add.toBuilder().setInstructorId("").build()));
  }

  static EnrolRequest enrolment(String courseId, String studentId) {
    return EnrolRequest.newBuilder().setCourseId(courseId).setStudentId(studentId).build();
  }

  static ReadOptions atLeast(long index) {
    return ReadOptions.newBuilder().setMinIndex(index).build();
  }
}
