package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

import io.grpc.stub.StreamObserver;
import org.lms.application.assistant.AiAssistant;
import org.lms.application.grading.GradingService;
import org.lms.application.port.CommandGateway;
import org.lms.domain.state.RejectedException;
import org.lms.domain.state.RejectionReason;
import org.lms.interfaces.grpc.v1.DraftFeedbackRequest;
import org.lms.interfaces.grpc.v1.DraftFeedbackResponse;
import org.lms.interfaces.grpc.v1.GetGradeRequest;
import org.lms.interfaces.grpc.v1.Grade;
import org.lms.interfaces.grpc.v1.GradeSubmissionRequest;
import org.lms.interfaces.grpc.v1.GradeSubmissionResponse;
import org.lms.interfaces.grpc.v1.GradingServiceGrpc;
import org.lms.interfaces.grpc.v1.ListFeedbackDraftsRequest;
import org.lms.interfaces.grpc.v1.ListFeedbackDraftsResponse;
import org.lms.interfaces.grpc.v1.ListGradeHistoryRequest;
import org.lms.interfaces.grpc.v1.ListGradeHistoryResponse;
import org.lms.interfaces.grpc.v1.ListGradebookRequest;
import org.lms.interfaces.grpc.v1.ListGradebookResponse;
import org.lms.interfaces.grpc.v1.ListMyGradesRequest;
import org.lms.interfaces.grpc.v1.ListMyGradesResponse;
import org.lms.interfaces.grpc.v1.ReleaseAssignmentGradesRequest;
import org.lms.interfaces.grpc.v1.ReleaseAssignmentGradesResponse;
import org.lms.interfaces.grpc.v1.ReleaseGradeRequest;
import org.lms.interfaces.grpc.v1.ReleaseGradeResponse;

/** lms.v1.GradingService over {@link GradingService} and the {@link AiAssistant}'s drafts. */
final class GradingGrpcService extends GradingServiceGrpc.GradingServiceImplBase {
  private final GradingService grading;
  private final AiAssistant assistant;
  private final CommandGateway gateway;
  private final ReadBarrier reads;

  GradingGrpcService(
      GradingService grading, AiAssistant assistant, CommandGateway gateway, ReadBarrier reads) {
    this.grading = grading;
    this.assistant = assistant;
    this.gateway = gateway;
    this.reads = reads;
  }

  @Override
  public void draftFeedback(
      DraftFeedbackRequest request, StreamObserver<DraftFeedbackResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          var draft =
              assistant.draftFeedback(
                  actor(), ProtoMapper.id("submission_id", request.getSubmissionId()), piece -> {});
          return DraftFeedbackResponse.newBuilder()
              .setDraft(ProtoMapper.feedbackDraft(draft))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void listFeedbackDrafts(
      ListFeedbackDraftsRequest request, StreamObserver<ListFeedbackDraftsResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          String submissionId = ProtoMapper.id("submission_id", request.getSubmissionId());
          reads.await(request.getReadOptions());
          return ListFeedbackDraftsResponse.newBuilder()
              .addAllDrafts(
                  assistant.drafts(actor(), submissionId).stream()
                      .map(ProtoMapper::feedbackDraft)
                      .toList())
              .build();
        });
  }

  @Override
  public void gradeSubmission(
      GradeSubmissionRequest request, StreamObserver<GradeSubmissionResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          var grade =
              grading.grade(
                  actor(),
                  ProtoMapper.id("submission_id", request.getSubmissionId()),
                  request.getPoints(),
                  request.getFeedback(),
                  request.getExpectedVersion(),
                  request.getDraftId().isEmpty()
                      ? null
                      : ProtoMapper.id("draft_id", request.getDraftId()));
          return GradeSubmissionResponse.newBuilder()
              .setGrade(ProtoMapper.grade(grade))
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void releaseGrade(
      ReleaseGradeRequest request, StreamObserver<ReleaseGradeResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          grading.release(actor(), ProtoMapper.id("submission_id", request.getSubmissionId()));
          return ReleaseGradeResponse.newBuilder().setLogIndex(gateway.appliedIndex()).build();
        });
  }

  @Override
  public void releaseAssignmentGrades(
      ReleaseAssignmentGradesRequest request,
      StreamObserver<ReleaseAssignmentGradesResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          grading.releaseAll(actor(), ProtoMapper.id("assignment_id", request.getAssignmentId()));
          return ReleaseAssignmentGradesResponse.newBuilder()
              .setLogIndex(gateway.appliedIndex())
              .build();
        });
  }

  @Override
  public void getGrade(GetGradeRequest request, StreamObserver<Grade> responses) {
    Calls.unary(
        responses,
        () -> {
          String submissionId = ProtoMapper.id("submission_id", request.getSubmissionId());
          reads.await(request.getReadOptions());
          return grading
              .gradeOf(actor(), submissionId)
              .map(ProtoMapper::grade)
              .orElseThrow(
                  () ->
                      new RejectedException(
                          RejectionReason.UNKNOWN_GRADE,
                          "submissionId",
                          "submission " + submissionId + " has no grade you can see yet"));
        });
  }

  @Override
  public void listGradebook(
      ListGradebookRequest request, StreamObserver<ListGradebookResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          String courseId = ProtoMapper.id("course_id", request.getCourseId());
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  grading.gradebook(actor(), courseId),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListGradebook",
                  courseId);
          return ListGradebookResponse.newBuilder()
              .addAllGrades(page.items().stream().map(ProtoMapper::grade).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void listMyGrades(
      ListMyGradesRequest request, StreamObserver<ListMyGradesResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  grading.myGrades(actor()),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListMyGrades");
          return ListMyGradesResponse.newBuilder()
              .addAllGrades(page.items().stream().map(ProtoMapper::grade).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void listGradeHistory(
      ListGradeHistoryRequest request, StreamObserver<ListGradeHistoryResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          String submissionId = ProtoMapper.id("submission_id", request.getSubmissionId());
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  grading.history(actor(), submissionId),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListGradeHistory",
                  submissionId);
          return ListGradeHistoryResponse.newBuilder()
              .addAllEvents(page.items().stream().map(ProtoMapper::gradeEvent).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }
}
