package org.lms.infrastructure.raft;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.lms.application.port.ClusterMembership.ChangeRefused;
import org.lms.application.port.ClusterMembership.ChangeRefused.Reason;
import org.lms.application.port.ClusterStatus.NodeStatus;

/**
 * One requested replacement of a dead member by a new node, and the checks it must pass before the
 * Raft configuration is touched. Kept apart from Ratis so that every refusal can be tested without
 * a cluster; each refusal says in one line what is wrong and changes nothing.
 *
 * @param deadId the member to remove
 * @param newId the node to add in its place: a new id, never one a member had (a node that lost its
 *     storage could otherwise vote twice in one term under its old id)
 * @param newAddress the {@code host:port} of the new node's Raft server
 */
record MemberReplacement(String deadId, String newId, String newAddress) {

  /** A node id: letters, digits, {@code _} and {@code -}, at most 32, a letter or digit first. */
  static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");

  /** {@code host:port}: a host name, IPv4 address or bracketed IPv6 address, and a port. */
  private static final Pattern ADDRESS =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}\\]):(\\d{1,5})");

  /** What {@link #check} found: go ahead, or nothing to do. */
  enum Verdict {
    PROCEED,
    ALREADY_DONE
  }

  MemberReplacement {
    Objects.requireNonNull(deadId, "deadId");
    Objects.requireNonNull(newId, "newId");
    Objects.requireNonNull(newAddress, "newAddress");
  }

  /**
   * Reads a request's three values.
   *
   * @throws ChangeRefused ({@link Reason#BAD_REQUEST}) naming the first missing or malformed one
   */
  static MemberReplacement parse(String deadId, String newId, String newAddress) {
    String dead = required("remove", deadId);
    String added = required("add", newId);
    String address = required("address", newAddress);
    for (String id : List.of(dead, added)) {
      if (!NODE_ID.matcher(id).matches()) {
        throw bad(
            "'"
                + id
                + "' is not a node id (letters, digits, _ and -, at most 32, a letter or digit"
                + " first)");
      }
    }
    if (dead.equals(added)) {
      throw bad(
          "the new node needs a new id, not "
              + dead
              + ": a node under a dead member's id with empty storage could vote twice in one term");
    }
    var m = ADDRESS.matcher(address);
    if (!m.matches()) {
      throw bad("address '" + address + "' is not host:port");
    }
    int port = Integer.parseInt(m.group(1));
    if (port < 1 || port > 65535) {
      throw bad("address '" + address + "' has no port from 1 to 65535");
    }
    return new MemberReplacement(dead, added, address);
  }

  /**
   * Checks the replacement against the group as this node sees it.
   *
   * @param members every member's id to its Raft address, from the replicated configuration
   * @param group every member's status as it answered (this node's own first), {@code UNKNOWN} for
   *     one that did not answer
   * @return whether to go ahead, or that the group already has the new member instead of the dead
   * @throws ChangeRefused saying why not
   */
  Verdict check(Map<String, String> members, List<NodeStatus> group) {
    Set<String> ids = members.keySet();
    if (!ids.contains(deadId) && newAddress.equalsIgnoreCase(members.get(newId))) {
      return Verdict.ALREADY_DONE; // asked again, e.g. after an answer that was lost
    }
    if (!ids.contains(deadId)) {
      throw new ChangeRefused(
          Reason.UNKNOWN_MEMBER,
          deadId + " is not a member of the group (members: " + list(ids) + ")");
    }
    if (ids.contains(newId)) {
      throw new ChangeRefused(
          Reason.CONFLICT, newId + " is a member already; the new node needs an id of its own");
    }
    for (var member : members.entrySet()) {
      if (member.getValue().equalsIgnoreCase(newAddress)) {
        throw new ChangeRefused(
            Reason.CONFLICT,
            "address " + newAddress + " is the Raft address of member " + member.getKey());
      }
    }
    NodeStatus dead =
        group.stream().filter(s -> s.nodeId().equals(deadId)).findFirst().orElse(null);
    if (dead != null && !dead.isUnknown()) {
      throw new ChangeRefused(
          Reason.CONFLICT,
          deadId
              + " still answers (Raft role "
              + dead.role()
              + "); only a dead node is replaced: stop it first");
    }
    List<String> ready =
        group.stream()
            .filter(s -> !s.nodeId().equals(deadId) && ids.contains(s.nodeId()) && s.ready())
            .map(NodeStatus::nodeId)
            .sorted()
            .toList();
    int majority = ids.size() / 2 + 1;
    if (ready.size() < majority) {
      throw new ChangeRefused(
          Reason.UNAVAILABLE,
          "the group has no ready majority without "
              + deadId
              + ": "
              + (ready.isEmpty()
                  ? "no member is"
                  : list(ready) + (ready.size() == 1 ? " is" : " are"))
              + " ready, "
              + majority
              + " of "
              + ids.size()
              + " must be");
    }
    return Verdict.PROCEED;
  }

  private static String required(String name, String value) {
    if (value == null || value.isBlank()) {
      throw bad("'" + name + "' is missing");
    }
    return value.strip();
  }

  private static ChangeRefused bad(String message) {
    return new ChangeRefused(Reason.BAD_REQUEST, message);
  }

  private static String list(java.util.Collection<String> ids) {
    return String.join(", ", ids.stream().sorted().toList());
  }
}
