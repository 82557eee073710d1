package org.lms.interfaces.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lms.application.port.ClusterMembership;
import org.lms.application.port.ClusterMembership.ChangeRefused;
import org.lms.application.port.ClusterMembership.Member;
import org.lms.application.port.ClusterStatus;

/**
 * {@code /api/admin/members}, for the cluster's operator ({@code ./lms replace-node}): the Raft
 * group's members, and the replacement of a dead member by a new, empty node. A refused change
 * answers 4xx or 503 with a one-line reason in plain text and changes nothing.
 */
@Path("admin/members")
@RequestScoped
@OperatorOnly
public class MembersResource {

  private static final Logger LOG = Logger.getLogger(MembersResource.class.getName());

  @Inject ClusterMembership membership;
  @Inject ClusterStatus status;

  /** One member: its id, Raft address, and gRPC address (null while this node does not know it). */
  public record MemberView(String id, String raftAddress, String grpcAddress) {
    static List<MemberView> of(List<Member> members) {
      return members.stream()
          .map(m -> new MemberView(m.id(), m.raftAddress(), m.grpcAddress().orElse(null)))
          .toList();
    }
  }

  /** The answer to {@code GET}: which node answered, and the members as it knows them. */
  public record MembersView(String nodeId, List<MemberView> members) {}

  /**
   * The answer to a replacement: the members afterwards, this node's commit index once the change
   * was committed (the new member has caught up when it has applied it), and whether the change had
   * been made already.
   */
  public record ReplacementView(List<MemberView> members, long commitIndex, boolean alreadyDone) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public MembersView members() {
    return new MembersView(status.local().nodeId(), MemberView.of(membership.members()));
  }

  /**
   * {@code POST remove=n3&add=n4&address=host:port} (form-encoded): replaces the dead member {@code
   * remove} by the new node {@code add}, whose Raft server listens on {@code address} and waits to
   * be added. Returns once the new configuration is committed, which may take as long as the new
   * node needs to come close to the others (at most two minutes).
   */
  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  public Response replace(
      @FormParam("remove") String remove,
      @FormParam("add") String add,
      @FormParam("address") String address) {
    try {
      var done = membership.replace(remove, add, address);
      return Response.ok(
              new ReplacementView(
                  MemberView.of(done.members()), done.commitIndex(), done.alreadyDone()))
          .build();
    } catch (ChangeRefused e) {
      LOG.warning(() -> "refused to replace " + remove + " by " + add + ": " + e.getMessage());
      return refused(e);
    } catch (RuntimeException e) {
      // not a refusal the membership foresaw: still a line for the operator, not a stack trace
      LOG.log(Level.WARNING, "replacing " + remove + " by " + add + " failed", e);
      return refused(
          new ChangeRefused(ChangeRefused.Reason.UNAVAILABLE, "the change failed: " + e, e));
    }
  }

  /** The HTTP answer to a refused change: its status for the reason, and the reason in a line. */
  static Response refused(ChangeRefused refusal) {
    return Response.status(status(refusal.reason()))
        .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
        .entity(oneLine(refusal.getMessage()) + "\n")
        .build();
  }

  static Response.Status status(ChangeRefused.Reason reason) {
    return switch (reason) {
      case BAD_REQUEST -> Response.Status.BAD_REQUEST;
      case UNKNOWN_MEMBER -> Response.Status.NOT_FOUND;
      case CONFLICT -> Response.Status.CONFLICT;
      case UNAVAILABLE -> Response.Status.SERVICE_UNAVAILABLE;
    };
  }

  private static String oneLine(String message) {
    return message == null ? "refused" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
