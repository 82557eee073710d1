package org.lms.infrastructure.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>A material whose bytes could not be fetched (at start the peers may not be up yet; a node that
 * was down may lack the file) is tried again later, a few times with growing pauses, as long as it
 * is still in the store; after the last try it waits for the next start's rebuild.
 */
public final class KnowledgeUpkeep implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(KnowledgeUpkeep.class.getName());

  /** The pauses before each further try of a material whose bytes could not be fetched. */
  static final List<Duration> RETRIES =
      List.of(
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofMinutes(2),
          Duration.ofMinutes(10),
          Duration.ofMinutes(30));

  private final LuceneCourseKnowledge knowledge;
  private final StateStore store;
  private final List<Duration> retries;
  private final ScheduledExecutorService worker;

  public KnowledgeUpkeep(LuceneCourseKnowledge knowledge, StateStore store, String nodeId) {
    this(knowledge, store, nodeId, RETRIES);
  }

  KnowledgeUpkeep(
      LuceneCourseKnowledge knowledge, StateStore store, String nodeId, List<Duration> retries) {
    this.knowledge = knowledge;
    this.store = store;
    this.retries = List.copyOf(retries);
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lms-knowledge-" + nodeId);
              t.setDaemon(true);
              return t;
            });
  }

  /** Rebuilds the index from what the store holds now, in the background. */
  public void rebuild() {
    run(
        "rebuild",
        () -> {
          for (Material unfetched : knowledge.rebuild()) {
            retry(unfetched.id(), 0);
          }
        });
  }

  /** The applied-command listener: index what was added, drop what was removed. */
  public void applied(Command command, CommandResult result) {
    if (result.rejection().isPresent()) {
      return;
    }
    if (command instanceof AddMaterial c) {
      run("index " + c.materialId(), () -> index(c.materialId(), 0));
    } else if (command instanceof RemoveMaterial c) {
      run("drop " + c.materialId(), () -> knowledge.remove(c.materialId()));
    }
  }

  /** Indexes the material if it is still in the store; try {@code attempt} from 0. */
  private void index(String materialId, int attempt) {
    store
        .get(Material.class, materialId)
        .ifPresent(
            material -> {
              if (!knowledge.add(material)) {
                retry(materialId, attempt);
              }
            });
  }

  private void retry(String materialId, int attempt) {
    if (attempt >= retries.size()) {
      LOG.warning(
          () ->
              "course knowledge: gave up fetching material "
                  + materialId
                  + " after "
                  + attempt
                  + " more tries; the next start's rebuild tries again");
      return;
    }
    Duration pause = retries.get(attempt);
    try {
      worker.schedule(
          () -> guarded("index " + materialId, () -> index(materialId, attempt + 1)),
          pause.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closing: the index dies with the node and is rebuilt at its next start
    }
  }

  private void run(String what, Runnable task) {
    try {
      worker.execute(() -> guarded(what, task));
    } catch (RejectedExecutionException e) {
      // closing: the index dies with the node and is rebuilt at its next start
    }
  }

  private static void guarded(String what, Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "course knowledge: " + what + " failed", e);
    }
  }

  @Override
  public void close() throws Exception {
    worker.shutdownNow();
    knowledge.close();
  }
}
