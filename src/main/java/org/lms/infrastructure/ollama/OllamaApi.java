package org.lms.infrastructure.ollama;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/**
 * The two calls of Ollama's HTTP API that the LMS makes, as a MicroProfile REST client interface.
 * {@link OllamaClient} builds it with {@code RestClientBuilder} (our own config keys, not {@code
 * mp-rest/url}); an HTTP error becomes an {@link OllamaFailure} through {@link OllamaErrorMapper}.
 * Bodies are JSON text: {@link OllamaJson} writes and reads them, so no JSON provider of the client
 * is involved.
 *
 * <p>Payara logs once at deployment that this "cannot be instantiated and will be ignored": the
 * servlet container hands every class with a JAX-RS annotation to the server side, which then skips
 * it. Harmless; only an explicit class list in the JAX-RS {@code Application} would silence it.
 */
@Path("/api")
public interface OllamaApi {

  /**
   * {@code POST /api/chat}. With {@code "stream": true} the body is NDJSON, one object per line,
   * the last with {@code "done": true}; with {@code false} it is one JSON object. The caller reads
   * and closes the stream.
   */
  @POST
  @Path("chat")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces({"application/x-ndjson", MediaType.APPLICATION_JSON})
  InputStream chat(String requestJson);

  /** {@code GET /api/tags}: the models installed on the server. */
  @GET
  @Path("tags")
  @Produces(MediaType.APPLICATION_JSON)
  String tags();
}
