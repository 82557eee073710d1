package org.lms.interfaces.grpc;

import static io.grpc.Status.Code.NOT_FOUND;
import static io.grpc.Status.Code.PERMISSION_DENIED;
import static io.grpc.Status.Code.RESOURCE_EXHAUSTED;
import static io.grpc.Status.Code.UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.interfaces.grpc.GrpcAssertions.failsWith;
import static org.lms.interfaces.grpc.GrpcAssertions.invalid;
import static org.lms.interfaces.grpc.GrpcAssertions.reason;
import static org.lms.interfaces.grpc.Uploads.chunks;
import static org.lms.interfaces.grpc.Uploads.randomBytes;
import static org.lms.interfaces.grpc.Uploads.sha256;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lms.interfaces.grpc.v1.Course;
import org.lms.interfaces.grpc.v1.DownloadMaterialRequest;
import org.lms.interfaces.grpc.v1.DownloadMaterialResponse;
import org.lms.interfaces.grpc.v1.ListMaterialsRequest;
import org.lms.interfaces.grpc.v1.Material;
import org.lms.interfaces.grpc.v1.MaterialHeader;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc.MaterialServiceBlockingStub;
import org.lms.interfaces.grpc.v1.MaterialServiceGrpc.MaterialServiceStub;
import org.lms.interfaces.grpc.v1.RemoveMaterialRequest;
import org.lms.interfaces.grpc.v1.Role;
import org.lms.interfaces.grpc.v1.UploadMaterialRequest;
import org.lms.interfaces.grpc.v1.UploadMaterialResponse;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.GrpcFixture;
import org.lms.testing.GrpcFixture.Account;

/** lms.v1.MaterialService against a real three-peer cluster with replicated blob stores. */
@Timeout(120)
@ExtendWith(GrpcFixture.Shared.class)
class MaterialServiceIT {
  private static GrpcFixture api;
  private static Account instructor;
  private static Account student;
  private static Course course;

  @BeforeAll
  static void connect(GrpcFixture fixture) {
    api = fixture;
    instructor = api.newAccount(Role.ROLE_INSTRUCTOR);
    student = api.newAccount(Role.ROLE_STUDENT);
    course = CourseServiceIT.newCourse(api, instructor);
    CourseServiceIT.enrol(api, course, student);
  }

  @Test
  void anUploadIsListedAndDownloadsByteIdentical() {
    byte[] bytes = randomBytes(200_000, 1);

    var uploaded =
        upload(instructor, header("Week 1").setSha256(sha256(bytes)).build(), chunks(bytes, 65536));

    Material material = uploaded.getMaterial();
    assertThat(material.getSha256()).isEqualTo(sha256(bytes));
    assertThat(material.getSizeBytes()).isEqualTo(bytes.length);
    assertThat(material.getTitle()).isEqualTo("Week 1");
    assertThat(material.getUploadedBy()).isEqualTo(instructor.id());
    assertThat(api.spoolFiles()).isEmpty();
    var listed =
        blocking(student)
            .listMaterials(
                ListMaterialsRequest.newBuilder()
                    .setCourseId(course.getId())
                    .setReadOptions(CourseServiceIT.atLeast(uploaded.getLogIndex()))
                    .build());
    assertThat(listed.getMaterialsList()).extracting(Material::getId).contains(material.getId());

    var download = download(student, material.getId());
    assertThat(download.material()).isEqualTo(material);
    assertThat(download.bytes()).isEqualTo(bytes);
    assertThat(download.chunks()).isGreaterThan(1);
  }

  @Test
  void anUploadWithoutAClientHashIsAccepted() {
    byte[] bytes = randomBytes(1000, 2);

    var uploaded = upload(instructor, header("No hash").build(), chunks(bytes, 300));

    assertThat(uploaded.getMaterial().getSha256()).isEqualTo(sha256(bytes));
  }

  @Test
  void aWrongClientHashIsInvalidAndStoresNothing() {
    byte[] bytes = randomBytes(5000, 3);
    String wrong = sha256(randomBytes(10, 4));

    invalid(
        "sha256",
        () -> upload(instructor, header("Bad").setSha256(wrong).build(), chunks(bytes, 1024)));

    assertThat(api.spoolFiles()).isEmpty();
    assertThat(api.anyPeerHolds(sha256(bytes))).isFalse();
    invalid(
        "sha256",
        () -> upload(instructor, header("Bad").setSha256("not-hex").build(), chunks(bytes, 1024)));
  }

  @Test
  void anOversizeUploadIsRefusedAndStoresNothing() {
    byte[] bytes = randomBytes((int) api.maxUploadBytes() + 1, 5);

    var e =
        failsWith(
            RESOURCE_EXHAUSTED,
            () -> upload(instructor, header("Huge").build(), chunks(bytes, 65536)));

    assertThat(reason(e)).isEqualTo("FILE_TOO_LARGE");
    assertThat(api.spoolFiles()).isEmpty();
    assertThat(api.anyPeerHolds(sha256(bytes))).isFalse();
  }

  @Test
  void aCancelledUploadLeavesNoTemporaryFileAndNoBlob() throws Exception {
    byte[] bytes = randomBytes(100_000, 6);
    var ended = new CompletableFuture<Throwable>();
    var requests = new CompletableFuture<ClientCallStreamObserver<UploadMaterialRequest>>();
    async(instructor)
        .uploadMaterial(
            new ClientResponseObserver<UploadMaterialRequest, UploadMaterialResponse>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<UploadMaterialRequest> stream) {
                requests.complete(stream);
              }

              @Override
              public void onNext(UploadMaterialResponse value) {
                ended.complete(null);
              }

              @Override
              public void onError(Throwable t) {
                ended.complete(t);
              }

              @Override
              public void onCompleted() {
                ended.complete(null);
              }
            });
    var stream = requests.get(10, TimeUnit.SECONDS);
    stream.onNext(UploadMaterialRequest.newBuilder().setHeader(header("Cancelled")).build());
    stream.onNext(
        UploadMaterialRequest.newBuilder().setChunk(ByteString.copyFrom(bytes, 0, 50_000)).build());
    ClusterProcesses.await(
        Duration.ofSeconds(10), "a spool file", () -> !api.spoolFiles().isEmpty());

    stream.cancel("the user closed the page", null);

    assertThat(ended.get(10, TimeUnit.SECONDS)).isNotNull();
    ClusterProcesses.await(
        Duration.ofSeconds(10), "no spool file", () -> api.spoolFiles().isEmpty());
    assertThat(api.anyPeerHolds(sha256(bytes))).isFalse();
  }

  @Test
  void malformedUploadStreamsAreInvalid() {
    byte[] bytes = randomBytes(100, 7);

    invalid(
        "header",
        () ->
            Uploads.send(
                async(instructor)::uploadMaterial,
                List.of(
                    UploadMaterialRequest.newBuilder()
                        .setChunk(ByteString.copyFrom(bytes))
                        .build())));
    invalid("header", () -> Uploads.send(async(instructor)::uploadMaterial, List.of()));
    invalid("chunk", () -> upload(instructor, header("Empty").build(), List.of()));
    invalid(
        "header",
        () ->
            Uploads.send(
                async(instructor)::uploadMaterial,
                List.of(
                    UploadMaterialRequest.newBuilder().setHeader(header("One")).build(),
                    UploadMaterialRequest.newBuilder().setHeader(header("Two")).build())));
    invalid(
        "part",
        () ->
            Uploads.send(
                async(instructor)::uploadMaterial,
                List.of(UploadMaterialRequest.getDefaultInstance())));
    invalid("title", () -> upload(instructor, header("").build(), chunks(bytes, 10)));
    invalid(
        "media_type",
        () -> upload(instructor, header("t").setMediaType("pdf").build(), chunks(bytes, 10)));
    invalid(
        "course_id",
        () -> upload(instructor, header("t").setCourseId("").build(), chunks(bytes, 10)));
    assertThat(api.spoolFiles()).isEmpty();
  }

  @Test
  void uploadsAreForInstructorsOfTheCourse() {
    byte[] bytes = randomBytes(100, 8);
    var other = api.newAccount(Role.ROLE_INSTRUCTOR);

    failsWith(
        UNAUTHENTICATED,
        () ->
            Uploads.send(
                MaterialServiceGrpc.newStub(api.channel())::uploadMaterial,
                List.of(UploadMaterialRequest.newBuilder().setHeader(header("t")).build())));
    failsWith(PERMISSION_DENIED, () -> upload(student, header("t").build(), chunks(bytes, 10)));
    failsWith(PERMISSION_DENIED, () -> upload(other, header("t").build(), chunks(bytes, 10)));
    failsWith(
        NOT_FOUND,
        () ->
            upload(
                instructor, header("t").setCourseId("no-such-course").build(), chunks(bytes, 10)));
    assertThat(api.anyPeerHolds(sha256(bytes))).isFalse();
  }

  @Test
  void listAndDownloadAreForMembers() {
    var outsider = api.newAccount(Role.ROLE_STUDENT);
    byte[] bytes = randomBytes(100, 9);
    String id =
        upload(instructor, header("Members only").build(), chunks(bytes, 50)).getMaterial().getId();
    var list = ListMaterialsRequest.newBuilder().setCourseId(course.getId()).build();

    failsWith(
        UNAUTHENTICATED,
        () -> MaterialServiceGrpc.newBlockingStub(api.channel()).listMaterials(list));
    failsWith(PERMISSION_DENIED, () -> blocking(outsider).listMaterials(list));
    failsWith(
        NOT_FOUND,
        () -> blocking(student).listMaterials(list.toBuilder().setCourseId("nope").build()));
    invalid(
        "course_id",
        () -> blocking(student).listMaterials(ListMaterialsRequest.getDefaultInstance()));
    failsWith(UNAUTHENTICATED, () -> download(null, id));
    failsWith(PERMISSION_DENIED, () -> download(outsider, id));
    failsWith(NOT_FOUND, () -> download(student, "no-such-material"));
    invalid("material_id", () -> download(student, ""));
  }

  @Test
  void listMaterialsPages() {
    var teacher = api.newAccount(Role.ROLE_INSTRUCTOR);
    var small = CourseServiceIT.newCourse(api, teacher);
    var ids = new ArrayList<String>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          upload(
                  teacher,
                  header("Part " + i).setCourseId(small.getId()).build(),
                  chunks(randomBytes(10, 20 + i), 10))
              .getMaterial()
              .getId());
    }

    var seen = new ArrayList<String>();
    String token = "";
    do {
      var page =
          blocking(teacher)
              .listMaterials(
                  ListMaterialsRequest.newBuilder()
                      .setCourseId(small.getId())
                      .setPageSize(2)
                      .setPageToken(token)
                      .build());
      page.getMaterialsList().forEach(m -> seen.add(m.getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());

    assertThat(seen).containsExactlyElementsOf(ids);
  }

  @Test
  void removeMaterialUnpublishes() {
    String id =
        upload(instructor, header("Old").build(), chunks(randomBytes(10, 30), 10))
            .getMaterial()
            .getId();
    var remove = RemoveMaterialRequest.newBuilder().setMaterialId(id).build();

    failsWith(
        UNAUTHENTICATED,
        () -> MaterialServiceGrpc.newBlockingStub(api.channel()).removeMaterial(remove));
    failsWith(PERMISSION_DENIED, () -> blocking(student).removeMaterial(remove));
    long removed = blocking(instructor).removeMaterial(remove).getLogIndex();
    failsWith(NOT_FOUND, () -> blocking(instructor).removeMaterial(remove));
    invalid(
        "material_id",
        () -> blocking(instructor).removeMaterial(RemoveMaterialRequest.getDefaultInstance()));

    var listed =
        blocking(student)
            .listMaterials(
                ListMaterialsRequest.newBuilder()
                    .setCourseId(course.getId())
                    .setReadOptions(CourseServiceIT.atLeast(removed))
                    .build());
    assertThat(listed.getMaterialsList()).extracting(Material::getId).doesNotContain(id);
  }

  private static MaterialHeader.Builder header(String title) {
    return MaterialHeader.newBuilder()
        .setCourseId(course.getId())
        .setTitle(title)
        .setFileName("notes.pdf")
        .setMediaType("application/pdf");
  }

  private static UploadMaterialResponse upload(
      Account who, MaterialHeader header, List<ByteString> chunks) {
    var messages = new ArrayList<UploadMaterialRequest>();
    messages.add(UploadMaterialRequest.newBuilder().setHeader(header).build());
    chunks.forEach(c -> messages.add(UploadMaterialRequest.newBuilder().setChunk(c).build()));
    return Uploads.send(async(who)::uploadMaterial, messages);
  }

  record Download(Material material, byte[] bytes, int chunks) {}

  private static Download download(Account who, String materialId) {
    var stub = who == null ? MaterialServiceGrpc.newBlockingStub(api.channel()) : blocking(who);
    var stream =
        stub.downloadMaterial(
            DownloadMaterialRequest.newBuilder().setMaterialId(materialId).build());
    Material material = null;
    var bytes = new ByteArrayOutputStream();
    int chunks = 0;
    while (stream.hasNext()) {
      DownloadMaterialResponse next = stream.next();
      if (next.hasMaterial()) {
        assertThat(material).as("one description, first").isNull();
        assertThat(chunks).isZero();
        material = next.getMaterial();
      } else {
        bytes.writeBytes(next.getChunk().toByteArray());
        chunks++;
      }
    }
    return new Download(material, bytes.toByteArray(), chunks);
  }

  private static MaterialServiceBlockingStub blocking(Account who) {
    return who.stub(MaterialServiceGrpc.newBlockingStub(api.channel()));
  }

  private static MaterialServiceStub async(Account who) {
    return who.stub(MaterialServiceGrpc.newStub(api.channel()));
  }
}
