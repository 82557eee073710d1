package org.lms.interfaces.web;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.lms.application.port.LanguageModel.Health;

/** What {@code GET /api/ai/health} answers; {@code status} is {@code UP} or {@code DOWN}. */
@JsonbPropertyOrder({"status", "reachable", "model", "modelPresent", "detail"})
public record AiHealthView(
    String status, boolean reachable, String model, boolean modelPresent, String detail) {

  static AiHealthView of(Health health) {
    return new AiHealthView(
        health.up() ? "UP" : "DOWN",
        health.reachable(),
        health.model(),
        health.modelPresent(),
        health.detail());
  }
}
