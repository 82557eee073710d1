package org.lms.interfaces.web.portal;

import jakarta.faces.context.FacesContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lms.domain.model.Submission;
import org.lms.domain.state.RejectedException;

/** What the portal's page beans share: answering a refused GET, and reading and showing times. */
final class PortalPages {

  /** How the portal shows a moment: in the node's time zone, to the minute. */
  static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm").withZone(ZoneId.systemDefault());

  private PortalPages() {}

  /**
   * Answers a page whose subject the user may not see (or that does not exist) with 403 or 404, so
   * that changing an id in a URL shows nothing of anyone else's; other refusals become a message.
   */
  static void refuse(RejectedException e) {
    int status =
        switch (e.rejection().reason().kind()) {
          case NOT_FOUND -> HttpServletResponse.SC_NOT_FOUND;
          case PERMISSION_DENIED -> HttpServletResponse.SC_FORBIDDEN;
          default -> 0;
        };
    if (status == 0) {
      FacesErrors.show(null, e);
      return;
    }
    FacesContext faces = FacesContext.getCurrentInstance();
    try {
      faces.getExternalContext().responseSendError(status, e.rejection().message());
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
    faces.responseComplete();
  }

  /**
   * A moment typed into an {@code <input type="datetime-local">} ({@code 2026-12-01T17:00}), in the
   * node's time zone; null with a message for {@code field} when it is missing or malformed.
   */
  static Instant parseLocal(String value, String clientId) {
    if (value == null || value.isBlank()) {
      FacesErrors.error(clientId, FacesErrors.text("time.required"));
      return null;
    }
    try {
      return LocalDateTime.parse(value.strip()).atZone(ZoneId.systemDefault()).toInstant();
    } catch (DateTimeParseException e) {
      FacesErrors.error(clientId, FacesErrors.text("time.malformed", value));
      return null;
    }
  }

  /** Points as people write them: {@code 90}, {@code 87.5}, never {@code 90.0}. */
  static String points(double points) {
    return new java.math.BigDecimal(Double.toString(points))
        .setScale(2, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }

  /** Each student's newest version among {@code submissions}, by student id. */
  static Map<String, Submission> newestPerStudent(List<Submission> submissions) {
    Map<String, Submission> newest = new LinkedHashMap<>();
    for (Submission s : submissions) {
      newest.merge(s.studentId(), s, (a, b) -> a.version() >= b.version() ? a : b);
    }
    return newest;
  }

  /**
   * {@code earned} as a share of {@code possible}, to a tenth of a percent ({@code 90.9 %}); empty
   * when nothing is possible (nothing graded, or a maximum of 0).
   */
  static String percent(double earned, double possible) {
    return possible <= 0 ? "" : points(Math.round(1000 * earned / possible) / 10.0) + " %";
  }

  static String show(Instant at) {
    return at == null ? "" : SHOWN.format(at);
  }
}
