package org.lms.infrastructure.ollama;

import java.util.Collection;
import java.util.Locale;

/**
 * Whether the configured model is among those a server lists. Ollama names a model {@code
 * name:tag}; a name without a tag means {@code :latest}, and a registry prefix ({@code
 * registry.ollama.ai/library/}) or a {@code -latest} suffix on the tag names the same model.
 * Different sizes stay different: {@code gemma2:2b} is not {@code gemma2:27b}.
 */
final class ModelNames {
  private static final String DEFAULT_REGISTRY = "registry.ollama.ai/";
  private static final String LIBRARY = "library/";

  private ModelNames() {}

  static boolean installed(String wanted, Collection<String> available) {
    String key = canonical(wanted);
    return available.stream().map(ModelNames::canonical).anyMatch(key::equals);
  }

  /**
   * {@code Gemma2} -> {@code gemma2:latest}; {@code library/gemma2:2b-latest} -> {@code gemma2:2b}.
   */
  static String canonical(String model) {
    String name = model.strip().toLowerCase(Locale.ROOT);
    if (name.startsWith(DEFAULT_REGISTRY)) {
      name = name.substring(DEFAULT_REGISTRY.length());
    }
    if (name.startsWith(LIBRARY)) {
      name = name.substring(LIBRARY.length());
    }
    int colon = name.lastIndexOf(':');
    if (colon < 0 || colon < name.lastIndexOf('/')) {
      return name + ":latest";
    }
    String tag = name.substring(colon + 1);
    if (tag.endsWith("-latest") && tag.length() > "-latest".length()) {
      tag = tag.substring(0, tag.length() - "-latest".length());
    }
    return name.substring(0, colon) + ":" + tag;
  }
}
