package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import org.lms.application.assignment.AssignmentService;
import org.lms.application.assignment.AssignmentService.Draft;
import org.lms.application.port.CommandGateway;
import org.lms.interfaces.grpc.v1.Assignment;
import org.lms.interfaces.grpc.v1.AssignmentServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateAssignmentRequest;
import org.lms.interfaces.grpc.v1.CreateAssignmentResponse;
import org.lms.interfaces.grpc.v1.GetAssignmentRequest;
import org.lms.interfaces.grpc.v1.ListAssignmentsRequest;
import org.lms.interfaces.grpc.v1.ListAssignmentsResponse;
import org.lms.interfaces.grpc.v1.UpdateAssignmentRequest;
import org.lms.interfaces.grpc.v1.UpdateAssignmentResponse;

/** lms.v1.AssignmentService over {@link AssignmentService}. */
final class AssignmentGrpcService extends AssignmentServiceGrpc.AssignmentServiceImplBase {
  private final AssignmentService assignments;
  private final CommandGateway gateway;
  private final ReadBarrier reads;

  AssignmentGrpcService(AssignmentService assignments, CommandGateway gateway, ReadBarrier reads) {
    this.assignments = assignments;
    this.gateway = gateway;
    this.reads = reads;
  }

  @Override
  public void createAssignment(
      CreateAssignmentRequest request, StreamObserver<CreateAssignmentResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          var draft =
              draft(
                  request.getTitle(),
                  request.getDescription(),
                  request.hasOpensAt(),
                  request.getOpensAt(),
                  request.hasDueAt(),
                  request.getDueAt(),
                  request.hasCutoffAt(),
                  request.getCutoffAt(),
                  request.getMaxPoints());
          var created =
              assignments.create(
                  actor(), ProtoMapper.id("course_id", request.getCourseId()), draft);
          return CreateAssignmentResponse.newBuilder()
              .setAssignment(ProtoMapper.assignment(created))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void updateAssignment(
      UpdateAssignmentRequest request, StreamObserver<UpdateAssignmentResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          var draft =
              draft(
                  request.getTitle(),
                  request.getDescription(),
                  request.hasOpensAt(),
                  request.getOpensAt(),
                  request.hasDueAt(),
                  request.getDueAt(),
                  request.hasCutoffAt(),
                  request.getCutoffAt(),
                  request.getMaxPoints());
          var updated =
              assignments.update(
                  actor(), ProtoMapper.id("assignment_id", request.getAssignmentId()), draft);
          return UpdateAssignmentResponse.newBuilder()
              .setAssignment(ProtoMapper.assignment(updated))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void listAssignments(
      ListAssignmentsRequest request, StreamObserver<ListAssignmentsResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          String courseId = ProtoMapper.id("course_id", request.getCourseId());
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  assignments.list(actor(), courseId),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListAssignments",
                  courseId);
          return ListAssignmentsResponse.newBuilder()
              .addAllAssignments(page.items().stream().map(ProtoMapper::assignment).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void getAssignment(GetAssignmentRequest request, StreamObserver<Assignment> responses) {
    Calls.unary(
        responses,
        () -> {
          String assignmentId = ProtoMapper.id("assignment_id", request.getAssignmentId());
          reads.await(request.getReadOptions());
          return ProtoMapper.assignment(assignments.get(actor(), assignmentId));
        });
  }

  private static Draft draft(
      String title,
      String description,
      boolean hasOpensAt,
      Timestamp opensAt,
      boolean hasDueAt,
      Timestamp dueAt,
      boolean hasCutoffAt,
      Timestamp cutoffAt,
      int maxPoints) {
    return new Draft(
        title,
        description,
        ProtoMapper.instant("opens_at", hasOpensAt, opensAt),
        ProtoMapper.instant("due_at", hasDueAt, dueAt),
        ProtoMapper.instant("cutoff_at", hasCutoffAt, cutoffAt),
        maxPoints);
  }
}
