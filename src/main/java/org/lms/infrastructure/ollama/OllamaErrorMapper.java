package org.lms.infrastructure.ollama;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/**
 * Turns Ollama's HTTP errors ({@code {"error": "..."}} with 4xx/5xx) into {@link OllamaFailure}:
 * 4xx is a refused request, 5xx a server failing to answer. Replaces the REST client's default
 * mapper, which would throw a bare {@code WebApplicationException} without Ollama's text.
 */
final class OllamaErrorMapper implements ResponseExceptionMapper<OllamaFailure> {

  @Override
  public boolean handles(int status, MultivaluedMap<String, Object> headers) {
    return status >= 400;
  }

  @Override
  public OllamaFailure toThrowable(Response response) {
    String body;
    try {
      body = response.hasEntity() ? response.readEntity(String.class) : null;
    } catch (RuntimeException unreadable) {
      body = null;
    }
    return failure(response.getStatus(), body);
  }

  /** The failure for an HTTP error {@code status} with {@code body}; pure, for tests. */
  static OllamaFailure failure(int status, String body) {
    String message = OllamaJson.errorMessage(body);
    return status < 500
        ? new OllamaFailure.Refused(status, message)
        : new OllamaFailure.BadReply("HTTP " + status + ": " + message, null);
  }
}
