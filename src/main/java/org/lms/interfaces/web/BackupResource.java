package org.lms.interfaces.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lms.infrastructure.backup.NodeBackup;
import org.lms.infrastructure.backup.NodeBackup.PreparedBackup;
import org.lms.infrastructure.node.LmsNode;

/**
 * {@code GET /api/admin/backup} (the operator's, with the cluster secret): a backup archive of the
 * whole cluster's state as this node holds it at a fresh snapshot, streamed as one tar ({@code
 * ./lms backup}, docs/operations.md). Everything that can fail is done before the first byte, so a
 * refusal is a 503 with the reason; the archive's length is announced, so a download cut short is
 * seen as such.
 */
@Path("admin/backup")
@RequestScoped
@OperatorOnly
public class BackupResource {

  /** The media type of the archive. */
  public static final String TAR = "application/x-tar";

  private static final Logger LOG = Logger.getLogger(BackupResource.class.getName());

  @Inject LmsNode node;

  @GET
  @Produces({TAR, MediaType.TEXT_PLAIN})
  public Response backup() {
    return respond(() -> node.backup());
  }

  /** Where the backup comes from; a seam for the tests of the refusals. */
  @FunctionalInterface
  interface Backups {
    NodeBackup get();
  }

  static Response respond(Backups backups) {
    PreparedBackup prepared;
    try {
      prepared = backups.get().prepare();
    } catch (IOException | IllegalStateException e) {
      // IllegalStateException: the node is not running (starting or stopping)
      LOG.info(() -> "backup refused: " + e.getMessage());
      return Response.status(Response.Status.SERVICE_UNAVAILABLE)
          .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
          .entity("no backup: " + e.getMessage() + "\n")
          .build();
    }
    LOG.info(
        () ->
            "backup of "
                + prepared.manifest().sourceNode()
                + " at index "
                + prepared.manifest().snapshotIndex()
                + ": "
                + prepared.manifest().blobCount()
                + " files, "
                + prepared.length()
                + " bytes");
    StreamingOutput body =
        out -> {
          try (prepared) {
            prepared.writeTo(out);
          } catch (IOException | RuntimeException e) {
            // the response is under way: all we can do is cut it short and say why in the log
            LOG.log(Level.WARNING, "the backup stream broke off: " + e.getMessage(), e);
            throw e;
          }
        };
    return Response.ok(body, TAR)
        .header(HttpHeaders.CONTENT_LENGTH, prepared.length())
        .header(
            HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + prepared.fileName() + "\"")
        .header("X-Lms-Backup-Index", prepared.manifest().snapshotIndex())
        .build();
  }
}
