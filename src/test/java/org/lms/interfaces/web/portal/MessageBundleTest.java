package org.lms.interfaces.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lms.domain.model.GradeEvent.GradeChange;

/** Every text key a page or a bean uses is in the portal's one message bundle. */
class MessageBundleTest {

  private static final Pattern PAGE_KEY = Pattern.compile("msg\\['([a-zA-Z0-9.]+)'\\]");
  private static final Pattern BEAN_KEY = Pattern.compile("FacesErrors\\.text\\(\\s*\"([^\"]+)\"");

  @Test
  void everyKeyUsedExists() throws IOException {
    Set<String> used = new TreeSet<>();
    collect(Path.of("src/main/webapp"), ".xhtml", PAGE_KEY, used);
    collect(Path.of("src/main/java/org/lms/interfaces/web/portal"), ".java", BEAN_KEY, used);
    used.add("error.unauthenticated");

    ResourceBundle bundle = ResourceBundle.getBundle(FacesErrors.BUNDLE, Locale.ENGLISH);
    assertThat(used).hasSizeGreaterThan(20);
    assertThat(bundle.keySet()).containsAll(used);
  }

  /** Keys a page builds from a value ({@code 'assignment.show.'.concat(option)}). */
  @Test
  void everyBuiltKeyExists() {
    ResourceBundle bundle = ResourceBundle.getBundle(FacesErrors.BUNDLE, Locale.ENGLISH);
    for (String show : AssignmentBacking.SHOWS) {
      assertThat(bundle.containsKey("assignment.show." + show)).as(show).isTrue();
      assertThat(bundle.containsKey("assignment.submissions.none." + show)).as(show).isTrue();
    }
    for (GradeChange change : GradeChange.values()) {
      assertThat(bundle.containsKey("grade.history.change." + change)).as(change.name()).isTrue();
    }
  }

  @Test
  void argumentsAreFilledIn() {
    assertThat(FacesErrors.text("error.throttled", 30))
        .isEqualTo("Too many failed attempts; try again in 30 seconds.");
  }

  private static void collect(Path root, String suffix, Pattern key, Set<String> into)
      throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
        var m = key.matcher(Files.readString(f));
        while (m.find()) {
          into.add(m.group(1));
        }
      }
    }
  }
}
