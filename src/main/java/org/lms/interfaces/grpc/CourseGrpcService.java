package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

import io.grpc.stub.StreamObserver;
import java.util.List;
import org.lms.application.assistant.AiAssistant;
import org.lms.application.course.CourseService;
import org.lms.application.port.CommandGateway;
import org.lms.interfaces.grpc.v1.Course;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.CreateCourseResponse;
import org.lms.interfaces.grpc.v1.EnrolRequest;
import org.lms.interfaces.grpc.v1.EnrolResponse;
import org.lms.interfaces.grpc.v1.GetCourseRequest;
import org.lms.interfaces.grpc.v1.ListMyCoursesRequest;
import org.lms.interfaces.grpc.v1.ListMyCoursesResponse;
import org.lms.interfaces.grpc.v1.ListRosterRequest;
import org.lms.interfaces.grpc.v1.ListRosterResponse;
import org.lms.interfaces.grpc.v1.SetCourseAiRequest;
import org.lms.interfaces.grpc.v1.SetCourseAiResponse;
import org.lms.interfaces.grpc.v1.SetInstructorRequest;
import org.lms.interfaces.grpc.v1.SetInstructorResponse;
import org.lms.interfaces.grpc.v1.UnenrolRequest;
import org.lms.interfaces.grpc.v1.UnenrolResponse;

/** lms.v1.CourseService over {@link CourseService}. */
final class CourseGrpcService extends CourseServiceGrpc.CourseServiceImplBase {
  private final CourseService courses;
  private final AiAssistant assistant;
  private final CommandGateway gateway;
  private final ReadBarrier reads;

  CourseGrpcService(
      CourseService courses, AiAssistant assistant, CommandGateway gateway, ReadBarrier reads) {
    this.courses = courses;
    this.assistant = assistant;
    this.gateway = gateway;
    this.reads = reads;
  }

  @Override
  public void createCourse(
      CreateCourseRequest request, StreamObserver<CreateCourseResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          List<String> instructors =
              request.getInstructorIdsList().stream()
                  .map(id -> ProtoMapper.id("instructor_ids", id))
                  .toList();
          var course =
              courses.createCourse(actor(), request.getCode(), request.getTitle(), instructors);
          return CreateCourseResponse.newBuilder()
              .setCourse(ProtoMapper.course(course))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void listMyCourses(
      ListMyCoursesRequest request, StreamObserver<ListMyCoursesResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  courses.myCourses(actor()),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListMyCourses");
          return ListMyCoursesResponse.newBuilder()
              .addAllCourses(page.items().stream().map(ProtoMapper::course).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void getCourse(GetCourseRequest request, StreamObserver<Course> responses) {
    Calls.unary(
        responses,
        () -> {
          String courseId = ProtoMapper.id("course_id", request.getCourseId());
          reads.await(request.getReadOptions());
          return ProtoMapper.course(courses.get(actor(), courseId));
        });
  }

  @Override
  public void enrol(EnrolRequest request, StreamObserver<EnrolResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          courses.enrol(
              actor(),
              ProtoMapper.id("course_id", request.getCourseId()),
              ProtoMapper.id("student_id", request.getStudentId()));
          return EnrolResponse.newBuilder().setLogIndex(gateway.appliedIndex()).build();
        });
  }

  @Override
  public void unenrol(UnenrolRequest request, StreamObserver<UnenrolResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          courses.unenrol(
              actor(),
              ProtoMapper.id("course_id", request.getCourseId()),
              ProtoMapper.id("student_id", request.getStudentId()));
          return UnenrolResponse.newBuilder().setLogIndex(gateway.appliedIndex()).build();
        });
  }

  @Override
  public void listRoster(ListRosterRequest request, StreamObserver<ListRosterResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          String courseId = ProtoMapper.id("course_id", request.getCourseId());
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  courses.roster(actor(), courseId),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListRoster",
                  courseId);
          return ListRosterResponse.newBuilder()
              .addAllStudents(page.items().stream().map(ProtoMapper::user).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void setInstructor(
      SetInstructorRequest request, StreamObserver<SetInstructorResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          courses.assignInstructor(
              actor(),
              ProtoMapper.id("course_id", request.getCourseId()),
              ProtoMapper.id("instructor_id", request.getInstructorId()),
              request.getAssigned());
          return SetInstructorResponse.newBuilder().setLogIndex(gateway.appliedIndex()).build();
        });
  }

  @Override
  public void setCourseAi(
      SetCourseAiRequest request, StreamObserver<SetCourseAiResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          var course =
              assistant.setEnabled(
                  actor(),
                  ProtoMapper.id("course_id", request.getCourseId()),
                  request.getEnabled());
          return SetCourseAiResponse.newBuilder()
              .setCourse(ProtoMapper.course(course))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }
}
