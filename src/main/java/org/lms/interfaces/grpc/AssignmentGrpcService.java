package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

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
          var draft = draft(request);
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
          var draft = draft(request);
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

  private static Draft draft(CreateAssignmentRequest r) {
    return new Draft(
        r.getTitle(),
        r.getDescription(),
        ProtoMapper.instant("opens_at", r.hasOpensAt(), r.getOpensAt()),
        ProtoMapper.instant("due_at", r.hasDueAt(), r.getDueAt()),
        ProtoMapper.instant("cutoff_at", r.hasCutoffAt(), r.getCutoffAt()),
        r.getMaxPoints());
  }

  private static Draft draft(UpdateAssignmentRequest r) {
    return new Draft(
        r.getTitle(),
        r.getDescription(),
        ProtoMapper.instant("opens_at", r.hasOpensAt(), r.getOpensAt()),
        ProtoMapper.instant("due_at", r.hasDueAt(), r.getDueAt()),
        ProtoMapper.instant("cutoff_at", r.hasCutoffAt(), r.getCutoffAt()),
        r.getMaxPoints());
  }
}
