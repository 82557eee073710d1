package org.lms.infrastructure.mongo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.eclipse.jnosql.databases.mongodb.communication.MongoDBDocumentConfiguration;
import org.eclipse.jnosql.databases.mongodb.communication.MongoDBDocumentManager;
import org.lms.domain.model.Entity;
import org.lms.domain.model.Material;
import org.lms.domain.model.Submission;
import org.lms.domain.state.Change;
import org.lms.domain.state.Criterion;
import org.lms.domain.state.StateStore;

/**
 * The state store over one MongoDB database: reads through Eclipse JNoSQL's communication API,
 * idempotent writes through the driver (see docs/adr/0002). A commit is made crash-safe without
 * transactions by a redo record, kept in the same document as the applied index: written before the
 * changes, and removed by the one write that records their index as applied.
 */
public final class MongoStateStore implements StateStore {

  /** Version of the snapshot format written by {@link #writeSnapshot}. */
  public static final int SNAPSHOT_FORMAT = 1;

  private static final String META = "meta";
  private static final String APPLIED = "applied";
  private static final String INDEX = "index";
  private static final String PENDING = "pending";
  private static final String COLLECTION_LINE = "collection";
  private static final int INSERT_BATCH = 500;

  /** Type-preserving and deterministic: the same document always gives the same line. */
  private static final JsonWriterSettings CANONICAL =
      JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).indent(false).build();

  private final MongoDatabase database;
  private final MongoCollection<Document> meta;
  private final MongoDBDocumentManager documents;
  private final Runnable durabilityPoint;
  private volatile long appliedIndex;

  /**
   * Opens the store on {@code databaseName}: creates its indexes and finishes a commit that a crash
   * interrupted. The client stays owned by the caller.
   */
  public MongoStateStore(MongoClient client, String databaseName) {
    this(client, databaseName, () -> {});
  }

  /**
   * As {@link #MongoStateStore(MongoClient, String)}, calling {@code durabilityPoint} after every
   * commit and restore: where the database must have saved everything written so far as one unit
   * ({@link MongoConnection#durabilityPoint()}).
   */
  public MongoStateStore(MongoClient client, String databaseName, Runnable durabilityPoint) {
    this.database = client.getDatabase(databaseName);
    this.meta = database.getCollection(META);
    this.documents = new MongoDBDocumentConfiguration().get(client).apply(databaseName);
    this.durabilityPoint = durabilityPoint;
    createIndexes();
    recover();
    durabilityPoint.run();
  }

  @Override
  public <T extends Entity> Optional<T> get(Class<T> type, String id) {
    String collection = RecordDocuments.collectionOf(type);
    return documents
        .select(collection, Filters.eq(RecordDocuments.ID, id))
        .findFirst()
        .map(entity -> RecordDocuments.fromEntity(type, entity));
  }

  @Override
  public <T extends Entity> List<T> find(Class<T> type, Criterion... criteria) {
    String collection = RecordDocuments.collectionOf(type);
    return documents
        .select(collection, filter(type, criteria))
        .map(entity -> RecordDocuments.fromEntity(type, entity))
        .sorted(Comparator.comparing(Entity::id))
        .toList();
  }

  @Override
  public <T extends Entity> long count(Class<T> type, Criterion... criteria) {
    return documents.count(RecordDocuments.collectionOf(type), filter(type, criteria));
  }

  @Override
  public long appliedIndex() {
    return appliedIndex;
  }

  /**
   * Writes a redo record beside the applied index, applies the changes as upserts and deletes, then
   * records {@code index} as applied, which drops the redo record in the same write. An index at or
   * below the applied one is ignored: its changes are already stored.
   */
  @Override
  public synchronized void commit(long index, List<Change> changes) {
    if (index <= appliedIndex) {
      return;
    }
    if (changes.isEmpty()) {
      markApplied(index);
      durabilityPoint.run();
      return;
    }
    List<Document> redo = new ArrayList<>(changes.size());
    for (Change change : changes) {
      redo.add(toRedo(change));
    }
    writeApplied(appliedIndex, new Document(INDEX, index).append("changes", redo));
    apply(redo);
    markApplied(index);
    durabilityPoint.run();
  }

  /**
   * Writes every LMS collection and the applied index to {@code out} as gzip of: a header line
   * {@code {"format":1,"appliedIndex":N}}, then per collection (in a fixed order) a line {@code
   * {"collection":"name"}} followed by its documents in id order, one canonical extended-JSON line
   * each. The caller guarantees that no commit runs meanwhile. {@code out} is not closed.
   */
  public synchronized void writeSnapshot(OutputStream out) throws IOException {
    var gzip = new GZIPOutputStream(out, 1 << 16);
    Writer writer = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8));
    writer.write("{\"format\":" + SNAPSHOT_FORMAT + ",\"appliedIndex\":" + appliedIndex + "}");
    writer.write('\n');
    try {
      forEachCanonicalLine(
          RecordDocuments.collectionNames(),
          line -> {
            try {
              writer.write(line);
              writer.write('\n');
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    writer.flush();
    gzip.finish();
    gzip.flush();
  }

  /** The applied index recorded in a snapshot's header, without reading the rest. */
  public static long snapshotIndex(InputStream in) throws IOException {
    var reader = snapshotReader(in);
    return readHeader(reader);
  }

  /**
   * What a snapshot written by {@link #writeSnapshot} holds, read from the snapshot alone.
   *
   * @param appliedIndex the index the snapshot's state belongs to
   * @param digest the {@link #digest()} a store restored from it shows
   * @param collections the number of documents of each collection, in snapshot order
   * @param blobs the SHA-256 of every file the state references (materials and submissions)
   */
  public record SnapshotSummary(
      long appliedIndex, String digest, Map<String, Long> collections, SortedSet<String> blobs) {}

  /**
   * Reads a whole snapshot and sums it up without a database: the digest comes from the same
   * canonical lines {@link #digest()} hashes, so it equals the digest of the state the snapshot was
   * taken from, at its index.
   */
  public static SnapshotSummary summarizeSnapshot(InputStream in) throws IOException {
    BufferedReader reader = snapshotReader(in);
    long index = readHeader(reader);
    var headers = new HashMap<String, String>();
    for (String name : RecordDocuments.collectionNames()) {
      headers.put(new BsonDocument(COLLECTION_LINE, new BsonString(name)).toJson(CANONICAL), name);
    }
    var data = Set.copyOf(RecordDocuments.dataCollectionNames());
    var blobFields =
        Map.of(
            RecordDocuments.collectionOf(Material.class),
            RecordDocuments.fieldOf(Material.class, "sha256"),
            RecordDocuments.collectionOf(Submission.class),
            RecordDocuments.fieldOf(Submission.class, "sha256"));
    MessageDigest sha256 = sha256();
    var counts = new LinkedHashMap<String, Long>();
    var blobs = new TreeSet<String>();
    String collection = null;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        continue;
      }
      String header = headers.get(line);
      if (header != null) {
        collection = header;
        counts.putIfAbsent(collection, 0L);
      } else if (collection == null) {
        throw new IOException("snapshot has a document before any collection line");
      } else {
        counts.merge(collection, 1L, Long::sum);
        String field = blobFields.get(collection);
        if (field != null) {
          BsonDocument document;
          try {
            document = BsonDocument.parse(line);
          } catch (RuntimeException e) {
            throw new IOException("snapshot line is not JSON (truncated file?)", e);
          }
          if (document.isString(field) && !document.getString(field).getValue().isEmpty()) {
            blobs.add(document.getString(field).getValue());
          }
        }
      }
      if (data.contains(collection)) {
        sha256.update(line.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) '\n');
      }
    }
    return new SnapshotSummary(
        index,
        HexFormat.of().formatHex(sha256.digest()),
        Collections.unmodifiableMap(counts),
        Collections.unmodifiableSortedSet(blobs));
  }

  /**
   * Replaces this store's whole content by the snapshot in {@code in}. Crash-safe in that the
   * applied index is set to 0 before anything is dropped and to the snapshot's index only after
   * everything is inserted: an interrupted restore leaves a store that asks to be restored again.
   */
  public synchronized void restoreSnapshot(InputStream in) throws IOException {
    BufferedReader reader = snapshotReader(in);
    long index = readHeader(reader);
    markApplied(0);
    // only what exists: the embedded server logs a dropped missing collection as SEVERE
    var existing = database.listCollectionNames().into(new HashSet<>());
    for (String name : RecordDocuments.collectionNames()) {
      if (existing.contains(name)) {
        database.getCollection(name).drop();
      }
    }
    MongoCollection<BsonDocument> target = null;
    List<BsonDocument> batch = new ArrayList<>();
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        continue;
      }
      BsonDocument document;
      try {
        document = BsonDocument.parse(line);
      } catch (RuntimeException e) {
        throw new IOException("snapshot line is not JSON (truncated file?)", e);
      }
      if (!document.containsKey(RecordDocuments.ID) && document.containsKey(COLLECTION_LINE)) {
        flush(target, batch);
        String name = document.getString(COLLECTION_LINE).getValue();
        if (!RecordDocuments.collectionNames().contains(name)) {
          throw new IOException("snapshot names an unknown collection: " + name);
        }
        target = database.getCollection(name, BsonDocument.class);
      } else {
        if (target == null) {
          throw new IOException("snapshot has a document before any collection line");
        }
        batch.add(document);
        if (batch.size() >= INSERT_BATCH) {
          flush(target, batch);
        }
      }
    }
    flush(target, batch);
    createIndexes();
    markApplied(index);
    durabilityPoint.run();
  }

  /**
   * SHA-256 (hex) over the canonical content of every LMS collection (not the bookkeeping): equal
   * on two nodes that hold the same state, whatever order it was written in.
   */
  public synchronized String digest() {
    MessageDigest sha256 = sha256();
    forEachCanonicalLine(
        RecordDocuments.dataCollectionNames(),
        line -> {
          sha256.update(line.getBytes(StandardCharsets.UTF_8));
          sha256.update((byte) '\n');
        });
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private void forEachCanonicalLine(List<String> collections, Consumer<String> sink) {
    for (String name : collections) {
      sink.accept(new BsonDocument(COLLECTION_LINE, new BsonString(name)).toJson(CANONICAL));
      for (BsonDocument document :
          database
              .getCollection(name, BsonDocument.class)
              .find()
              .sort(Sorts.ascending(RecordDocuments.ID))) {
        sink.accept(canonical(document).toJson(CANONICAL));
      }
    }
  }

  /** Fields sorted by name, so that field order on disk never changes a line. */
  private static BsonDocument canonical(BsonDocument document) {
    var sorted = new TreeMap<String, BsonValue>(document);
    var result = new BsonDocument();
    sorted.forEach(
        (name, value) ->
            result.append(name, value.isDocument() ? canonical(value.asDocument()) : value));
    return result;
  }

  private static void flush(MongoCollection<BsonDocument> target, List<BsonDocument> batch) {
    if (target != null && !batch.isEmpty()) {
      target.insertMany(batch);
    }
    batch.clear();
  }

  private static BufferedReader snapshotReader(InputStream in) throws IOException {
    return new BufferedReader(
        new InputStreamReader(new GZIPInputStream(in, 1 << 16), StandardCharsets.UTF_8));
  }

  private static long readHeader(BufferedReader reader) throws IOException {
    String line = reader.readLine();
    if (line == null) {
      throw new IOException("empty snapshot");
    }
    BsonDocument header;
    try {
      header = BsonDocument.parse(line);
    } catch (RuntimeException e) {
      throw new IOException("snapshot header is not JSON: " + line, e);
    }
    if (!header.isNumber("format")
        || header.getNumber("format").intValue() != SNAPSHOT_FORMAT
        || !header.isNumber("appliedIndex")) {
      throw new IOException("unsupported snapshot header: " + line);
    }
    return header.getNumber("appliedIndex").longValue();
  }

  private Bson filter(Class<? extends Entity> type, Criterion... criteria) {
    if (criteria.length == 0) {
      return new BsonDocument();
    }
    List<Bson> filters = new ArrayList<>(criteria.length);
    for (Criterion criterion : criteria) {
      String field = RecordDocuments.fieldOf(type, criterion.field());
      Object value = RecordDocuments.toStored(criterion.value());
      // eq on an array field matches when the array contains the value, as the port asks
      filters.add(
          switch (criterion.op()) {
            case EQ -> Filters.eq(field, value);
            case LTE -> Filters.lte(field, value);
          });
    }
    return filters.size() == 1 ? filters.get(0) : Filters.and(filters);
  }

  private static Document toRedo(Change change) {
    if (change instanceof Change.Put put) {
      return new Document("op", "put")
          .append("collection", RecordDocuments.collectionOf(put.entity().getClass()))
          .append("document", RecordDocuments.toDocument(put.entity()));
    }
    var delete = (Change.Delete) change;
    return new Document("op", "delete")
        .append("collection", RecordDocuments.collectionOf(delete.type()))
        .append("id", delete.id());
  }

  /** Replays redo entries; each is idempotent, so replaying a half-done commit is safe. */
  private void apply(List<Document> redo) {
    for (Document change : redo) {
      MongoCollection<Document> collection = database.getCollection(change.getString("collection"));
      if ("put".equals(change.getString("op"))) {
        Document document = change.get("document", Document.class);
        collection.replaceOne(
            Filters.eq(RecordDocuments.ID, document.get(RecordDocuments.ID)), document, upsert());
      } else {
        collection.deleteOne(Filters.eq(RecordDocuments.ID, change.getString("id")));
      }
    }
  }

  /**
   * Reads the applied index, and finishes a commit interrupted by a crash (its redo record is still
   * there) or drops a redo record that is not above the applied index.
   */
  private void recover() {
    Document applied = meta.find(Filters.eq(RecordDocuments.ID, APPLIED)).first();
    appliedIndex = applied == null ? 0 : ((Number) applied.get(INDEX)).longValue();
    Document pending = applied == null ? null : applied.get(PENDING, Document.class);
    if (pending == null) {
      return;
    }
    long index = ((Number) pending.get(INDEX)).longValue();
    if (index > appliedIndex) {
      apply(pending.getList("changes", Document.class));
      markApplied(index);
    } else {
      markApplied(appliedIndex);
    }
  }

  /** Records {@code index} as applied and, in the same single-document write, no redo record. */
  private void markApplied(long index) {
    writeApplied(index, null);
    appliedIndex = index;
  }

  private void writeApplied(long index, Document pending) {
    var applied = new Document(RecordDocuments.ID, APPLIED).append(INDEX, index);
    if (pending != null) {
      applied.append(PENDING, pending);
    }
    meta.replaceOne(Filters.eq(RecordDocuments.ID, APPLIED), applied, upsert());
  }

  private static ReplaceOptions upsert() {
    return new ReplaceOptions().upsert(true);
  }

  private void createIndexes() {
    index("users", true, "username");
    index("courses", true, "code");
    index("sessions", false, "userId");
    index("sessions", false, "expiresAt");
    index("courses", false, "studentIds");
    index("courses", false, "instructorIds");
    index("materials", false, "courseId");
    index("assignments", false, "courseId");
    index("submissions", false, "assignmentId", "studentId");
    index("submissions", false, "studentId");
    index("grades", false, "assignmentId");
    index("grades", false, "studentId");
    index("grade_events", false, "submissionId");
    index("questions", false, "courseId");
    index("questions", false, "askedBy");
    index("answers", false, "questionId");
  }

  private void index(String collection, boolean unique, String... fields) {
    database
        .getCollection(collection)
        .createIndex(Indexes.ascending(fields), new IndexOptions().unique(unique));
  }
}
