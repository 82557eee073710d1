package org.lms.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.lms.domain.model.Material;
import org.lms.domain.state.Change;
import org.lms.domain.state.StateStore;

/**
 * Publishes material the way an applied {@code AddMaterial} leaves it: bytes in a blob store and
 * the {@link Material} record in a state store. For tests of what reads material back (the
 * knowledge index) without a state machine.
 */
public final class CourseMaterials {

  private static final Instant UPLOADED = Instant.parse("2025-03-01T09:00:00Z");

  private final StateStore store;
  private final MemoryBlobStore blobs;
  private long index;

  public CourseMaterials(StateStore store, MemoryBlobStore blobs) {
    this.store = store;
    this.blobs = blobs;
    this.index = store.appliedIndex();
  }

  /** Stores {@code bytes} and a material record pointing at them. */
  public Material publish(
      String id, String courseId, String title, String fileName, String mediaType, byte[] bytes) {
    Material material =
        new Material(
            id,
            courseId,
            title,
            fileName,
            bytes.length,
            mediaType,
            blobs.put(bytes),
            "instructor",
            UPLOADED);
    put(material);
    return material;
  }

  /** A Markdown material with {@code text}. */
  public Material publishMarkdown(String id, String courseId, String title, String text) {
    return publish(
        id, courseId, title, id + ".md", "text/markdown", text.getBytes(StandardCharsets.UTF_8));
  }

  /** Stores {@code material} as it is, whether or not its bytes exist. */
  public void put(Material material) {
    store.commit(++index, List.of(new Change.Put(material)));
  }

  /** Deletes the material record (its bytes stay, as blobs are never deleted). */
  public void delete(String materialId) {
    store.commit(++index, List.of(new Change.Delete(Material.class, materialId)));
  }
}
