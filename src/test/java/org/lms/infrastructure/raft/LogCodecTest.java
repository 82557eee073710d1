package org.lms.infrastructure.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.lms.domain.command.AddMaterial;
import org.lms.domain.command.AnswerQuestion;
import org.lms.domain.command.AskQuestion;
import org.lms.domain.command.AssignInstructor;
import org.lms.domain.command.BootstrapAdmin;
import org.lms.domain.command.CloseSession;
import org.lms.domain.command.Command;
import org.lms.domain.command.CreateAssignment;
import org.lms.domain.command.CreateCourse;
import org.lms.domain.command.EndorseAnswer;
import org.lms.domain.command.EnrolStudent;
import org.lms.domain.command.ExpireSessions;
import org.lms.domain.command.GradeSubmission;
import org.lms.domain.command.OpenSession;
import org.lms.domain.command.RecordFeedbackDraft;
import org.lms.domain.command.ReferQuestion;
import org.lms.domain.command.RegisterUser;
import org.lms.domain.command.ReleaseAssignmentGrades;
import org.lms.domain.command.ReleaseGrade;
import org.lms.domain.command.RemoveMaterial;
import org.lms.domain.command.SetCourseAi;
import org.lms.domain.command.SetPassword;
import org.lms.domain.command.SetUserDisabled;
import org.lms.domain.command.SubmitAssignment;
import org.lms.domain.command.UnenrolStudent;
import org.lms.domain.command.UpdateAssignment;
import org.lms.domain.model.Answer.AuthorKind;
import org.lms.domain.model.Question.Addressee;
import org.lms.domain.model.Role;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.Rejection;
import org.lms.domain.state.RejectionReason;
import org.lms.infrastructure.raft.log.v1.CommandOutcome;
import org.lms.infrastructure.raft.log.v1.LogEntry;
import org.lms.testing.SampleCommands;

@Timeout(10)
class LogCodecTest {

  static List<Command> samples() {
    return SampleCommands.oneOfEach();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void everySampleSurvivesTheRoundTrip(Command command) {
    assertThat(LogCodec.decode(LogCodec.encode(command))).isEqualTo(command);
  }

  @Test
  void everyCommandTypeHasASample() {
    // A new Command without a sample fails here; with a sample but without a codec it fails the
    // round trip: either way it cannot reach the log unencoded.
    var sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());
    assertThat(sampled)
        .containsExactlyInAnyOrderElementsOf(Arrays.asList(Command.class.getPermittedSubclasses()));
  }

  @Test
  void everyComponentIsSetInSomeSampleAndEveryBooleanIsBothWays() throws Exception {
    var missing = new ArrayList<String>();
    for (var type : Command.class.getPermittedSubclasses()) {
      var ofType = samples().stream().filter(type::isInstance).toList();
      for (var component : type.getRecordComponents()) {
        var values = new ArrayList<Object>();
        for (var sample : ofType) {
          values.add(component.getAccessor().invoke(sample));
        }
        var name = type.getSimpleName() + "." + component.getName();
        if (values.stream().allMatch(v -> v == null)) {
          missing.add(name + " never set");
        }
        if (component.getType() == boolean.class
            && !Set.copyOf(values).equals(Set.of(true, false))) {
          missing.add(name + " not both true and false");
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void theSameCommandAlwaysEncodesToTheSameBytes(Command command) {
    var bytes = LogCodec.encode(command);
    assertThat(LogCodec.encode(command)).isEqualTo(bytes);
    assertThat(LogCodec.encode(LogCodec.decode(bytes))).isEqualTo(bytes);
  }

  @Test
  void fieldNumbersAreThoseOfVersionOne() {
    // Hand-computed: schema_version=1 (08 01), field 16 expire_sessions (82 01) of 3 bytes,
    // issued_at_epoch_millis=1000 (08 e8 07).
    var expire = new ExpireSessions(Instant.ofEpochMilli(1000));
    assertThat(HexFormat.of().formatHex(LogCodec.encode(expire))).isEqualTo("080182010308e807");
  }

  static List<Golden> golden() {
    return GOLDEN;
  }

  @ParameterizedTest
  @MethodSource("golden")
  void entriesWrittenByVersionOneStayDecodable(Golden golden) {
    var bytes = HexFormat.of().parseHex(golden.hex());
    assertThat(LogCodec.decode(bytes)).isEqualTo(golden.command());
    assertThat(HexFormat.of().formatHex(LogCodec.encode(golden.command()))).isEqualTo(golden.hex());
  }

  @Test
  void everyCommandTypeHasAGoldenEntry() {
    var covered =
        GOLDEN.stream().<Class<?>>map(g -> g.command().getClass()).collect(Collectors.toSet());
    assertThat(covered).containsExactlyInAnyOrder(Command.class.getPermittedSubclasses());
  }

  private record Golden(Command command, String hex) {}

  private static final Instant T = Instant.parse("2025-09-01T08:00:00.125Z");

  /** Entries as version 1 wrote them, one or more per command type; never edit these, only add. */
  private static final List<Golden> GOLDEN =
      List.of(
          new Golden(
              new BootstrapAdmin("u-admin", "admin", "h0", T),
              "0801521b0a07752d61646d696e120561646d696e1a02683020fd88a9a29033"),
          new Golden(
              new RegisterUser(
                  "u-alice", "alice", "Alice Martin", Role.STUDENT, "h1", "u-admin", T),
              "08015a340a07752d616c6963651205616c6963651a0c416c696365204d617274696e20012a0268313207752d61646d696e38fd88a9a29033"),
          new Golden(
              new SetUserDisabled("u-bob", true, "u-admin", T),
              "080162190a05752d626f6210011a07752d61646d696e20fd88a9a29033"),
          new Golden(
              new SetPassword("u-alice", "h2", "5e884898", "u-alice", T),
              "08016a270a07752d616c696365120268321a0835653838343839382207752d616c69636528fd88a9a29033"),
          new Golden(
              new SetPassword("u-bob", "h3", null, "u-admin", T),
              "08016a1b0a05752d626f62120268332207752d61646d696e28fd88a9a29033"),
          new Golden(
              new OpenSession("5e884898", "u-alice", T.plusSeconds(3600), T),
              "080172210a0835653838343839381207752d616c69636518fde584a4903320fd88a9a29033"),
          new Golden(
              new CloseSession("5e884898", "u-alice", T),
              "08017a1a0a0835653838343839381207752d616c69636518fd88a9a29033"),
          new Golden(new ExpireSessions(T), "080182010708fd88a9a29033"),
          new Golden(
              new CreateCourse(
                  "c-ds",
                  "CS-4510",
                  "Distributed Systems",
                  List.of("u-carol", "u-erin"),
                  "u-admin",
                  T),
              "08018a01450a04632d6473120743532d343531301a1344697374726962757465642053797374656d732207752d6361726f6c2206752d6572696e2a07752d61646d696e30fd88a9a29033"),
          new Golden(
              new AssignInstructor("c-ds", "u-erin", true, "u-admin", T),
              "08019201200a04632d64731206752d6572696e18012207752d61646d696e28fd88a9a29033"),
          new Golden(
              new EnrolStudent("c-ds", "u-alice", "u-carol", T),
              "08019a011f0a04632d64731207752d616c6963651a07752d6361726f6c20fd88a9a29033"),
          new Golden(
              new UnenrolStudent("c-ds", "u-bob", "u-carol", T),
              "0801a2011d0a04632d64731205752d626f621a07752d6361726f6c20fd88a9a29033"),
          new Golden(
              new AddMaterial(
                  "m-1",
                  "c-ds",
                  "Raft",
                  "raft.pdf",
                  245760,
                  "application/pdf",
                  "ab12",
                  "u-carol",
                  T),
              "0801aa01460a036d2d311204632d64731a04526166742208726166742e7064662880800f320f6170706c69636174696f6e2f7064663a04616231324207752d6361726f6c48fd88a9a29033"),
          new Golden(
              new RemoveMaterial("m-1", "u-carol", T),
              "0801b201150a036d2d311207752d6361726f6c18fd88a9a29033"),
          new Golden(
              new CreateAssignment(
                  "a-1",
                  "c-ds",
                  "Lab 1",
                  "Leader election",
                  T,
                  T.plusSeconds(86400),
                  T.plusSeconds(172800),
                  100,
                  "u-carol",
                  T),
              "0801ba014a0a03612d311204632d64731a054c61622031220f4c656164657220656c656374696f6e28fd88a9a2903330fdc0c2cb903338fdf8dbf4903340644a07752d6361726f6c50fd88a9a29033"),
          new Golden(
              new UpdateAssignment(
                  "a-1",
                  "Lab 1b",
                  null,
                  T,
                  T.plusSeconds(90000),
                  T.plusSeconds(180000),
                  120,
                  "u-carol",
                  T),
              "0801c201340a03612d3112064c616220316220fd88a9a2903328fd9d9ecd903330fdb293f8903338784207752d6361726f6c48fd88a9a29033"),
          new Golden(
              new SubmitAssignment(
                  "s-1", "a-1", "lab1.zip", 18432, "application/zip", "cd34", "u-alice", T),
              "0801ca013f0a03732d311203612d311a086c6162312e7a6970208090012a0f6170706c69636174696f6e2f7a69703204636433343a07752d616c69636540fd88a9a29033"),
          new Golden(
              new GradeSubmission("s-1", 87.5, "Good", 3, "u-carol", T, null),
              "0801d201260a03732d31110000000000e055401a04476f6f6420032a07752d6361726f6c30fd88a9a29033"),
          new Golden(
              new GradeSubmission("s-1", 90.0, null, 4, "u-carol", T, null),
              "0801d201200a03732d3111000000000080564020042a07752d6361726f6c30fd88a9a29033"),
          new Golden(
              new ReleaseGrade("s-1", "u-carol", T),
              "0801da01150a03732d311207752d6361726f6c18fd88a9a29033"),
          new Golden(
              new ReleaseAssignmentGrades("a-1", "u-carol", T),
              "0801e201150a03612d311207752d6361726f6c18fd88a9a29033"),
          new Golden(
              new AskQuestion("q-1", "c-ds", Addressee.AI, "What is a term?", "u-alice", T),
              "0801ea012e0a03712d311204632d64731802220f576861742069732061207465726d3f2a07752d616c69636530fd88a9a29033"),
          new Golden(
              new AnswerQuestion(
                  "ans-1",
                  "q-1",
                  AuthorKind.MODEL,
                  "gemma2:2b",
                  "ef56",
                  "A term is...",
                  "u-alice",
                  T,
                  List.of()),
              "0801f2013d0a05616e732d311203712d311802220967656d6d61323a32622a0465663536320c41207465726d2069732e2e2e3a07752d616c69636540fd88a9a29033"),
          new Golden(
              new AnswerQuestion(
                  "ans-2",
                  "q-1",
                  AuthorKind.INSTRUCTOR,
                  null,
                  null,
                  "See lecture 3.",
                  "u-carol",
                  T,
                  List.of()),
              "0801f2012e0a05616e732d321203712d311801320e536565206c65637475726520332e3a07752d6361726f6c40fd88a9a29033"),
          new Golden(
              new AnswerQuestion(
                  "ans-3",
                  "q-1",
                  AuthorKind.MODEL,
                  "gemma2:2b",
                  "ef56",
                  "A term is [1].",
                  "u-alice",
                  T,
                  List.of(
                      new AnswerQuestion.Source(1, "m-1", "Raft paper", 5, null),
                      new AnswerQuestion.Source(2, "m-2", "Notes", 0, "Terms"))),
              "0801f2016d0a05616e732d331203712d311802220967656d6d61323a32622a0465663536320e41207465726d206973205b315d2e3a07752d616c69636540fd88a9a290334a150a036d2d31120a52616674207061706572180528014a150a036d2d3212054e6f74657322055465726d732802"),
          new Golden(
              new GradeSubmission("s-1", 8.5, "Good [AI draft].", 1L, "u-carol", T, "d-1"),
              "0801d201370a03732d311100000000000021401a10476f6f64205b41492064726166745d2e20012a07752d6361726f6c30fd88a9a290333a03642d31"),
          new Golden(
              new ReferQuestion("q-1", "u-alice", T),
              "0801fa01150a03712d311207752d616c69636518fd88a9a29033"),
          new Golden(
              new EndorseAnswer("ans-1", true, "u-carol", T),
              "08018202190a05616e732d3110011a07752d6361726f6c20fd88a9a29033"),
          new Golden(
              new SetCourseAi("c-ds", false, "u-carol", T),
              "08018a02160a04632d64731a07752d6361726f6c20fd88a9a29033"),
          new Golden(
              new RecordFeedbackDraft("d-1", "s-1", "gemma2:2b", "ef56", "Good.", "u-carol", T),
              "08019202320a03642d311203732d311a0967656d6d61323a32622204656635362a05476f6f642e3207752d6361726f6c38fd88a9a29033"));

  @Test
  void subMillisecondPrecisionIsDropped() {
    var issued = Instant.parse("2025-09-01T08:00:00.123456789Z");
    var expires = Instant.parse("1969-12-31T23:59:59.999999999Z");
    var decoded =
        (OpenSession)
            LogCodec.decode(LogCodec.encode(new OpenSession("s", "u-alice", expires, issued)));
    assertThat(decoded.issuedAt()).isEqualTo(Instant.parse("2025-09-01T08:00:00.123Z"));
    // before the epoch too, truncation goes towards the past, as Instant.truncatedTo does
    assertThat(decoded.expiresAt()).isEqualTo(Instant.parse("1969-12-31T23:59:59.999Z"));
  }

  @Test
  void textAndNumbersKeepEveryValue() {
    var commands =
        List.<Command>of(
            new AskQuestion(
                "q-1",
                "c-1",
                Addressee.AI,
                "Grüße, ¿qué es 数学? 👋\n\t\"\\",
                "u-alice",
                Instant.EPOCH),
            new CreateCourse("c-1", "", "", List.of(), "u-admin", Instant.ofEpochMilli(-1)),
            new CreateCourse("c-2", "X", "Y", List.of("u-b", "u-a", "u-b"), "", Instant.EPOCH),
            new GradeSubmission("s-1", -0.0, "", Long.MAX_VALUE, "u-carol", Instant.EPOCH, null),
            new GradeSubmission(
                "s-1", Double.NaN, null, Long.MIN_VALUE, "u-carol", Instant.EPOCH, null),
            new GradeSubmission(
                "s-1", 1e-300, null, 0, "u-carol", Instant.ofEpochMilli(Long.MAX_VALUE), null),
            new SetPassword("u-alice", "h", "", "u-alice", Instant.ofEpochMilli(Long.MIN_VALUE)),
            new CreateAssignment(
                "a",
                "c",
                "t",
                "",
                Instant.EPOCH,
                Instant.EPOCH,
                Instant.EPOCH,
                Integer.MIN_VALUE,
                "u",
                Instant.EPOCH));
    for (var command : commands) {
      assertThat(LogCodec.decode(LogCodec.encode(command))).isEqualTo(command);
    }
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void everyRoleSurvivesTheRoundTrip(Role role) {
    var command = new RegisterUser("u-x", "x", "X", role, "h", "u-admin", Instant.EPOCH);
    assertThat(LogCodec.decode(LogCodec.encode(command))).isEqualTo(command);
  }

  @ParameterizedTest
  @EnumSource(Addressee.class)
  void everyAddresseeSurvivesTheRoundTrip(Addressee addressee) {
    var command = new AskQuestion("q", "c", addressee, "?", "u-alice", Instant.EPOCH);
    assertThat(LogCodec.decode(LogCodec.encode(command))).isEqualTo(command);
  }

  @ParameterizedTest
  @EnumSource(AuthorKind.class)
  void everyAuthorKindSurvivesTheRoundTrip(AuthorKind kind) {
    var command =
        new AnswerQuestion("a", "q", kind, "m", "p", "!", "u-carol", Instant.EPOCH, List.of());
    assertThat(LogCodec.decode(LogCodec.encode(command))).isEqualTo(command);
  }

  @Test
  void aCommandTheLogCannotHoldIsRefusedBeforeItGetsThere() {
    assertThatThrownBy(
            () -> LogCodec.encode(new CreateCourse("c", null, "T", List.of(), "u", Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CreateCourse.code");
    assertThatThrownBy(
            () -> LogCodec.encode(new RegisterUser("u", "n", "N", null, "h", "a", Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RegisterUser.role");
    assertThatThrownBy(() -> LogCodec.encode(new ExpireSessions(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ExpireSessions.issuedAt");
    assertThatThrownBy(() -> LogCodec.encode(new ExpireSessions(Instant.MAX)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ExpireSessions.issuedAt");
  }

  @Test
  void garbageIsRefused() {
    assertRefused("not a protobuf".getBytes(), "not a log entry");
    assertRefused(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, "not a log entry");
    var valid = LogCodec.encode(samples().get(7));
    assertRefused(Arrays.copyOf(valid, valid.length - 1), "not a log entry");
  }

  @Test
  void anEmptyEntryIsRefused() {
    assertRefused(new byte[0], "empty log entry");
  }

  @Test
  void anEntryWithoutCommandIsRefused() {
    assertRefused(LogEntry.newBuilder().setSchemaVersion(1).build().toByteArray(), "no command");
  }

  @Test
  void anEntryWithoutOrWithANewerSchemaVersionIsRefused() {
    var entry = LogEntry.newBuilder();
    entry.getExpireSessionsBuilder().setIssuedAtEpochMillis(1);
    assertRefused(entry.setSchemaVersion(0).build().toByteArray(), "no schema version");
    assertRefused(entry.setSchemaVersion(2).build().toByteArray(), "schema version 2");
    assertRefused(entry.setSchemaVersion(-1).build().toByteArray(), "schema version 4294967295");
  }

  @Test
  void aCommandOrFieldFromANewerNodeIsRefused() {
    var newCommand =
        LogEntry.newBuilder()
            .setSchemaVersion(1)
            .setUnknownFields(unknownField(99))
            .build()
            .toByteArray();
    assertRefused(newCommand, "command unknown to this node");

    var newEnvelopeField =
        LogEntry.newBuilder().setSchemaVersion(1).setUnknownFields(unknownField(2));
    newEnvelopeField.getExpireSessionsBuilder().setIssuedAtEpochMillis(1);
    assertRefused(newEnvelopeField.build().toByteArray(), "unknown to this node [2]");

    var newCommandField = LogEntry.newBuilder().setSchemaVersion(1);
    newCommandField.getCreateCourseBuilder().setCourseId("c").setUnknownFields(unknownField(7));
    assertRefused(newCommandField.build().toByteArray(), "CreateCourse has fields unknown");
  }

  @Test
  void anUnspecifiedOrUnknownEnumValueIsRefused() {
    var unspecified = LogEntry.newBuilder().setSchemaVersion(1);
    unspecified.getRegisterUserBuilder().setUserId("u");
    assertRefused(unspecified.build().toByteArray(), "no role");

    var unknown = LogEntry.newBuilder().setSchemaVersion(1);
    unknown.getAskQuestionBuilder().setAddresseeValue(7);
    assertRefused(unknown.build().toByteArray(), "addressee unknown to this node (7)");

    var noKind = LogEntry.newBuilder().setSchemaVersion(1);
    noKind.getAnswerQuestionBuilder().setText("!");
    assertRefused(noKind.build().toByteArray(), "no author kind");
  }

  @Test
  void randomBytesNeverFailOtherwiseThanWithIllegalArgument() {
    var random = new Random(20250901);
    var entries = samples().stream().map(LogCodec::encode).toList();
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes;
      if (i % 2 == 0) {
        bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
      } else {
        // a valid entry with one byte flipped: closer to what a damaged disk gives
        bytes = entries.get(random.nextInt(entries.size())).clone();
        bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
      }
      try {
        var command = LogCodec.decode(bytes);
        assertThat(LogCodec.decode(LogCodec.encode(command))).isEqualTo(command);
      } catch (IllegalArgumentException expected) {
        // the only failure allowed: a clear refusal, never an NPE or a half-built command
      }
    }
  }

  @Test
  void anAcceptedResultSurvivesTheRoundTrip() {
    for (long index : new long[] {0, 1, 42, Long.MAX_VALUE}) {
      var result = CommandResult.accepted(index);
      assertThat(LogCodec.decodeResult(LogCodec.encodeResult(result))).isEqualTo(result);
    }
  }

  @ParameterizedTest
  @EnumSource(RejectionReason.class)
  void aRejectedResultSurvivesTheRoundTrip(RejectionReason reason) {
    var withField =
        CommandResult.rejected(17, new Rejection(reason, "points", "must be at most 100"));
    var withoutField = CommandResult.rejected(18, new Rejection(reason, null, "not now"));
    var withoutMessage = CommandResult.rejected(19, new Rejection(reason, "", null));
    for (var result : List.of(withField, withoutField, withoutMessage)) {
      assertThat(LogCodec.decodeResult(LogCodec.encodeResult(result))).isEqualTo(result);
    }
  }

  @Test
  void aRejectionReasonFromANewerNodeStaysARejection() {
    var outcome =
        CommandOutcome.newBuilder()
            .setIndex(9)
            .setRejectionReason("QUOTA_EXCEEDED")
            .setRejectionField("file")
            .setRejectionMessage("the course is full")
            .build();
    var result = LogCodec.decodeResult(outcome.toByteArray());
    assertThat(result.index()).isEqualTo(9);
    assertThat(result.rejection())
        .contains(
            new Rejection(
                RejectionReason.INVALID_FIELD, "file", "QUOTA_EXCEEDED: the course is full"));
  }

  @Test
  void aMalformedResultIsRefused() {
    assertThatThrownBy(() -> LogCodec.decodeResult("not a protobuf".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a command outcome");
    var fieldWithoutReason = CommandOutcome.newBuilder().setIndex(3).setRejectionField("x");
    assertThatThrownBy(() -> LogCodec.decodeResult(fieldWithoutReason.build().toByteArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no reason");
  }

  private static void assertRefused(byte[] bytes, String why) {
    assertThatThrownBy(() -> LogCodec.decode(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  private static UnknownFieldSet unknownField(int number) {
    return UnknownFieldSet.newBuilder()
        .addField(
            number,
            UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(ByteString.copyFromUtf8("x"))
                .build())
        .build();
  }
}
