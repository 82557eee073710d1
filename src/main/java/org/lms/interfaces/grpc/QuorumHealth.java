package org.lms.interfaces.grpc;

import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lms.application.port.ClusterStatus;

/**
 * The standard grpc.health.v1.Health service, SERVING only while this node sees a quorum (it knows
 * a leader and has applied nearly everything committed), NOT_SERVING otherwise. The state is
 * polled, so a Watch sees a change within {@link #POLL}.
 */
final class QuorumHealth implements AutoCloseable {
  static final Duration POLL = Duration.ofMillis(500);

  private static final Logger LOG = Logger.getLogger(QuorumHealth.class.getName());

  private final HealthStatusManager health = new HealthStatusManager();
  private final ClusterStatus cluster;
  private final List<String> services;
  private final ScheduledExecutorService poller;
  private ServingStatus current;

  QuorumHealth(ClusterStatus cluster, List<String> services) {
    this.cluster = cluster;
    this.services = services;
    refresh();
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lms-grpc-health");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        this::refresh, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  BindableService service() {
    return health.getHealthService();
  }

  /** Reads the cluster status now and publishes it. */
  synchronized void refresh() {
    ServingStatus status;
    try {
      status = cluster.local().ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "cluster status unavailable", e);
      status = ServingStatus.NOT_SERVING;
    }
    if (status != current) {
      current = status;
      health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
      for (String service : services) {
        health.setStatus(service, status);
      }
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    health.enterTerminalState();
  }
}
