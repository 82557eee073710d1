package org.lms.interfaces.web;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.lms.application.port.ClusterStatus;

/** Backs {@code index.xhtml}, the node's live status page: one status read per request. */
@Named
@RequestScoped
public class StatusBacking {

  @Inject ClusterStatus clusterStatus;

  private StatusView status;

  @PostConstruct
  void load() {
    status = StatusView.of(clusterStatus.local(), clusterStatus.members());
  }

  public StatusView getStatus() {
    return status;
  }

  /** The group's members, e.g. {@code n1, n2, n4}. */
  public String getMembers() {
    return String.join(", ", status.members());
  }

  /** The leader's id, or a word for its absence, so the page never shows an empty cell. */
  public String getLeader() {
    return status.leaderId() == null ? "none known" : status.leaderId();
  }
}
