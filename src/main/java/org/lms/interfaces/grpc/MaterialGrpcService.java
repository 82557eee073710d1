package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.BearerTokenInterceptor.actor;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.nio.file.Path;
import org.lms.application.Actor;
import org.lms.application.course.CourseService;
import org.lms.application.port.CommandGateway;
import org.lms.interfaces.grpc.v1.DownloadMaterialRequest;
import org.lms.interfaces.grpc.v1.DownloadMaterialResponse;
import org.lms.interfaces.grpc.v1.ListMaterialsRequest;
import org.lms.interfaces.grpc.v1.ListMaterialsResponse;
import org.lms.interfaces.grpc.v1.MaterialHeader;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc;
import org.lms.interfaces.grpc.v1.RemoveMaterialRequest;
import org.lms.interfaces.grpc.v1.RemoveMaterialResponse;
import org.lms.interfaces.grpc.v1.UploadMaterialRequest;
import org.lms.interfaces.grpc.v1.UploadMaterialResponse;

/** lms.v1.MaterialService over {@link CourseService}'s material use cases. */
final class MaterialGrpcService extends MaterialServiceGrpc.MaterialServiceImplBase {
  private final CourseService courses;
  private final CommandGateway gateway;
  private final ReadBarrier reads;
  private final Path spoolDir;
  private final long maxUploadBytes;

  MaterialGrpcService(
      CourseService courses,
      CommandGateway gateway,
      ReadBarrier reads,
      Path spoolDir,
      long maxUploadBytes) {
    this.courses = courses;
    this.gateway = gateway;
    this.reads = reads;
    this.spoolDir = spoolDir;
    this.maxUploadBytes = maxUploadBytes;
  }

  @Override
  public StreamObserver<UploadMaterialRequest> uploadMaterial(
      StreamObserver<UploadMaterialResponse> responses) {
    Actor actor = actor();
    return new ChunkedUpload<UploadMaterialRequest, MaterialHeader, UploadMaterialResponse>(
        responses, spoolDir, maxUploadBytes, false) {
      @Override
      MaterialHeader header(UploadMaterialRequest message) {
        return message.hasHeader() ? message.getHeader() : null;
      }

      @Override
      ByteString chunk(UploadMaterialRequest message) {
        return message.getPartCase() == UploadMaterialRequest.PartCase.CHUNK
            ? message.getChunk()
            : null;
      }

      @Override
      String declaredSha256(MaterialHeader header) {
        return header.getSha256();
      }

      @Override
      void accept(MaterialHeader h) {
        courses.checkMaterial(
            actor,
            ProtoMapper.id("course_id", h.getCourseId()),
            h.getTitle(),
            h.getFileName(),
            h.getMediaType());
      }

      @Override
      UploadMaterialResponse finish(MaterialHeader h, InputStream bytes) throws Exception {
        var material =
            courses.addMaterial(
                actor, h.getCourseId(), h.getTitle(), h.getFileName(), h.getMediaType(), bytes);
        return UploadMaterialResponse.newBuilder()
            .setMaterial(ProtoMapper.material(material))
            .setLogIndex(gateway.appliedIndex())
            .build();
      }
    };
  }

  @Override
  public void listMaterials(
      ListMaterialsRequest request, StreamObserver<ListMaterialsResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          String courseId = ProtoMapper.id("course_id", request.getCourseId());
          reads.await(request.getReadOptions());
          var page =
              Pages.of(
                  courses.materials(actor(), courseId),
                  request.getPageSize(),
                  request.getPageToken(),
                  "ListMaterials",
                  courseId);
          return ListMaterialsResponse.newBuilder()
              .addAllMaterials(page.items().stream().map(ProtoMapper::material).toList())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void downloadMaterial(
      DownloadMaterialRequest request, StreamObserver<DownloadMaterialResponse> responses) {
    InputStream bytes;
    DownloadMaterialResponse first;
    try {
      String materialId = ProtoMapper.id("material_id", request.getMaterialId());
      reads.await(request.getReadOptions());
      var download = courses.openMaterial(actor(), materialId);
      first =
          DownloadMaterialResponse.newBuilder()
              .setMaterial(ProtoMapper.material(download.record()))
              .build();
      bytes = download.content();
    } catch (Exception e) {
      responses.onError(ErrorMapper.toStatusException(e));
      return;
    }
    ChunkedDownload.send(
        responses, first, bytes, c -> DownloadMaterialResponse.newBuilder().setChunk(c).build());
  }

  @Override
  public void removeMaterial(
      RemoveMaterialRequest request, StreamObserver<RemoveMaterialResponse> responses) {
    Calls.unary(
        responses,
        () -> {
          courses.removeMaterial(actor(), ProtoMapper.id("material_id", request.getMaterialId()));
          return RemoveMaterialResponse.newBuilder().setLogIndex(gateway.appliedIndex()).build();
        });
  }
}
