package org.lms.infrastructure.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the LMS this code was built as, from a file the build fills in. */
public final class LmsVersion {

  private static final String RESOURCE = "lms-version.properties";

  private LmsVersion() {}

  /** The project version ({@code 0.1.0-SNAPSHOT}), or {@code unknown} when built without Maven. */
  public static String current() {
    try (InputStream in = LmsVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      var properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      return version.isBlank() || version.startsWith("${") ? "unknown" : version.strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
