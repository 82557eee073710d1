package org.lms.infrastructure.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.lms.application.port.ClusterStatus.NodeStatus;
import org.lms.application.port.LanguageModel.Failure;
import org.lms.domain.command.Command;
import org.lms.domain.state.CommandResult;
import org.lms.domain.state.Rejection;
import org.lms.infrastructure.blobs.BlobTraffic;

/**
 * This node's {@code lms_*} metrics in the application's MicroProfile Metrics registry, all named
 * here. Payara's Prometheus exporter adds the unit to a name ({@code _seconds}, {@code _bytes}) and
 * {@code _total} to a counter's, so {@code lms_commands} is scraped as {@code lms_commands_total};
 * docs/operations.md lists the scraped names.
 */
public final class NodeMetrics implements CommandMetrics, AiMetrics, BlobTraffic {

  private final MetricRegistry registry;

  public NodeMetrics(MetricRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Gauges over this node's Raft status, read at each scrape. */
  public void watchRaft(Supplier<NodeStatus> local) {
    gauge("lms_raft_term", "The Raft term this node is in.", () -> local.get().term());
    gauge(
        "lms_raft_commit_index",
        "The highest log index this node knows to be committed.",
        () -> local.get().commitIndex());
    gauge(
        "lms_raft_applied_index",
        "The highest log index this node has applied to its store.",
        () -> local.get().appliedIndex());
    gauge(
        "lms_raft_leader",
        "1 while this node leads the Raft group, else 0.",
        () -> local.get().isLeader() ? 1 : 0);
  }

  /** Ratis told this node of a new leader (or of none, during an election). */
  public void leaderChanged() {
    registry
        .counter(
            meta(
                "lms_raft_leader_changes",
                "Leader changes this node has seen since it started.",
                MetricUnits.NONE))
        .inc();
  }

  /** A command this node has just applied: counted by type, and by reason when rejected. */
  public void applied(Command command, CommandResult result) {
    registry
        .counter(
            meta("lms_commands", "Commands applied by this node, by type.", MetricUnits.NONE),
            new Tag("type", command.getClass().getSimpleName()))
        .inc();
    result.rejection().ifPresent(r -> rejection(r, "log"));
  }

  @Override
  public void refused(Rejection rejection) {
    rejection(rejection, "check");
  }

  /**
   * @param stage {@code log} for a committed command the state machine refused (counted on every
   *     node), {@code check} for one the accepting node refused before proposing it
   */
  private void rejection(Rejection rejection, String stage) {
    registry
        .counter(
            meta(
                "lms_rejections",
                "Commands refused, by reason, before the log (check) or by it (log).",
                MetricUnits.NONE),
            new Tag("reason", rejection.reason().name()),
            new Tag("stage", stage))
        .inc();
  }

  @Override
  public void submitted(String type, Duration took) {
    registry
        .timer(
            meta(
                "lms_command",
                "Time from proposing a command on this node until it applied it, by type.",
                MetricUnits.SECONDS),
            new Tag("type", type))
        .update(took);
  }

  @Override
  public void stored(long bytes) {
    blobBytes("stored", bytes);
  }

  @Override
  public void fetched(long bytes) {
    blobBytes("fetched", bytes);
  }

  private void blobBytes(String direction, long bytes) {
    registry
        .counter(
            meta(
                "lms_blob",
                "File bytes stored through this node, or fetched by it from a peer.",
                MetricUnits.BYTES),
            new Tag("direction", direction))
        .inc(bytes);
  }

  @Override
  public void called(Duration took, Optional<Failure> failure) {
    registry.counter(meta("lms_ai_calls", "Calls to the language model.", MetricUnits.NONE)).inc();
    registry
        .timer(
            meta(
                "lms_ai_call",
                "Time from a call to the language model until its whole reply or its failure.",
                MetricUnits.SECONDS))
        .update(took);
    failure.ifPresent(
        f ->
            registry
                .counter(
                    meta(
                        "lms_ai_failures",
                        "Calls to the language model that gave no answer, by failure.",
                        MetricUnits.NONE),
                    new Tag("failure", f.name()))
                .inc());
  }

  private void gauge(String name, String description, Supplier<Number> value) {
    registry.gauge(meta(name, description, MetricUnits.NONE), () -> value.get().longValue());
  }

  private static Metadata meta(String name, String description, String unit) {
    return Metadata.builder().withName(name).withDescription(description).withUnit(unit).build();
  }
}
