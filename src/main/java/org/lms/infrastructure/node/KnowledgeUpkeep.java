package org.lms.infrastructure.node;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lms.domain.command.AddMaterial;
import org.lms.domain.command.Command;
import org.lms.domain.command.RemoveMaterial;
import org.lms.domain.model.Material;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.StateStore;
import org.lms.infrastructure.knowledge.LuceneCourseKnowledge;

/**
 * Keeps a node's course knowledge in step with its replicated state: rebuilt from the store when
 * the node starts, then a material indexed or dropped after each applied {@code AddMaterial} or
 * {@code RemoveMaterial}. The work (reading PDFs) runs on one thread of its own, in apply order, so
 * the Raft apply thread never waits for it and a later removal never overtakes its addition.
 */
public final class KnowledgeUpkeep implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(KnowledgeUpkeep.class.getName());

  private final LuceneCourseKnowledge knowledge;
  private final StateStore store;
  private final ExecutorService worker;

  public KnowledgeUpkeep(LuceneCourseKnowledge knowledge, StateStore store, String nodeId) {
    this.knowledge = knowledge;
    this.store = store;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "lms-knowledge-" + nodeId);
              t.setDaemon(true);
              return t;
            });
  }

  /** Rebuilds the index from what the store holds now, in the background. */
  public void rebuild() {
    run("rebuild", knowledge::rebuild);
  }

  /** The applied-command listener: index what was added, drop what was removed. */
  public void applied(Command command, CommandResult result) {
    if (result.rejection().isPresent()) {
      return;
    }
    if (command instanceof AddMaterial c) {
      run(
          "index " + c.materialId(),
          () -> store.get(Material.class, c.materialId()).ifPresent(knowledge::add));
    } else if (command instanceof RemoveMaterial c) {
      run("drop " + c.materialId(), () -> knowledge.remove(c.materialId()));
    }
  }

  private void run(String what, Runnable task) {
    try {
      worker.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "course knowledge: " + what + " failed", e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing: the index dies with the node and is rebuilt at its next start
    }
  }

  @Override
  public void close() throws Exception {
    worker.shutdownNow();
    knowledge.close();
  }
}
