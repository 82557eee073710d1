package org.lms.application.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lms.application.Actor;
import org.lms.domain.model.Answer;
import org.lms.domain.model.Citation;
import org.lms.domain.model.Course;
import org.lms.domain.model.Role;
import org.lms.domain.state.Criterion;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.LmsCluster;
import org.lms.testing.RatisCluster;
import org.lms.testing.RatisCluster.Wipe;

/**
 * A replay never calls the model: a node that lost its database rebuilds it from the others' log
 * (or snapshot), and ends with the same answer and citations as the node that called the model,
 * while the model server counts no new call. Its own cluster, because it wipes a node.
 */
@Timeout(180)
class AiReplayIT {

  @Test
  void aNodeRebuiltFromTheLogShowsTheAnswerWithoutCallingTheModel() throws Exception {
    try (var cluster = LmsCluster.start()) {
      RatisCluster raft = cluster.raft();
      Actor admin = cluster.admin();
      Actor teacher = cluster.newUser("teacher", Role.INSTRUCTOR);
      Actor pupil = cluster.newUser("pupil", Role.STUDENT);
      Course course =
          cluster
              .app(0)
              .courses()
              .createCourse(admin, "BIO1", "Biology", List.of(teacher.userId()));
      cluster.app(0).courses().enrol(teacher, course.id(), pupil.userId());
      try (InputStream pdf =
          getClass().getResourceAsStream("/knowledge/corpus/photosynthesis.pdf")) {
        cluster
            .app(0)
            .courses()
            .addMaterial(
                teacher,
                course.id(),
                "Photosynthesis",
                "photosynthesis.pdf",
                "application/pdf",
                pdf);
      }
      awaitIndexed(cluster, 0, course.id());

      cluster.ollama().reply("Chlorophyll reflects green light [1].");
      var result =
          cluster.app(0).assistant().ask(pupil, course.id(), "Why are leaves green?", piece -> {});
      assertThat(result.citations())
          .extracting(Citation::materialTitle)
          .containsExactly("Photosynthesis");
      cluster.sync();
      int calls = cluster.ollama().chatCalls();
      assertThat(calls).isEqualTo(1);

      int wiped = raft.leaderIndex().orElseThrow() == 2 ? 1 : 2;
      raft.kill(wiped);
      raft.restart(wiped, Wipe.DATABASE);
      raft.awaitAllApplied(raft.maxAppliedIndex(), Duration.ofSeconds(60));

      Answer replayed = raft.store(wiped).get(Answer.class, result.answer().id()).orElseThrow();
      assertThat(replayed).isEqualTo(result.answer());
      assertThat(raft.store(wiped).find(Citation.class, Criterion.eq("answerId", replayed.id())))
          .containsExactlyElementsOf(result.citations());
      assertThat(raft.digests()).containsOnly(raft.digests().get(0));
      assertThat(cluster.ollama().chatCalls()).isEqualTo(calls);
    }
  }

  private static void awaitIndexed(LmsCluster cluster, int node, String courseId) {
    ClusterProcesses.await(
        Duration.ofSeconds(30),
        "the material indexed on node " + node,
        () -> !cluster.knowledge(node).search(courseId, "chlorophyll", 1).isEmpty());
  }
}
