/**
 * Ollama adapter of the {@code LanguageModel} port: {@link
 * org.lms.infrastructure.ollama.OllamaLanguageModel} (maps every failure to a user-facing {@code
 * LanguageModelException}), {@link org.lms.infrastructure.ollama.OllamaCalls} (MicroProfile Fault
 * Tolerance around the call), {@link org.lms.infrastructure.ollama.OllamaClient} (the MicroProfile
 * REST client, NDJSON streaming and the reply's deadline) and the pure JSON and name rules they
 * share. Application code calls the port, never this package, and never from inside the Raft state
 * machine.
 */
package org.lms.infrastructure.ollama;
