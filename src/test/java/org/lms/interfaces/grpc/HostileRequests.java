package org.lms.interfaces.grpc;

import static org.lms.interfaces.grpc.HostileValues.anyDouble;
import static org.lms.interfaces.grpc.HostileValues.anyInt;
import static org.lms.interfaces.grpc.HostileValues.anyLong;
import static org.lms.interfaces.grpc.HostileValues.anyPassword;
import static org.lms.interfaces.grpc.HostileValues.anyText;
import static org.lms.interfaces.grpc.HostileValues.anyTimestamp;
import static org.lms.interfaces.grpc.HostileValues.badCode;
import static org.lms.interfaces.grpc.HostileValues.badId;
import static org.lms.interfaces.grpc.HostileValues.badLine;
import static org.lms.interfaces.grpc.HostileValues.badOptionalText;
import static org.lms.interfaces.grpc.HostileValues.badPassword;
import static org.lms.interfaces.grpc.HostileValues.badPoints;
import static org.lms.interfaces.grpc.HostileValues.badText;
import static org.lms.interfaces.grpc.HostileValues.badTimestamp;
import static org.lms.interfaces.grpc.HostileValues.badUsername;
import static org.lms.interfaces.grpc.HostileValues.hex;
import static org.lms.interfaces.grpc.HostileValues.malformedId;
import static org.lms.interfaces.grpc.HostileValues.malformedSha256;
import static org.lms.interfaces.grpc.HostileValues.pick;
import static org.lms.interfaces.grpc.HostileValues.unknownId;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.Timestamp;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.lms.interfaces.grpc.FuzzCase.Ending;
import org.lms.interfaces.grpc.v1.MaterialHeader;
import org.lms.interfaces.grpc.v1.SubmissionHeader;
import org.lms.interfaces.grpc.v1.SubmitAssignmentRequest;
import org.lms.interfaces.grpc.v1.UploadMaterialRequest;

/**
 * Generates the requests of the fuzz test for every rpc the nodes serve, found through the service
 * descriptors (so a new rpc is attacked without being listed here, and a new write must be given
 * its poisons before the test runs). Case {@code n} goes to rpc {@code n mod (number of rpcs)} and
 * is built from its own seed alone, so a run is reproducible from the master seed whatever the
 * order the cases run in.
 *
 * <p>Reads may succeed. Every write is made certain to be refused: it carries at least one
 * "poison", a value the LMS must refuse wherever it is checked (a malformed or unknown id, a text
 * beyond its limit or with a control character, an impossible timestamp, a stale grade version, a
 * wrong SHA-256, a truncated stream, a missing or ended session ...), on top of whatever else the
 * generator put in. So the state of the cluster must come out of the run unchanged.
 */
final class HostileRequests {

  /** The credential a request carries. */
  enum TokenKind {
    ADMIN,
    INSTRUCTOR,
    STUDENT,
    NONE,
    GARBAGE,
    ENDED,
    DISABLED,
    WRONG_SCHEME,
    EMPTY_BEARER,
    OVERLONG,
    HUGE_HEADER;

    boolean valid() {
      return this == ADMIN || this == INSTRUCTOR || this == STUDENT;
    }
  }

  private static final List<TokenKind> BAD_TOKENS =
      List.of(
          TokenKind.NONE,
          TokenKind.GARBAGE,
          TokenKind.ENDED,
          TokenKind.DISABLED,
          TokenKind.WRONG_SCHEME,
          TokenKind.EMPTY_BEARER,
          TokenKind.OVERLONG);

  /**
   * What the fuzzer aims at: real records of the cluster (so requests get past the existence
   * checks), and the session tokens of each kind.
   */
  record Targets(
      String adminId,
      String instructorId,
      String studentId,
      String disabledStudentId,
      String courseId,
      String courseCode,
      String assignmentId,
      int maxPoints,
      String submissionId,
      long gradeVersion,
      String materialId,
      String questionId,
      long appliedIndex,
      Map<TokenKind, String> tokens) {}

  /** Rpcs whose every call hashes a password when it gets far enough: fewer valid tokens. */
  private static final Set<String> HASHING =
      Set.of(
          "lms.v1.AuthService/ChangePassword",
          "lms.v1.UserService/CreateUser",
          "lms.v1.UserService/CreateUsers",
          "lms.v1.UserService/ResetPassword");

  private static final Set<String> READ_PREFIXES =
      Set.of("List", "Get", "Download", "WhoAmI", "Check", "Watch", "ServerReflectionInfo");

  private static final int MAX_MESSAGE = LmsGrpcServices.MAX_INBOUND_MESSAGE_BYTES;
  private static final int MIB = 1024 * 1024;

  private final Targets targets;
  private final List<MethodDescriptor<?, ?>> methods;
  private final Map<String, List<BiFunction<DynamicMessage.Builder, Random, String>>> poisons;

  HostileRequests(Targets targets) {
    this.targets = targets;
    this.methods = ApiServices.methods(ApiServices.LMS_AND_STANDARD);
    this.poisons = poisons();
    for (MethodDescriptor<?, ?> m : methods) {
      String name = m.getFullMethodName();
      boolean stream = m.getType() == MethodType.CLIENT_STREAMING;
      if (!reads(m) && !stream && !name.endsWith("/Login") && !name.endsWith("/Logout")) {
        if (!poisons.containsKey(name)) {
          throw new IllegalStateException(
              name + " looks like a write the fuzzer has no poison for: give it some");
        }
      }
    }
  }

  int methodCount() {
    return methods.size();
  }

  /** Case {@code number}, built from {@code seed} alone. */
  FuzzCase generate(int number, long seed) {
    var r = new Random(seed);
    MethodDescriptor<?, ?> method = methods.get(number % methods.size());
    var c = new CaseBuilder(number, method, r);
    if (method.getType() == MethodType.CLIENT_STREAMING) {
      c.streamAttack();
    } else {
      c.attack();
    }
    return c.build();
  }

  // ---------------------------------------------------------------- one case

  private final class CaseBuilder {
    final int number;
    final MethodDescriptor<?, ?> method;
    final String name;
    final Random r;
    final boolean write;
    final int node;
    TokenKind token;
    final List<Supplier<byte[]>> messages = new ArrayList<>();
    Ending ending = Ending.HALF_CLOSE;
    long deadlineMillis = 5_000;
    String description = "";

    CaseBuilder(int number, MethodDescriptor<?, ?> method, Random r) {
      this.number = number;
      this.method = method;
      this.name = method.getFullMethodName();
      this.r = r;
      this.node = 1 + r.nextInt(3);
      this.write = !reads(method);
      this.token = token();
    }

    FuzzCase build() {
      return new FuzzCase(
          number,
          method,
          node,
          token.name(),
          authorization(token, r),
          List.copyOf(messages),
          ending,
          deadlineMillis,
          write,
          description.length() > 400 ? description.substring(0, 400) + "..." : description);
    }

    private TokenKind token() {
      if (name.endsWith("/Logout")) {
        return pick(r, BAD_TOKENS); // a valid one would end a session: a change of state
      }
      double bad = HASHING.contains(name) ? 0.55 : 0.3;
      double roll = r.nextDouble();
      if (roll < bad) {
        return pick(r, BAD_TOKENS);
      }
      return roll < 0.75 ? natural() : pick(r, List.of(TokenKind.values()).subList(0, 3));
    }

    private TokenKind natural() {
      String rpc = method.getBareMethodName();
      String service = method.getServiceName();
      if (service.equals("lms.v1.UserService")
          || Set.of("CreateCourse", "Enrol", "Unenrol", "SetInstructor").contains(rpc)) {
        return TokenKind.ADMIN;
      }
      if (Set.of("SubmitAssignment", "AskQuestion", "ListMyGrades", "ListSubmissionVersions")
          .contains(rpc)) {
        return TokenKind.STUDENT;
      }
      if (service.equals("lms.v1.MaterialService")
          || service.equals("lms.v1.AssignmentService")
          || service.equals("lms.v1.GradingService")
          || rpc.equals("AnswerQuestion")
          || service.equals("lms.v1.SubmissionService")) {
        return TokenKind.INSTRUCTOR;
      }
      return pick(r, List.of(TokenKind.ADMIN, TokenKind.INSTRUCTOR, TokenKind.STUDENT));
    }

    // ---- unary and server-streaming rpcs (and the bidi reflection stream)

    void attack() {
      int roll = r.nextInt(1000);
      if (number % 211 == 17 && method.getType() == MethodType.UNARY) {
        oversizeMessage();
      } else if (number % 229 == 31) {
        token = TokenKind.HUGE_HEADER;
        typed();
        description = "an authorization header of 6-7.6 KB; " + description;
      } else if (method.getBareMethodName().equals("Watch")) {
        typed(); // the health watch never ends by itself: the deadline ends it
        ending = Ending.WAIT;
        deadlineMillis = 300;
      } else if (roll < 100) {
        byte[] bytes = HostileValues.randomBytes(r, r.nextInt(10) == 0 ? 4096 : 64);
        messages.add(() -> bytes);
        description = "random bytes: " + hexPrefix(bytes);
      } else if (roll < 140) {
        messages.add(() -> new byte[0]);
        description = "an empty message";
      } else if (roll < 200) {
        truncated();
      } else if (roll < 230) {
        invalidUtf8();
      } else if (roll < 250) {
        byte[] bytes = {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1, 2, 3};
        messages.add(() -> bytes);
        description = "a length prefix of 4 GiB with 3 bytes behind it";
      } else if (roll < 270) {
        byte[] bytes = new byte[200 + r.nextInt(300)];
        Arrays.fill(bytes, (byte) 0x7B); // start-group tags of field 15, nested beyond any limit
        messages.add(() -> bytes);
        description = bytes.length + " nested start-group tags";
      } else if (roll < 300) {
        description = "no message at all, then the client closes its side";
      } else if (roll < 330) {
        typed();
        byte[] first = messages.get(0).get();
        messages.add(() -> first);
        description = "the same message twice on a call that takes one; " + description;
      } else if (roll < 350) {
        typed();
        ending = Ending.CANCEL;
        description = "cancelled right after sending; " + description;
      } else if (roll < 370) {
        typed();
        deadlineMillis = 1;
        description = "a deadline of 1 ms; " + description;
      } else {
        typed();
        if (method.getType() == MethodType.SERVER_STREAMING && r.nextInt(4) == 0) {
          ending = Ending.CANCEL_ON_FIRST_RESPONSE;
          description = "cancelled after the first response; " + description;
        }
      }
    }

    /** A generated message of the rpc's request type, poisoned if the rpc writes. */
    void typed() {
      DynamicMessage message = poisonedMessage();
      byte[] bytes = message.toByteArray();
      messages.add(() -> bytes);
    }

    DynamicMessage poisonedMessage() {
      Descriptor type = requestType(method);
      DynamicMessage.Builder b = fill(type, 0).toBuilder();
      String poison = "";
      var options = poisons.get(name);
      if (options != null) {
        poison = pick(r, options).apply(b, r);
      }
      DynamicMessage message = b.build();
      description = (poison.isEmpty() ? "" : "poison " + poison + "; ") + render(message);
      return message;
    }

    void truncated() {
      DynamicMessage message = poisonedMessage();
      byte[] whole = message.toByteArray();
      byte[] cut = Arrays.copyOf(whole, whole.length == 0 ? 0 : r.nextInt(whole.length));
      if (write && parses(cut)) {
        // a cut at a field boundary may drop the poison and leave a valid write: end it
        // inside a field instead, which no parser accepts
        cut = concat(cut, new byte[] {0x0A, 0x7F});
      }
      byte[] bytes = cut;
      messages.add(() -> bytes);
      description =
          "truncated to " + bytes.length + " of " + whole.length + " bytes: " + description;
    }

    void invalidUtf8() {
      Descriptor type = requestType(method);
      int field =
          type.getFields().stream()
              .filter(f -> f.getJavaType() == FieldDescriptor.JavaType.STRING)
              .mapToInt(FieldDescriptor::getNumber)
              .findFirst()
              .orElse(1);
      byte[] bad = {
        (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80
      };
      var out = new ByteArrayOutputStream();
      try {
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeByteArray(field, bad);
        coded.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      byte[] bytes = out.toByteArray();
      messages.add(() -> bytes);
      description = "invalid UTF-8 in string field " + field;
    }

    void oversizeMessage() {
      int size = MAX_MESSAGE + 1 + r.nextInt(MIB);
      messages.add(
          () -> {
            var out = new ByteArrayOutputStream(size + 8);
            try {
              CodedOutputStream coded = CodedOutputStream.newInstance(out);
              byte[] filler = new byte[size];
              Arrays.fill(filler, (byte) 'a');
              coded.writeByteArray(1, filler);
              coded.flush();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return out.toByteArray();
          });
      description = "a message of " + size + " bytes, above the 4 MiB limit";
    }

    // ---- client streams: UploadMaterial, SubmitAssignment

    void streamAttack() {
      boolean material = name.equals("lms.v1.MaterialService/UploadMaterial");
      if (!material && !name.equals("lms.v1.SubmissionService/SubmitAssignment")) {
        throw new IllegalStateException("the fuzzer does not know the client stream " + name);
      }
      if (r.nextInt(10) < 7 && token.valid()) {
        token = material ? TokenKind.INSTRUCTOR : TokenKind.STUDENT;
      }
      byte[] content = HostileValues.randomBytes(r, 64 * 1024);
      String rightSha = Uploads.sha256(content);
      int roll = r.nextInt(100);
      int occurrence = number / methods.size(); // how many times this rpc came before
      if (occurrence == 3 || occurrence == 7) {
        token = material ? TokenKind.INSTRUCTOR : TokenKind.STUDENT; // the limits are behind it
      }
      if (occurrence == 3) {
        // the file grows beyond the 25 MiB limit; the chunks are made only when sent
        plainHeader(material, rightSha);
        byte[] chunk = chunk(material, new byte[MIB]);
        for (int i = 0; i < 27; i++) {
          messages.add(() -> chunk);
        }
        description = "27 MiB of chunks, beyond the 25 MiB file limit";
      } else if (occurrence == 7) {
        plainHeader(material, rightSha);
        int size = MAX_MESSAGE + 1024;
        messages.add(() -> chunk(material, new byte[size]));
        description = "a chunk message of " + size + " bytes, above the 4 MiB message limit";
      } else if (roll < 12) {
        header(material, rightSha);
        description = "a header and no bytes; " + description;
      } else if (roll < 22) {
        chunks(material, content);
        description = "bytes without a header (" + content.length + " bytes)";
      } else if (roll < 36) {
        header(material, hex(r, 64));
        chunks(material, content);
        description = "a wrong sha256 for " + content.length + " bytes; " + description;
      } else if (roll < 44) {
        header(material, malformedSha256(r));
        chunks(material, content);
        description = "a malformed sha256; " + description;
      } else if (roll < 52) {
        header(material, rightSha);
        chunks(material, content);
        String first = description;
        header(material, rightSha);
        description = "a second header after the bytes; " + first;
      } else if (roll < 58) {
        header(material, rightSha);
        messages.add(
            () ->
                material
                    ? UploadMaterialRequest.getDefaultInstance().toByteArray()
                    : SubmitAssignmentRequest.getDefaultInstance().toByteArray());
        description = "a message with neither header nor chunk; " + description;
      } else if (roll < 70) {
        header(material, rightSha);
        chunks(material, content);
        ending = Ending.CANCEL;
        description = "cancelled mid-stream, after every byte, before closing; " + description;
      } else if (roll < 74) {
        description = "no message at all, then the client closes its side";
      } else if (roll < 88) {
        poisonedHeader(material, rightSha);
        chunks(material, content);
      } else if (roll < 94) {
        header(material, rightSha);
        chunks(material, content);
        token = material ? TokenKind.STUDENT : TokenKind.INSTRUCTOR;
        description = "the wrong role for this upload; " + description;
      } else {
        byte[] bytes = HostileValues.randomBytes(r, 256);
        messages.add(() -> bytes);
        chunks(material, content);
        description = "random bytes as the first message: " + hexPrefix(bytes);
      }
      if (!write) {
        throw new IllegalStateException("uploads write");
      }
    }

    private void header(boolean material, String sha256) {
      Message header;
      if (material) {
        header =
            send(
                MaterialHeader.newBuilder()
                    .setCourseId(r.nextInt(10) < 8 ? targets.courseId() : unknownId(r))
                    .setTitle(r.nextInt(10) < 7 ? "Notes " + r.nextInt(100) : anyText(r))
                    .setFileName(r.nextInt(10) < 7 ? "notes.bin" : HostileValues.fileName(r))
                    .setMediaType(
                        r.nextInt(10) < 7 ? "application/octet-stream" : HostileValues.mediaType(r))
                    .setSha256(sha256)
                    .build());
      } else {
        header =
            send(
                SubmissionHeader.newBuilder()
                    .setAssignmentId(r.nextInt(10) < 8 ? targets.assignmentId() : unknownId(r))
                    .setFileName(r.nextInt(10) < 7 ? "essay.pdf" : HostileValues.fileName(r))
                    .setMediaType(
                        r.nextInt(10) < 7 ? "application/pdf" : HostileValues.mediaType(r))
                    .setSha256(sha256)
                    .build());
      }
      description = "header " + render(header);
    }

    /** A header the node accepts, so that what follows it is what gets judged. */
    private void plainHeader(boolean material, String sha256) {
      if (material) {
        send(plainMaterialHeader(sha256).build());
      } else {
        send(plainSubmissionHeader(sha256).build());
      }
    }

    private void poisonedHeader(boolean material, String sha256) {
      Message header;
      if (material) {
        var h = plainMaterialHeader(sha256);
        switch (r.nextInt(4)) {
          case 0 -> h.setCourseId(badId(r));
          case 1 -> h.setTitle(badLine(r, 200));
          case 2 -> h.setFileName(badLine(r, 255));
          default -> h.setMediaType(pick(r, List.of("nonsense", "", "a/b/c", "/", "text/")));
        }
        header = send(h.build());
      } else {
        var h = plainSubmissionHeader(sha256);
        switch (r.nextInt(3)) {
          case 0 -> h.setAssignmentId(badId(r));
          case 1 -> h.setFileName(badLine(r, 255));
          default -> h.setMediaType(pick(r, List.of("nonsense", "", "a/b/c", "/", "text/")));
        }
        header = send(h.build());
      }
      description = "a poisoned header " + render(header);
    }

    private MaterialHeader.Builder plainMaterialHeader(String sha256) {
      return MaterialHeader.newBuilder()
          .setCourseId(targets.courseId())
          .setTitle("Notes")
          .setFileName("notes.bin")
          .setMediaType("application/octet-stream")
          .setSha256(sha256);
    }

    private SubmissionHeader.Builder plainSubmissionHeader(String sha256) {
      return SubmissionHeader.newBuilder()
          .setAssignmentId(targets.assignmentId())
          .setFileName("essay.pdf")
          .setMediaType("application/pdf")
          .setSha256(sha256);
    }

    /** Sends {@code header} as the stream's next message; returns it. */
    private Message send(MaterialHeader header) {
      messages.add(
          () -> UploadMaterialRequest.newBuilder().setHeader(header).build().toByteArray());
      return header;
    }

    private Message send(SubmissionHeader header) {
      messages.add(
          () -> SubmitAssignmentRequest.newBuilder().setHeader(header).build().toByteArray());
      return header;
    }

    private void chunks(boolean material, byte[] content) {
      int at = 0;
      while (at < content.length) {
        int n = Math.min(content.length - at, 1 + r.nextInt(32 * 1024));
        byte[] part = Arrays.copyOfRange(content, at, at + n);
        messages.add(() -> chunk(material, part));
        at += n;
      }
    }

    private byte[] chunk(boolean material, byte[] bytes) {
      ByteString chunk = ByteString.copyFrom(bytes);
      return material
          ? UploadMaterialRequest.newBuilder().setChunk(chunk).build().toByteArray()
          : SubmitAssignmentRequest.newBuilder().setChunk(chunk).build().toByteArray();
    }

    // ---- generic, type-driven filling

    private DynamicMessage fill(Descriptor type, int depth) {
      DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
      for (FieldDescriptor f : type.getFields()) {
        if (r.nextInt(10) < 3) {
          continue; // left unset
        }
        if (f.isRepeated()) {
          boolean many = r.nextInt(40) == 0;
          int count = many ? 200 + r.nextInt(400) : r.nextInt(4);
          for (int i = 0; i < count; i++) {
            b.addRepeatedField(f, many ? small(f) : value(f, depth));
          }
        } else {
          b.setField(f, value(f, depth));
        }
      }
      return b.build();
    }

    /** A small element for a long repeated field (many elements, little memory). */
    private Object small(FieldDescriptor f) {
      return switch (f.getJavaType()) {
        case STRING -> unknownId(r);
        case MESSAGE -> DynamicMessage.getDefaultInstance(f.getMessageType());
        default -> value(f, 3);
      };
    }

    private Object value(FieldDescriptor f, int depth) {
      String field = f.getName();
      return switch (f.getJavaType()) {
        case STRING -> string(field);
        case INT -> field.equals("page_size") ? pageSize() : anyInt(r);
        case LONG -> longValue(field);
        case DOUBLE -> anyDouble(r);
        case FLOAT -> (float) anyDouble(r);
        case BOOLEAN -> r.nextBoolean();
        case ENUM ->
            r.nextInt(4) == 0
                ? f.getEnumType()
                    .findValueByNumberCreatingIfUnknown(
                        pick(r, List.of(-1, 4, 99, Integer.MAX_VALUE, Integer.MIN_VALUE)))
                : pick(r, f.getEnumType().getValues());
        case BYTE_STRING -> ByteString.copyFrom(HostileValues.randomBytes(r, 1024));
        case MESSAGE -> {
          Descriptor type = f.getMessageType();
          if (type.getFullName().equals(Timestamp.getDescriptor().getFullName())) {
            yield r.nextBoolean() ? anyTimestamp(r) : plausibleTime();
          }
          yield depth < 3 ? fill(type, depth + 1) : DynamicMessage.getDefaultInstance(type);
        }
        default -> throw new IllegalStateException("no generator for " + f.getFullName());
      };
    }

    private String string(String field) {
      if (field.endsWith("_id") || field.endsWith("_ids")) {
        int roll = r.nextInt(100);
        if (roll < 45) {
          return realId(field);
        }
        return roll < 70 ? unknownId(r) : malformedId(r);
      }
      return switch (field) {
        case "sha256" -> pick(r, List.of(hex(r, 64), malformedSha256(r), ""));
        case "page_token" -> HostileValues.pageToken(r);
        case "password", "current_password" -> anyPassword(r);
        case "username" ->
            pick(r, List.of("mallory", "nobody-here", "mallory", ""))
                + (r.nextInt(8) == 0 ? badUsername(r) : "");
        case "code" -> pick(r, List.of(targets.courseCode(), badCode(r), "OK-" + r.nextInt(1000)));
        case "media_type" -> HostileValues.mediaType(r);
        case "file_name" -> HostileValues.fileName(r);
        case "service",
            "file_by_filename",
            "file_containing_symbol",
            "list_services",
            "all_extension_numbers_of_type",
            "containing_type",
            "host" ->
            pick(
                r,
                List.of(
                    "",
                    "lms.v1.AuthService",
                    "lms/v1/auth.proto",
                    "grpc.health.v1.Health",
                    anyText(r)));
        default -> anyText(r);
      };
    }

    private String realId(String field) {
      return switch (field) {
        case "course_id" -> targets.courseId();
        case "assignment_id" -> targets.assignmentId();
        case "submission_id" -> targets.submissionId();
        case "material_id" -> targets.materialId();
        case "question_id" -> targets.questionId();
        default ->
            pick(
                r,
                List.of(
                    targets.adminId(),
                    targets.instructorId(),
                    targets.studentId(),
                    targets.disabledStudentId()));
      };
    }

    private int pageSize() {
      return pick(r, List.of(0, 1, 2, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 500, 501));
    }

    private long longValue(String field) {
      if (field.equals("min_index")) {
        int roll = r.nextInt(100);
        if (roll < 40) {
          return 0;
        }
        if (roll < 60) {
          return pick(r, List.of(-1L, Long.MIN_VALUE, -r.nextInt(1000) - 1L));
        }
        if (roll < 96) {
          return 1 + r.nextInt((int) Math.max(1, targets.appliedIndex()));
        }
        return pick(r, List.of(Long.MAX_VALUE, targets.appliedIndex() + 1_000_000));
      }
      if (field.equals("expected_version")) {
        return r.nextBoolean() ? targets.gradeVersion() : anyLong(r);
      }
      return anyLong(r);
    }

    private Timestamp plausibleTime() {
      return ProtoMapper.timestamp(
          Instant.now().plus(Duration.ofHours(r.nextInt(24 * 30) - 24 * 7)));
    }

    private boolean parses(byte[] bytes) {
      try {
        DynamicMessage.parseFrom(requestType(method), bytes);
        return true;
      } catch (InvalidProtocolBufferException e) {
        return false;
      }
    }
  }

  // ---------------------------------------------------------------- poisons of the writes

  private Map<String, List<BiFunction<DynamicMessage.Builder, Random, String>>> poisons() {
    var p = new HashMap<String, List<BiFunction<DynamicMessage.Builder, Random, String>>>();
    // no valid credentials are ever generated: a sign-in cannot succeed, so it needs no poison
    p.put("lms.v1.AuthService/Login", List.of((b, r) -> ""));
    p.put(
        "lms.v1.AuthService/ChangePassword",
        List.of((b, r) -> set(b, "current_password", anyPassword(r))));

    List<BiFunction<DynamicMessage.Builder, Random, String>> newUser =
        List.of(
            (b, r) -> set(b, "username", badUsername(r)),
            (b, r) -> set(b, "username", "mallory"), // taken
            (b, r) -> set(b, "password", badPassword(r)),
            (b, r) -> set(b, "password", badPassword(r)),
            (b, r) -> setEnum(b, "role", pick(r, List.of(0, -1, 4, 99))),
            (b, r) -> set(b, "display_name", badLine(r, 200)));
    p.put("lms.v1.UserService/CreateUser", newUser);
    p.put(
        "lms.v1.UserService/CreateUsers",
        List.of(
            (b, r) -> {
              b.clearField(field(b, "users"));
              return "users=[]";
            },
            (b, r) -> {
              FieldDescriptor users = field(b, "users");
              b.clearField(users);
              for (int i = 0; i < 501; i++) {
                b.addRepeatedField(
                    users, DynamicMessage.getDefaultInstance(users.getMessageType()));
              }
              return "501 users";
            },
            (b, r) -> {
              // every account of the batch poisoned on its own (at most 3: each may cost a hash)
              FieldDescriptor users = field(b, "users");
              var entries = new ArrayList<Object>();
              int count = b.getRepeatedFieldCount(users);
              var parts = new ArrayList<String>();
              for (int i = 0; i < Math.min(count, 3); i++) {
                var entry = ((DynamicMessage) b.getRepeatedField(users, i)).toBuilder();
                parts.add(pick(r, newUser).apply(entry, r));
                entries.add(entry.build());
              }
              b.clearField(users);
              entries.forEach(e -> b.addRepeatedField(users, e));
              return entries.isEmpty() ? "users=[]" : "each account: " + parts;
            }));
    p.put("lms.v1.UserService/SetUserDisabled", List.of((b, r) -> set(b, "user_id", badId(r))));
    p.put(
        "lms.v1.UserService/ResetPassword",
        List.of(
            (b, r) -> set(b, "user_id", badId(r)), (b, r) -> set(b, "password", badPassword(r))));
    p.put(
        "lms.v1.CourseService/CreateCourse",
        List.of(
            (b, r) -> set(b, "code", badCode(r)),
            (b, r) -> set(b, "code", targets.courseCode()), // taken
            (b, r) -> set(b, "title", badLine(r, 200)),
            (b, r) -> add(b, "instructor_ids", badId(r)),
            (b, r) -> add(b, "instructor_ids", targets.studentId()))); // not an instructor
    p.put(
        "lms.v1.CourseService/Enrol",
        List.of(
            (b, r) -> set(b, "course_id", badId(r)),
            (b, r) -> set(b, "student_id", badId(r)),
            (b, r) -> set(b, "student_id", targets.instructorId()), // not a student
            (b, r) -> set(b, "student_id", targets.disabledStudentId()))); // disabled
    p.put(
        "lms.v1.CourseService/Unenrol",
        List.of((b, r) -> set(b, "course_id", badId(r)), (b, r) -> set(b, "student_id", badId(r))));
    p.put(
        "lms.v1.CourseService/SetInstructor",
        List.of(
            (b, r) -> set(b, "course_id", badId(r)),
            (b, r) -> set(b, "instructor_id", badId(r)),
            (b, r) -> set(b, "instructor_id", targets.studentId())));
    p.put(
        "lms.v1.MaterialService/RemoveMaterial",
        List.of((b, r) -> set(b, "material_id", badId(r))));
    List<BiFunction<DynamicMessage.Builder, Random, String>> draft =
        List.of(
            (b, r) -> set(b, "title", badLine(r, 200)),
            (b, r) -> set(b, "description", badOptionalText(r, 20_000)),
            (b, r) -> set(b, "opens_at", badTimestamp(r)),
            (b, r) -> set(b, "due_at", badTimestamp(r)),
            (b, r) -> set(b, "cutoff_at", badTimestamp(r)),
            (b, r) -> {
              b.clearField(field(b, "opens_at"));
              return "opens_at unset";
            },
            (b, r) -> {
              Instant opens = Instant.now();
              set(b, "opens_at", ProtoMapper.timestamp(opens));
              return set(
                  b, "due_at", ProtoMapper.timestamp(opens.minusSeconds(1 + r.nextInt(100_000))));
            },
            (b, r) -> {
              Instant due = Instant.now().plus(Duration.ofDays(3));
              set(b, "opens_at", ProtoMapper.timestamp(due.minus(Duration.ofDays(1))));
              set(b, "due_at", ProtoMapper.timestamp(due));
              return set(
                  b, "cutoff_at", ProtoMapper.timestamp(due.minusSeconds(1 + r.nextInt(10_000))));
            },
            (b, r) ->
                set(
                    b,
                    "max_points",
                    pick(r, List.of(0, -1, Integer.MIN_VALUE, 10_001, Integer.MAX_VALUE))));
    var create = new ArrayList<>(draft);
    create.add((b, r) -> set(b, "course_id", badId(r)));
    p.put("lms.v1.AssignmentService/CreateAssignment", create);
    var update = new ArrayList<>(draft);
    update.add((b, r) -> set(b, "assignment_id", badId(r)));
    p.put("lms.v1.AssignmentService/UpdateAssignment", update);
    p.put(
        "lms.v1.GradingService/GradeSubmission",
        List.of(
            (b, r) -> set(b, "submission_id", badId(r)),
            (b, r) -> set(b, "points", badPoints(r, targets.maxPoints())),
            (b, r) ->
                set(
                    b,
                    "expected_version",
                    pick(
                        r,
                        List.of(
                            targets.gradeVersion() - 1,
                            targets.gradeVersion() + 1,
                            -1L,
                            Long.MAX_VALUE,
                            Long.MIN_VALUE))),
            (b, r) -> set(b, "feedback", badOptionalText(r, 20_000)),
            (b, r) -> set(b, "draft_id", badId(r))));
    p.put(
        "lms.v1.GradingService/ReleaseGrade", List.of((b, r) -> set(b, "submission_id", badId(r))));
    p.put(
        "lms.v1.GradingService/ReleaseAssignmentGrades",
        List.of((b, r) -> set(b, "assignment_id", badId(r))));
    p.put(
        "lms.v1.QuestionService/AskQuestion",
        List.of(
            (b, r) -> set(b, "course_id", badId(r)),
            (b, r) -> setEnum(b, "addressee", pick(r, List.of(0, -1, 3, 99))),
            (b, r) -> set(b, "text", badText(r, 10_000))));
    p.put(
        "lms.v1.QuestionService/AnswerQuestion",
        List.of(
            (b, r) -> set(b, "question_id", badId(r)),
            (b, r) -> set(b, "text", badText(r, 20_000))));
    // the AI's writes: refused before the model is called, or the fuzzer would wait on it
    p.put(
        "lms.v1.QuestionService/AskAi",
        List.of(
            (b, r) -> set(b, "course_id", badId(r)), (b, r) -> set(b, "text", badText(r, 10_000))));
    p.put(
        "lms.v1.QuestionService/ReferQuestion", List.of((b, r) -> set(b, "question_id", badId(r))));
    p.put("lms.v1.QuestionService/EndorseAnswer", List.of((b, r) -> set(b, "answer_id", badId(r))));
    p.put("lms.v1.CourseService/SetCourseAi", List.of((b, r) -> set(b, "course_id", badId(r))));
    p.put(
        "lms.v1.GradingService/DraftFeedback",
        List.of((b, r) -> set(b, "submission_id", badId(r))));
    return p;
  }

  // ---------------------------------------------------------------- helpers

  static Descriptor requestType(MethodDescriptor<?, ?> method) {
    if (method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier schema) {
      return schema.getMethodDescriptor().getInputType();
    }
    throw new IllegalStateException(method.getFullMethodName() + " has no protobuf schema");
  }

  /** Whether the rpc only reads, told by its name: a read may succeed, a write must be refused. */
  private static boolean reads(MethodDescriptor<?, ?> method) {
    String rpc = method.getBareMethodName();
    return READ_PREFIXES.stream().anyMatch(rpc::startsWith);
  }

  /** The {@code authorization} header for a kind of credential; null for none. */
  private String authorization(TokenKind kind, Random r) {
    String admin = targets.tokens().get(TokenKind.ADMIN);
    return switch (kind) {
      case ADMIN, INSTRUCTOR, STUDENT, ENDED, DISABLED -> {
        String token = targets.tokens().get(kind);
        yield switch (r.nextInt(10)) {
          case 0 -> "bearer " + token;
          case 1 -> "BEARER   " + token;
          default -> "Bearer " + token;
        };
      }
      case NONE -> null;
      case GARBAGE -> "Bearer " + printable(r, 1 + r.nextInt(200));
      case WRONG_SCHEME ->
          pick(
              r,
              List.of(
                  "Basic YWRtaW46cGFzc3dvcmQ=",
                  "Token " + admin,
                  admin,
                  "Bearer:" + admin,
                  "Bearer" + admin));
      case EMPTY_BEARER -> pick(r, List.of("", "Bearer", "Bearer ", "Bearer        "));
      case OVERLONG -> "Bearer " + printable(r, 257 + r.nextInt(4000));
      // just under the 8 KiB a node accepts for all headers (a grpc-java client refuses to send
      // more, so more would never reach the node)
      case HUGE_HEADER -> "Bearer " + "A".repeat(6_000 + r.nextInt(1_600));
    };
  }

  private static String printable(Random r, int length) {
    var s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) (0x21 + r.nextInt(0x7E - 0x21 + 1)));
    }
    return s.toString();
  }

  private static FieldDescriptor field(DynamicMessage.Builder b, String name) {
    FieldDescriptor f = b.getDescriptorForType().findFieldByName(name);
    if (f == null) {
      throw new IllegalStateException(b.getDescriptorForType().getFullName() + " has no " + name);
    }
    return f;
  }

  private static String set(DynamicMessage.Builder b, String name, Object value) {
    b.setField(field(b, name), value);
    return name + "=" + brief(value);
  }

  private static String add(DynamicMessage.Builder b, String name, Object value) {
    b.addRepeatedField(field(b, name), value);
    return name + "+=" + brief(value);
  }

  private static String setEnum(DynamicMessage.Builder b, String name, int number) {
    FieldDescriptor f = field(b, name);
    b.setField(f, f.getEnumType().findValueByNumberCreatingIfUnknown(number));
    return name + "=" + number;
  }

  private static String brief(Object value) {
    String s = value instanceof Message m ? render(m) : String.valueOf(value);
    String shown = s.length() > 80 ? s.substring(0, 80) + "...(" + s.length() + " chars)" : s;
    return "\"" + escape(shown) + "\"";
  }

  private static String render(Message message) {
    String text = TextFormat.printer().escapingNonAscii(true).shortDebugString(message);
    return text.length() > 300 ? text.substring(0, 300) + "...(" + text.length() + " chars)" : text;
  }

  private static String escape(String s) {
    var out = new StringBuilder();
    s.codePoints()
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c > 0x7E) {
                out.append(String.format("\\u{%x}", c));
              } else {
                out.append((char) c);
              }
            });
    return out.toString();
  }

  private static String hexPrefix(byte[] bytes) {
    var hex = java.util.HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 24));
    return bytes.length + " bytes " + hex + (bytes.length > 24 ? "..." : "");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
