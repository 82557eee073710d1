package org.lms.infrastructure.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.lms.application.port.BlobStore;
import org.lms.application.port.CourseKnowledge;
import org.lms.application.port.DocumentReader;
import org.lms.application.port.DocumentReader.PageText;
import org.lms.application.port.DocumentReader.UnreadableDocumentException;
import org.lms.domain.model.Material;
import org.lms.domain.state.StateStore;

/**
 * Course knowledge as an in-memory Lucene index of passages (BM25, English stemming and stop
 * words), one index per node. It is a cache of the replicated state, never a source of truth:
 * {@link #rebuild()} derives it from the store's materials and their blobs at start, {@link #add}
 * and {@link #remove} follow applied commands, and every search checks its hits against the store,
 * so a material removed while it was being indexed is never shown.
 *
 * <p>Thread-safe: searches run concurrently with each other and with changes, and see a change once
 * it is complete. Changes are serialized, and {@link #add} and {@link #rebuild} read blobs (maybe
 * from a peer) and parse documents, so call them off the state machine's thread.
 */
public final class LuceneCourseKnowledge implements CourseKnowledge, AutoCloseable {

  /** Fields of one passage document. */
  static final String MATERIAL_ID = "materialId";

  static final String COURSE_ID = "courseId";
  static final String TITLE = "title";
  static final String SECTION = "section";
  static final String PAGE = "page";
  static final String TEXT = "text";

  /**
   * A match in the material's title or the passage's heading says a little more than one in the
   * body text: those words were chosen to say what the text is about.
   */
  private static final float TITLE_BOOST = 1.5f;

  private static final float SECTION_BOOST = 1.5f;

  /** Question words beyond this add nothing a student needs and only cost time. */
  private static final int MAX_QUERY_TERMS = 64;

  private static final int MAX_LIMIT = 100;

  /**
   * Lucene's English stop words plus the words that make a sentence a question ("why", "how",
   * "does", "I"): they say nothing about the topic, and in a heading such as "Why the water cycle
   * matters" they pulled the wrong section up (measured in {@code CourseKnowledgeQualityTest}).
   */
  static final CharArraySet STOP_WORDS = stopWords();

  private static final Logger LOG = Logger.getLogger(LuceneCourseKnowledge.class.getName());

  private final DocumentReader reader;
  private final StateStore store;
  private final BlobStore blobs;
  private final Analyzer analyzer = new EnglishAnalyzer(STOP_WORDS);
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ReentrantLock changes = new ReentrantLock();

  /** An empty index; call {@link #rebuild()} to fill it from the store. */
  public LuceneCourseKnowledge(DocumentReader reader, StateStore store, BlobStore blobs) {
    this.reader = reader;
    this.store = store;
    this.blobs = blobs;
    try {
      this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
      this.searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the in-memory knowledge index", e);
    }
  }

  /**
   * Replaces the index with the passages of every material in the store. A material that cannot be
   * read is left out with a log line; searches see the old index until the new one is complete.
   *
   * @return the materials whose bytes could not be fetched (no node answered, this node's peers not
   *     up yet): worth another {@link #add} later, unlike a file that is not readable text
   */
  public List<Material> rebuild() {
    changes.lock();
    try {
      writer.deleteAll();
      int indexed = 0;
      List<Material> unfetched = new ArrayList<>();
      List<Material> materials = store.find(Material.class);
      for (Material material : materials) {
        Extraction extraction = documentsOf(material);
        if (extraction.indexable()) {
          writer.addDocuments(extraction.documents());
          indexed++;
        } else if (!extraction.fetched()) {
          unfetched.add(material);
        }
      }
      searchers.maybeRefreshBlocking();
      int total = indexed;
      LOG.info(
          () -> "course knowledge: indexed " + total + " of " + materials.size() + " materials");
      return unfetched;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rebuild the knowledge index", e);
    } finally {
      changes.unlock();
    }
  }

  /**
   * Indexes {@code material}, replacing whatever was indexed under its id. A material that cannot
   * be read is left out with a log line.
   *
   * @return false when its bytes could not be fetched, so a later try may succeed
   */
  public boolean add(Material material) {
    Extraction extraction = documentsOf(material);
    if (extraction.indexable()) {
      change(
          () ->
              writer.updateDocuments(new Term(MATERIAL_ID, material.id()), extraction.documents()));
    }
    return extraction.fetched();
  }

  /** Drops the passages of material {@code materialId}; nothing happens if it has none. */
  public void remove(String materialId) {
    change(() -> writer.deleteDocuments(new Term(MATERIAL_ID, materialId)));
  }

  @Override
  public List<Passage> search(String courseId, String question, int limit) {
    if (courseId == null || question == null || limit <= 0) {
      return List.of();
    }
    Optional<Query> query = query(courseId, question);
    if (query.isEmpty()) {
      return List.of();
    }
    int wanted = Math.min(limit, MAX_LIMIT);
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        return passages(searcher, query.get(), courseId, wanted);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search the knowledge index", e);
    }
  }

  @Override
  public void close() throws IOException {
    changes.lock();
    try {
      searchers.close();
      writer.close();
      directory.close();
      analyzer.close();
    } finally {
      changes.unlock();
    }
  }

  /**
   * The best hits that still belong to a material of the course in the store, fetching more from
   * the index while hits of removed materials were dropped.
   */
  private List<Passage> passages(IndexSearcher searcher, Query query, String courseId, int wanted)
      throws IOException {
    Map<String, Boolean> current = new HashMap<>();
    int fetch = wanted * 2 + 8;
    while (true) {
      TopDocs top = searcher.search(query, fetch);
      StoredFields stored = searcher.storedFields();
      List<Passage> found = new ArrayList<>();
      for (ScoreDoc hit : top.scoreDocs) {
        Document doc = stored.document(hit.doc);
        String materialId = doc.get(MATERIAL_ID);
        boolean exists =
            current.computeIfAbsent(
                materialId,
                id ->
                    store
                        .get(Material.class, id)
                        .filter(m -> courseId.equals(m.courseId()))
                        .isPresent());
        if (exists) {
          found.add(
              new Passage(
                  materialId,
                  doc.get(TITLE),
                  doc.getField(PAGE).numericValue().intValue(),
                  doc.get(SECTION),
                  doc.get(TEXT)));
          if (found.size() == wanted) {
            return found;
          }
        }
      }
      if (top.scoreDocs.length < fetch) {
        return found;
      }
      fetch *= 4;
    }
  }

  /**
   * The question as a query built from its analyzed terms, never parsed: a student's text is not
   * query syntax, so quotes, brackets, {@code AND} or {@code *} are just characters (and the
   * analyzer drops them). Empty when no searchable word is left.
   */
  private Optional<Query> query(String courseId, String question) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream tokens = analyzer.tokenStream(TEXT, question)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      while (tokens.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
        terms.add(term.toString());
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot analyze the question", e); // a String cannot fail
    }
    if (terms.isEmpty()) {
      return Optional.empty();
    }
    BooleanQuery.Builder anyTerm = new BooleanQuery.Builder();
    for (String term : terms) {
      anyTerm.add(new TermQuery(new Term(TEXT, term)), Occur.SHOULD);
      anyTerm.add(new BoostQuery(new TermQuery(new Term(TITLE, term)), TITLE_BOOST), Occur.SHOULD);
      anyTerm.add(
          new BoostQuery(new TermQuery(new Term(SECTION, term)), SECTION_BOOST), Occur.SHOULD);
    }
    return Optional.of(
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(COURSE_ID, courseId)), Occur.FILTER)
            .add(anyTerm.build(), Occur.MUST)
            .build());
  }

  /** The passage documents of {@code material}, or empty (logged) when it cannot be read. */
  /**
   * The documents of {@code material}: its passages; none when it is not readable text; or {@link
   * Extraction#UNFETCHED} when its bytes could not be fetched.
   */
  private Extraction documentsOf(Material material) {
    Optional<DocumentFormat> format =
        DocumentFormat.of(material.fileName(), material.mediaType())
            .filter(f -> reader.canRead(material.fileName(), material.mediaType()));
    if (format.isEmpty()) {
      LOG.fine(() -> "course knowledge: " + describe(material) + " is not a text format, skipped");
      return Extraction.SKIPPED;
    }
    InputStream in;
    try {
      in = blobs.open(material.sha256());
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, e, () -> "course knowledge: cannot fetch " + describe(material));
      return Extraction.UNFETCHED;
    }
    List<PageText> pages;
    try (in) {
      pages = reader.read(material.fileName(), material.mediaType(), in);
    } catch (UnreadableDocumentException e) {
      LOG.warning(() -> "course knowledge: left out " + describe(material) + ": " + e.getMessage());
      return Extraction.SKIPPED;
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, e, () -> "course knowledge: cannot read " + describe(material));
      return Extraction.SKIPPED;
    }
    List<Document> documents = new ArrayList<>();
    for (PageText page : pages) {
      for (Passages.Chunk chunk :
          Passages.split(page.text(), format.get() == DocumentFormat.MARKDOWN)) {
        documents.add(document(material, page.page(), chunk));
      }
    }
    return new Extraction(documents, true);
  }

  /** A material's documents ({@code fetched}: its bytes were here or fetched from a peer). */
  private record Extraction(List<Document> documents, boolean fetched) {
    static final Extraction SKIPPED = new Extraction(List.of(), true);
    static final Extraction UNFETCHED = new Extraction(List.of(), false);

    boolean indexable() {
      return !documents.isEmpty();
    }
  }

  private static Document document(Material material, int page, Passages.Chunk chunk) {
    Document doc = new Document();
    doc.add(new StringField(MATERIAL_ID, material.id(), Field.Store.YES));
    doc.add(new StringField(COURSE_ID, material.courseId(), Field.Store.NO));
    // a field value may not be null; a file name is the next best title
    String title = Objects.requireNonNullElse(material.title(), material.fileName());
    doc.add(new TextField(TITLE, Objects.requireNonNullElse(title, ""), Field.Store.YES));
    if (chunk.section() != null) {
      doc.add(new TextField(SECTION, chunk.section(), Field.Store.YES));
    }
    doc.add(new StoredField(PAGE, page));
    doc.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
    return doc;
  }

  private static CharArraySet stopWords() {
    CharArraySet words = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
    words.addAll(
        List.of(
            "what", "why", "how", "when", "where", "which", "who", "whom", "whose", "do", "does",
            "did", "i", "me", "my", "you", "your", "we", "us", "our", "can", "could", "would",
            "should", "am", "been", "has", "have", "had"));
    return CharArraySet.unmodifiableSet(words);
  }

  private static String describe(Material material) {
    return "material " + material.id() + " ('" + material.fileName() + "')";
  }

  private void change(IndexChange change) {
    changes.lock();
    try {
      change.apply();
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot change the knowledge index", e);
    } finally {
      changes.unlock();
    }
  }

  @FunctionalInterface
  private interface IndexChange {
    void apply() throws IOException;
  }
}
