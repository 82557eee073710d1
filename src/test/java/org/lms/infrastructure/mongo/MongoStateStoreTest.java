package org.lms.infrastructure.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoWriteException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Assignment;
import org.lms.domain.model.Course;
import org.lms.domain.model.Entity;
import org.lms.domain.model.Grade;
import org.lms.domain.model.GradeEvent;
import org.lms.domain.model.Material;
import org.lms.domain.model.Question;
import org.lms.domain.model.Role;
import org.lms.domain.model.Session;
import org.lms.domain.model.Submission;
import org.lms.domain.model.User;
import org.lms.domain.state.Change;
import org.lms.domain.state.Criterion;
import org.lms.testing.MongoFixture;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MongoStateStoreTest {

  @RegisterExtension static final MongoFixture mongo = new MongoFixture();

  private static final Instant T0 = Instant.parse("2025-03-01T09:00:00.123Z");

  private static User user(String id, String username) {
    return new User(id, username, "Name " + id, Role.STUDENT, "pbkdf2$hash", false, T0);
  }

  /** One record of every entity type, with nulls and lists where the model allows them. */
  private static List<Entity> everyKind() {
    return List.of(
        new User("u1", "ada", "Ada Lovelace", Role.INSTRUCTOR, "pbkdf2$x", true, T0),
        new Session("s1", "u1", T0, T0.plusSeconds(3600)),
        new Course("c1", "CS101", "Programming", List.of("u1"), List.of("u2", "u3"), T0, false),
        new Course("c2", "CS102", "Empty", List.of(), List.of(), T0, false),
        new Material(
            "m1", "c1", "Slides", "slides.pdf", 12_345L, "application/pdf", "ab", "u1", T0),
        new Assignment(
            "a1", "c1", "Essay", null, T0, T0.plusSeconds(60), null, 100, "u1", T0, null),
        new Submission("sub1", "a1", "c1", "u2", 2, "essay.txt", 42L, "text/plain", "cd", T0, true),
        new Grade("sub1", "a1", "c1", "u2", 87.5, null, false, 3L, "u1", T0, null, false),
        new GradeEvent(
            "sub1#3",
            "sub1",
            "c1",
            3L,
            GradeEvent.GradeChange.GRADED,
            87.5,
            "ok",
            false,
            "u1",
            T0,
            false),
        new Question(
            "q1",
            "c1",
            "u2",
            Question.Addressee.AI,
            "What is a monad?",
            Question.QuestionStatus.OPEN,
            T0,
            null,
            null,
            false),
        new Answer(
            "an1",
            "q1",
            "c1",
            Answer.AuthorKind.MODEL,
            null,
            "gemma2:2b",
            "ef",
            "A burrito.",
            T0,
            null,
            null));
  }

  private static List<Change> puts(List<? extends Entity> entities) {
    List<Change> changes = new ArrayList<>();
    entities.forEach(e -> changes.add(new Change.Put(e)));
    return changes;
  }

  @Test
  void everyEntityTypeRoundTripsWithNullsAndLists() {
    var store = mongo.newStore();
    store.commit(1, puts(everyKind()));

    for (Entity entity : everyKind()) {
      assertThat(store.get(entity.getClass(), entity.id())).<Object>map(e -> e).contains(entity);
    }
    assertThat(store.get(User.class, "nobody")).isEmpty();
  }

  @Test
  void aFlagAddedToARecordLaterReadsAsFalseFromOlderDocuments() {
    var older = new java.util.HashMap<String, Object>();
    older.put("_id", "c-old");
    older.put("code", "OLD1");
    older.put("title", "Written before the AI switch");
    older.put("instructorIds", List.of("u1"));
    older.put("studentIds", List.of());
    older.put("createdAt", 1_000L);
    Course course = RecordDocuments.fromValues(Course.class, older);
    assertThat(course.aiDisabled()).isFalse();
    assertThat(course.aiEnabled()).isTrue();
    // other primitives stay required: a missing number is damage, not an old document
    older.put("_id", "g1");
    assertThatThrownBy(() -> RecordDocuments.fromValues(Grade.class, older))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing value");
  }

  @Test
  void findMatchesListMembershipAndInstantsAtMostInIdOrder() {
    var store = mongo.newStore();
    store.commit(
        1,
        puts(
            List.of(
                new Course("c3", "C3", "t", List.of(), List.of("u2"), T0, false),
                new Course("c1", "C1", "t", List.of(), List.of("u1", "u2"), T0, false),
                new Course("c2", "C2", "t", List.of(), List.of("u1"), T0, false),
                new Session("s2", "u1", T0, T0.plusSeconds(10)),
                new Session("s1", "u1", T0, T0.plusSeconds(5)),
                new Session("s3", "u1", T0, T0.plusSeconds(11)))));

    assertThat(store.find(Course.class, Criterion.eq("studentIds", "u2")))
        .extracting(Course::id)
        .containsExactly("c1", "c3");
    assertThat(store.find(Session.class, Criterion.atMost("expiresAt", T0.plusSeconds(10))))
        .extracting(Session::id)
        .containsExactly("s1", "s2");
    assertThat(
            store.find(Course.class, Criterion.eq("studentIds", "u1"), Criterion.eq("code", "C2")))
        .extracting(Course::id)
        .containsExactly("c2");
    assertThat(store.find(Course.class)).extracting(Course::id).containsExactly("c1", "c2", "c3");
    assertThat(store.find(Course.class, Criterion.eq("id", "c2"))).hasSize(1);

    assertThat(store.count(Course.class, Criterion.eq("studentIds", "u1"))).isEqualTo(2);
    assertThat(store.count(Session.class)).isEqualTo(3);
    assertThat(store.count(Session.class, Criterion.atMost("expiresAt", T0))).isZero();
  }

  @Test
  void findOnEnumsAndNulls() {
    var store = mongo.newStore();
    store.commit(1, puts(everyKind()));
    assertThat(store.find(User.class, Criterion.eq("role", Role.INSTRUCTOR)))
        .extracting(User::id)
        .containsExactly("u1");
    assertThat(store.count(Answer.class, Criterion.eq("authorId", null))).isEqualTo(1);
  }

  @Test
  void unknownFieldIsRefused() {
    var store = mongo.newStore();
    assertThatThrownBy(() -> store.find(User.class, Criterion.eq("nope", "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commitMovesAppliedIndexReplacesAndDeletes() {
    var store = mongo.newStore();
    assertThat(store.appliedIndex()).isZero();

    store.commit(1, puts(List.of(user("u1", "ada"), user("u2", "bob"))));
    assertThat(store.appliedIndex()).isEqualTo(1);

    store.commit(
        2,
        List.of(
            new Change.Put(user("u1", "ada").withDisabled(true)),
            new Change.Delete(User.class, "u2"),
            new Change.Delete(User.class, "never-there")));
    assertThat(store.appliedIndex()).isEqualTo(2);
    assertThat(store.get(User.class, "u1")).map(User::disabled).contains(true);
    assertThat(store.get(User.class, "u2")).isEmpty();

    store.commit(3, List.of());
    assertThat(store.appliedIndex()).isEqualTo(3);

    // an index already applied changes nothing
    store.commit(2, List.of(new Change.Delete(User.class, "u1")));
    assertThat(store.get(User.class, "u1")).isPresent();
    assertThat(store.appliedIndex()).isEqualTo(3);
  }

  @Test
  void appliedIndexSurvivesReopen() {
    String name = mongo.newDatabaseName();
    mongo.openStore(name).commit(7, puts(List.of(user("u1", "ada"))));
    var reopened = mongo.openStore(name);
    assertThat(reopened.appliedIndex()).isEqualTo(7);
    assertThat(reopened.get(User.class, "u1")).isPresent();
  }

  @Test
  void reopeningFinishesACommitInterruptedByACrash() {
    String name = mongo.newDatabaseName();
    var store = mongo.openStore(name);
    store.commit(1, puts(List.of(user("u1", "ada"), user("u2", "bob"))));

    // the crash happened after the redo record and one of its changes were written
    var db = mongo.connection().client().getDatabase(name);
    var changes =
        List.of(
            new Document("op", "put")
                .append("collection", "users")
                .append("document", RecordDocuments.toDocument(user("u3", "cy"))),
            new Document("op", "delete").append("collection", "users").append("id", "u1"));
    db.getCollection("meta")
        .replaceOne(
            new Document("_id", "applied"),
            new Document("_id", "applied")
                .append("index", 1L)
                .append("pending", new Document("index", 2L).append("changes", changes)));
    db.getCollection("users").insertOne(RecordDocuments.toDocument(user("u3", "cy")));

    var reopened = mongo.openStore(name);
    assertThat(reopened.appliedIndex()).isEqualTo(2);
    assertThat(reopened.find(User.class)).extracting(User::id).containsExactly("u2", "u3");
    assertThat(db.getCollection("meta").find())
        .containsExactly(new Document("_id", "applied").append("index", 2L));
  }

  @Test
  void aCommitStoppedHalfwayLeavesItsRedoRecordAndIsFinishedOnReopen() {
    String name = mongo.newDatabaseName();
    var store = mongo.openStore(name);
    store.commit(1, puts(List.of(user("u1", "ada"))));

    // the second change breaks the unique username index: the commit stops after the first one
    assertThatThrownBy(() -> store.commit(2, puts(List.of(user("u3", "cy"), user("u2", "ada")))))
        .isInstanceOf(MongoWriteException.class);
    assertThat(store.appliedIndex()).isEqualTo(1);
    var db = mongo.connection().client().getDatabase(name);
    Document applied = db.getCollection("meta").find().first();
    assertThat(applied.get("index")).isEqualTo(1L);
    assertThat(applied.get("pending", Document.class).get("index")).isEqualTo(2L);
    assertThat(store.get(User.class, "u3")).isPresent();

    // once what stopped it is gone, reopening applies the whole commit
    db.getCollection("users").deleteOne(new Document("_id", "u1"));
    var reopened = mongo.openStore(name);
    assertThat(reopened.appliedIndex()).isEqualTo(2);
    assertThat(reopened.find(User.class)).extracting(User::id).containsExactly("u2", "u3");
    assertThat(db.getCollection("meta").find())
        .containsExactly(new Document("_id", "applied").append("index", 2L));
  }

  @Test
  void aRedoRecordAlreadyAppliedIsDroppedNotReplayed() {
    String name = mongo.newDatabaseName();
    mongo.openStore(name).commit(5, puts(List.of(user("u1", "ada"))));
    var db = mongo.connection().client().getDatabase(name);
    // a redo record of index 5 beside applied index 5 (commit never leaves one: the write that
    // records an index as applied drops its redo record)
    db.getCollection("meta")
        .replaceOne(
            new Document("_id", "applied"),
            new Document("_id", "applied")
                .append("index", 5L)
                .append(
                    "pending",
                    new Document("index", 5L)
                        .append(
                            "changes",
                            List.of(
                                new Document("op", "delete")
                                    .append("collection", "users")
                                    .append("id", "u1")))));

    var reopened = mongo.openStore(name);
    assertThat(reopened.appliedIndex()).isEqualTo(5);
    assertThat(reopened.get(User.class, "u1")).isPresent();
    assertThat(db.getCollection("meta").find())
        .containsExactly(new Document("_id", "applied").append("index", 5L));
  }

  @Test
  void snapshotRestoresTheSameStateAndIndexIntoAFreshDatabase() throws Exception {
    var source = mongo.newStore();
    source.commit(1, puts(everyKind()));
    source.commit(9, List.of(new Change.Delete(Session.class, "s1")));

    var bytes = new ByteArrayOutputStream();
    source.writeSnapshot(bytes);
    assertThat(MongoStateStore.snapshotIndex(new ByteArrayInputStream(bytes.toByteArray())))
        .isEqualTo(9);

    var target = mongo.newStore();
    target.commit(3, puts(List.of(user("zz", "someone-else"))));
    target.restoreSnapshot(new ByteArrayInputStream(bytes.toByteArray()));

    assertThat(target.appliedIndex()).isEqualTo(9);
    assertThat(target.digest()).isEqualTo(source.digest());
    assertThat(target.get(User.class, "zz")).isEmpty();
    for (Entity entity : everyKind()) {
      if (!(entity instanceof Session)) {
        assertThat(target.get(entity.getClass(), entity.id())).<Object>map(e -> e).contains(entity);
      }
    }
    assertThat(target.count(Session.class)).isZero();

    // the same state gives the same bytes
    var again = new ByteArrayOutputStream();
    target.writeSnapshot(again);
    var first = new ByteArrayOutputStream();
    source.writeSnapshot(first);
    assertThat(gunzip(again.toByteArray())).isEqualTo(gunzip(first.toByteArray()));
  }

  @Test
  void aSnapshotSumsUpToTheDigestOfItsStateAndTheFilesItReferences() throws Exception {
    var source = mongo.newStore();
    List<Entity> entities = everyKind();
    source.commit(1, puts(entities));
    source.commit(7, List.of(new Change.Delete(Session.class, "s1")));
    var bytes = new ByteArrayOutputStream();
    source.writeSnapshot(bytes);

    MongoStateStore.SnapshotSummary summary =
        MongoStateStore.summarizeSnapshot(new ByteArrayInputStream(bytes.toByteArray()));

    assertThat(summary.appliedIndex()).isEqualTo(7);
    assertThat(summary.digest()).isEqualTo(source.digest());
    var referenced = new java.util.TreeSet<String>();
    for (Entity entity : entities) {
      if (entity instanceof Material m) {
        referenced.add(m.sha256());
      } else if (entity instanceof Submission s) {
        referenced.add(s.sha256());
      }
    }
    assertThat(referenced).isNotEmpty();
    assertThat(summary.blobs()).containsExactlyElementsOf(referenced);
    assertThat(summary.collections().keySet())
        .containsExactlyElementsOf(RecordDocuments.collectionNames());
    assertThat(summary.collections().get("sessions")).isZero();
    assertThat(summary.collections().get("users")).isEqualTo(source.count(User.class));

    // one more change moves the store's digest away from the snapshot's
    source.commit(8, puts(List.of(user("u-new", "newcomer"))));
    assertThat(summary.digest()).isNotEqualTo(source.digest());
  }

  @Test
  void restoredStoreKeepsItsIndexesAndItsIndexAcrossReopen() throws Exception {
    var source = mongo.newStore();
    source.commit(4, puts(List.of(user("u1", "ada"))));
    var bytes = new ByteArrayOutputStream();
    source.writeSnapshot(bytes);

    String name = mongo.newDatabaseName();
    mongo.openStore(name).restoreSnapshot(new ByteArrayInputStream(bytes.toByteArray()));
    assertThat(mongo.openStore(name).appliedIndex()).isEqualTo(4);
    var users = mongo.connection().client().getDatabase(name).getCollection("users");
    assertThatThrownBy(() -> users.insertOne(RecordDocuments.toDocument(user("u9", "ada"))))
        .isInstanceOf(MongoWriteException.class);
  }

  @Test
  void anInterruptedRestoreLeavesAStoreThatMustBeRestoredAgain() throws Exception {
    String name = mongo.newDatabaseName();
    mongo.openStore(name).commit(6, puts(List.of(user("u1", "ada"))));
    var broken =
        gzip(
            "{\"format\":1,\"appliedIndex\":40}\n{\"collection\":\"users\"}\n"
                + "{\"_id\": \"u2\", \"username\": \"bob\"}\n{ this is where the file was cut");

    assertThatThrownBy(
            () -> mongo.openStore(name).restoreSnapshot(new ByteArrayInputStream(broken)))
        .isInstanceOf(java.io.IOException.class);
    assertThat(mongo.openStore(name).appliedIndex()).isZero();
  }

  @Test
  void snapshotIndexRejectsAnUnknownFormat() {
    var bytes = gzip("{\"format\": 99, \"appliedIndex\": 1}\n");
    assertThatThrownBy(() -> MongoStateStore.snapshotIndex(new ByteArrayInputStream(bytes)))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void digestIgnoresInsertionOrderButNotContent() {
    List<Entity> entities = new ArrayList<>(everyKind());
    var forward = mongo.newStore();
    forward.commit(1, puts(entities));

    Collections.reverse(entities);
    var backward = mongo.newStore();
    for (int i = 0; i < entities.size(); i++) {
      backward.commit(i + 1, puts(List.of(entities.get(i))));
    }
    assertThat(backward.digest()).isEqualTo(forward.digest()).hasSize(64);

    backward.commit(
        100,
        List.of(
            new Change.Put(
                new Grade(
                    "sub1", "a1", "c1", "u2", 87.0, null, false, 3L, "u1", T0, null, false))));
    assertThat(backward.digest()).isNotEqualTo(forward.digest());
  }

  @Test
  void digestIgnoresTheAppliedIndex() {
    var a = mongo.newStore();
    var b = mongo.newStore();
    a.commit(1, puts(List.of(user("u1", "ada"))));
    b.commit(5, puts(List.of(user("u1", "ada"))));
    assertThat(a.digest()).isEqualTo(b.digest());
  }

  @Test
  void uniqueUsernameIndexRejectsADuplicateAtTheDriver() {
    String name = mongo.newDatabaseName();
    mongo.openStore(name).commit(1, puts(List.of(user("u1", "ada"))));
    var users = mongo.connection().client().getDatabase(name).getCollection("users");
    assertThatThrownBy(() -> users.insertOne(RecordDocuments.toDocument(user("u2", "ada"))))
        .isInstanceOf(MongoWriteException.class);
  }

  private static byte[] gzip(String text) {
    var out = new ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String gunzip(byte[] bytes) throws java.io.IOException {
    try (var in = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
