package org.lms.application.assistant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.lms.application.port.CourseKnowledge.Passage;
import org.lms.application.port.LanguageModel.ChatMessage;

/**
 * What is sent to the model: the messages, and the passages they quote in the order the prompt
 * numbers them (passage {@code n} is {@code passages.get(n - 1)}).
 */
public record Prompt(List<ChatMessage> messages, List<Passage> passages) {

  public Prompt {
    messages = List.copyOf(messages);
    passages = List.copyOf(passages);
  }

  /**
   * The lowercase hex SHA-256 of the messages, committed with the reply so that an answer can be
   * traced to the exact prompt without storing it: each message as its role, its length and its
   * content, so no two different prompts share a serialization.
   */
  public String sha256() {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      for (ChatMessage message : messages) {
        byte[] content = message.content().getBytes(StandardCharsets.UTF_8);
        digest.update(
            (message.role().name() + ":" + content.length + ":").getBytes(StandardCharsets.UTF_8));
        digest.update(content);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The text of the message the user speaks (the quoted data), for tests and logs. */
  public String userText() {
    return messages.stream()
        .filter(m -> m.role() == org.lms.application.port.LanguageModel.Role.USER)
        .map(ChatMessage::content)
        .reduce("", String::concat);
  }
}
