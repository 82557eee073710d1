package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.nio.file.Path;
import org.lms.application.Actor;
import org.lms.application.assignment.AssignmentService;
import org.lms.application.port.CommandGateway;
import org.lms.interfaces.grpc.v1.DownloadSubmissionRequest;
import org.lms.interfaces.grpc.v1.DownloadSubmissionResponse;
import org.lms.interfaces.grpc.v1.GetSubmissionRequest;
import org.lms.interfaces.grpc.v1.ListSubmissionVersionsRequest;
import org.lms.interfaces.grpc.v1.ListSubmissionVersionsResponse;
import org.lms.interfaces.grpc.v1.ListSubmissionsRequest;
import org.lms.interfaces.grpc.v1.ListSubmissionsResponse;
import org.lms.interfaces.grpc.v1.SubmissionHeader;
import org.lms.interfaces.grpc.v1.SubmissionServiceGrpc;
import org.lms.interfaces.grpc.v1.SubmitAssignmentRequest;
import org.lms.interfaces.grpc.v1.SubmitAssignmentResponse;

/** lms.v1.SubmissionService over {@link AssignmentService}'s hand-in use cases. */
final class SubmissionGrpcService extends SubmissionServiceGrpc.SubmissionServiceImplBase {
  private final AssignmentService assignments;
  private final CommandGateway gateway;
  private final ReadBarrier reads;
  private final Path spoolDir;
  private final long maxUploadBytes;

  SubmissionGrpcService(
      AssignmentService assignments,
      CommandGateway gateway,
      ReadBarrier reads,
      Path spoolDir,
      long maxUploadBytes) {
    this.assignments = assignments;
    this.gateway = gateway;
    this.reads = reads;
    this.spoolDir = spoolDir;
    this.maxUploadBytes = maxUploadBytes;
  }

  @Override
  public StreamObserver<SubmitAssignmentRequest> submitAssignment(
      StreamObserver<SubmitAssignmentResponse> responses) {
    Actor actor = actor();
    return new ChunkedUpload<SubmitAssignmentRequest, SubmissionHeader, SubmitAssignmentResponse>(
        responses, spoolDir, maxUploadBytes, true) {
      @Override
      SubmissionHeader header(SubmitAssignmentRequest message) {
        return message.hasHeader() ? message.getHeader() : null;
      }

      @Override
      ByteString chunk(SubmitAssignmentRequest message) {
        return message.getPartCase() == SubmitAssignmentRequest.PartCase.CHUNK
            ? message.getChunk()
            : null;
      }

      @Override
      String declaredSha256(SubmissionHeader header) {
        return header.getSha256();
      }

      @Override
      void accept(SubmissionHeader h) {
        assignments.checkSubmission(
            actor,
            ProtoMapper.id("assignment_id", h.getAssignmentId()),
            h.getFileName(),
            h.getMediaType());
      }

      @Override
      SubmitAssignmentResponse finish(SubmissionHeader h, InputStream bytes) throws Exception {
        var submission =
            assignments.submit(
                actor, h.getAssignmentId(), h.getFileName(), h.getMediaType(), bytes);
        return SubmitAssignmentResponse.newBuilder()
            .setSubmission(ProtoMapper.submission(submission))
            .setLogIndex(gateway.appliedIndex())
            .build();
      }
    };
  }

  @Override
  public void listSubmissions(
      ListSubmissionsRequest request, StreamObserver<ListSubmissionsResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          String assignmentId = ProtoMapper.id("assignment_id", request.getAssignmentId());
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  assignments.submissions(actor(), assignmentId),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListSubmissions",
                  assignmentId);
          return ListSubmissionsResponse.newBuilder()
              .addAllSubmissions(page.items().stream().map(ProtoMapper::submission).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void listSubmissionVersions(
      ListSubmissionVersionsRequest request,
      StreamObserver<ListSubmissionVersionsResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          String assignmentId = ProtoMapper.id("assignment_id", request.getAssignmentId());
          String studentId = ProtoMapper.optionalId("student_id", request.getStudentId());
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  assignments.versions(actor(), assignmentId, studentId),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListSubmissionVersions",
                  assignmentId,
                  studentId);
          return ListSubmissionVersionsResponse.newBuilder()
              .addAllSubmissions(page.items().stream().map(ProtoMapper::submission).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void getSubmission(
      GetSubmissionRequest request,
      StreamObserver<org.lms.interfaces.grpc.v1.Submission> responses) {
    Calls.unary(
        responses,
        () -> {
          String submissionId = ProtoMapper.id("submission_id", request.getSubmissionId());
          reads.await(request.getReadOptions());
          return ProtoMapper.submission(assignments.submission(actor(), submissionId));
        });
  }

  @Override
  public void downloadSubmission(
      DownloadSubmissionRequest request, StreamObserver<DownloadSubmissionResponse> responses) {
    InputStream bytes;
    DownloadSubmissionResponse first;
    try {
      String submissionId = ProtoMapper.id("submission_id", request.getSubmissionId());
      reads.await(request.getReadOptions());
      var download = assignments.openSubmission(actor(), submissionId);
      first =
          DownloadSubmissionResponse.newBuilder()
              .setSubmission(ProtoMapper.submission(download.record()))
              .build();
      bytes = download.content();
    } catch (Exception e) {
      responses.onError(ErrorMapper.toStatusException(e));
      return;
    }
    ChunkedDownload.send(
        responses, first, bytes, c -> DownloadSubmissionResponse.newBuilder().setChunk(c).build());
  }
}
