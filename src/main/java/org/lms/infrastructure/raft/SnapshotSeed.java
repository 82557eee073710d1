package org.lms.infrastructure.raft;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a node whose Raft storage is new takes its first state from instead of starting empty: a
 * restore from a backup. The node installs the seed as its Raft snapshot, so its log starts after
 * the seed's index, and loads its store from it.
 */
@FunctionalInterface
public interface SnapshotSeed {

  /**
   * Makes the snapshot file ready. Called at most once, on the Raft start thread, and only when
   * this node's Raft storage holds no log, no snapshot and no term yet; the caller moves the file
   * into Raft's storage.
   *
   * @throws IOException when the seed cannot be used; the node's Raft server then does not start
   */
  Seed prepare() throws IOException;

  /**
   * A snapshot file as {@code MongoStateStore#writeSnapshot} writes it, with the Raft position of
   * its state.
   *
   * @param file a file the caller may move (on the file system of the node's data directory)
   * @param term the term of the last log entry the state contains
   * @param index that entry's index
   */
  record Seed(Path file, long term, long index) {}
}
