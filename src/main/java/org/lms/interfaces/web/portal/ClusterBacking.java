package org.lms.interfaces.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.lms.application.LmsApplication;
import org.lms.application.port.ClusterStatus;
import org.lms.application.port.ClusterStatus.NodeStatus;
import org.lms.application.port.LanguageModel.Health;

/**
 * Backs {@code admin/cluster.xhtml}: every node of the Raft group as it describes itself, the node
 * serving the page first (an admin-only page: the constraint in web.xml says so). Request scoped:
 * each automatic refresh asks the cluster afresh, and the page keeps no state between refreshes.
 */
@Named
@RequestScoped
public class ClusterBacking {

  /** Seconds between automatic refreshes of the table. */
  public static final int REFRESH_SECONDS = 5;

  private static final DateTimeFormatter AS_OF =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  @Inject ClusterStatus cluster;
  @Inject LmsApplication application;

  private List<NodeRow> nodes;
  private Health aiHealth;
  private Instant asOf;

  /** One row of the table, every cell already in words (a node that did not answer has dashes). */
  public record NodeRow(
      String nodeId,
      boolean serving,
      String role,
      String term,
      String commitIndex,
      String appliedIndex,
      String lag,
      String leader,
      String health,
      boolean healthy,
      String lastContact) {}

  /** The group, read once per request (at most about a second: peers are asked with a bound). */
  public List<NodeRow> getNodes() {
    if (nodes == null) {
      asOf = Instant.now();
      nodes = rows(cluster.group());
    }
    return nodes;
  }

  /** The table's rows, one class each, so that the serving node's row can be told apart. */
  public String getRowClasses() {
    return getNodes().stream()
        .map(n -> n.serving() ? "serving" : "peer")
        .collect(Collectors.joining(","));
  }

  /** When the nodes were asked, to the second, so that an admin sees the table refresh. */
  public String getAsOf() {
    getNodes();
    return AS_OF.format(asOf);
  }

  /** The id of the node serving this page (the first row). */
  public String getServingNode() {
    return getNodes().get(0).nodeId();
  }

  /**
   * The AI assistant's model server as this node sees it, in one line; asked when the page loads
   * (not on every refresh: a slow model server must not hold up the table).
   */
  public String getAiHealth() {
    return aiLine(aiHealth());
  }

  /** Whether the model server answers and holds the model (for the line's colour). */
  public boolean isAiUp() {
    return aiHealth().up();
  }

  private Health aiHealth() {
    if (aiHealth == null) {
      aiHealth = application.assistant().health();
    }
    return aiHealth;
  }

  static String aiLine(Health h) {
    String detail = h.detail() == null || h.detail().isBlank() ? "" : " (" + h.detail() + ")";
    if (h.up()) {
      return FacesErrors.text("cluster.ai.up", h.model(), detail);
    }
    return h.reachable()
        ? FacesErrors.text("cluster.ai.noModel", h.model(), detail)
        : FacesErrors.text("cluster.ai.unreachable", h.model(), detail);
  }

  public int getRefreshSeconds() {
    return REFRESH_SECONDS;
  }

  /**
   * The rows for {@code group} (this node first). Lag is how far a node's applied index trails the
   * highest commit index any node reported, so a follower that fell behind shows it even while its
   * own commit index is as stale as its applied one.
   */
  static List<NodeRow> rows(List<NodeStatus> group) {
    long highestCommit =
        group.stream()
            .filter(ClusterBacking::answered)
            .mapToLong(NodeStatus::commitIndex)
            .max()
            .orElse(0);
    List<NodeRow> rows = new ArrayList<>(group.size());
    for (int i = 0; i < group.size(); i++) {
      rows.add(row(group.get(i), i == 0, highestCommit));
    }
    return rows;
  }

  private static NodeRow row(NodeStatus s, boolean serving, long highestCommit) {
    if (!answered(s)) {
      String none = FacesErrors.text("cluster.none");
      return new NodeRow(
          s.nodeId(),
          serving,
          s.isDown()
              ? FacesErrors.text("cluster.role.down")
              : FacesErrors.text("cluster.role.unknown"),
          none,
          none,
          none,
          none,
          none,
          s.isDown()
              ? FacesErrors.text("cluster.health.down")
              : FacesErrors.text("cluster.health.unreachable"),
          false,
          none);
    }
    return new NodeRow(
        s.nodeId(),
        serving,
        s.role(),
        Long.toString(s.term()),
        Long.toString(s.commitIndex()),
        Long.toString(s.appliedIndex()),
        Long.toString(Math.max(0, highestCommit - s.appliedIndex())),
        s.isLeader()
            ? FacesErrors.text("cluster.leader.itself")
            : s.leaderId().orElse(FacesErrors.text("cluster.leader.none")),
        s.ready()
            ? FacesErrors.text("cluster.health.ready")
            : FacesErrors.text("cluster.health.notReady"),
        s.ready(),
        s.lastContact()
            .map(ClusterBacking::ago)
            .orElse(
                s.isLeader()
                    ? FacesErrors.text("cluster.contact.leads")
                    : FacesErrors.text("cluster.none")));
  }

  /** Whether the node answered with its own account (not unreachable, its Raft server running). */
  private static boolean answered(NodeStatus s) {
    return !s.isUnknown() && !s.isDown();
  }

  private static String ago(Duration d) {
    return FacesErrors.text("cluster.contact.ago", d.toMillis() / 1000.0);
  }
}
