package org.lms.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One virtual user of the portal, as its browser behaves towards the node it is pinned to: signs in
 * through the real login form and keeps the cookies the node sets ({@code LMS_SESSION}, and the
 * container's session cookie that holds Faces view state), sending them back with every request.
 * Redirects are not followed, so a page that sends the user to sign in shows up as a failure. Used
 * by one thread at a time.
 */
final class PortalUser {
  static final String SESSION_COOKIE = "LMS_SESSION";

  /** On every page of a signed-in user (the header's "signed in as"). */
  static final String SIGNED_IN_MARKER = "id=\"signed-in-as\"";

  /** The sign-in form: a page that shows it did not show what was asked. */
  static final String SIGN_IN_FORM_MARKER = "id=\"signin\"";

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern FORM =
      Pattern.compile("(<form\\b[^>]*\\bid=\"signin\"[^>]*>)(.*?)</form>", Pattern.DOTALL);
  private static final Pattern INPUT = Pattern.compile("<input\\b[^>]*>");
  private static final Pattern ATTRIBUTE = Pattern.compile("\\b([\\w-]+)=\"([^\"]*)\"");

  final String username;
  final boolean instructor;
  final int node;
  private final String password;
  private final String baseUrl;
  private final HttpClient http;
  private final Map<String, String> cookies = new LinkedHashMap<>();

  PortalUser(
      String username,
      String password,
      boolean instructor,
      int node,
      String baseUrl,
      HttpClient http) {
    this.username = username;
    this.password = password;
    this.instructor = instructor;
    this.node = node;
    this.baseUrl = baseUrl;
    this.http = http;
  }

  /** A failed page view or sign-in; its message is the failure's name in the counts. */
  static final class Failure extends RuntimeException {
    Failure(String what) {
      super(what, null, false, false);
    }
  }

  /** How long the two requests of one sign-in took, in nanoseconds. */
  record SignIn(long pageNanos, long postNanos) {}

  /**
   * GETs {@code path} and returns the body, or fails (named {@code what}) when the answer is not
   * 200, shows the sign-in form, or lacks one of {@code markers}.
   */
  String view(String what, String path, List<String> markers) {
    HttpResponse<String> response = send(what, get(path));
    if (response.statusCode() != 200) {
      throw new Failure(what + ": HTTP " + response.statusCode());
    }
    String body = response.body();
    if (body.contains(SIGN_IN_FORM_MARKER) || !body.contains(SIGNED_IN_MARKER)) {
      throw new Failure(what + ": sign-in form");
    }
    for (String marker : markers) {
      if (!body.contains(marker)) {
        throw new Failure(what + ": no " + marker);
      }
    }
    return body;
  }

  /**
   * Signs in as a browser does: GET {@code /login.xhtml}, POST its form back with the username and
   * password (Faces' view state and hidden fields as the page gave them), expect the redirect home
   * with a new {@code LMS_SESSION}; then opens home once (not timed) to see the session works.
   */
  SignIn signIn() {
    cookies.remove(SESSION_COOKIE);
    long t0 = System.nanoTime();
    HttpResponse<String> page = send("sign-in page", get("/login.xhtml"));
    long pageNanos = System.nanoTime() - t0;
    if (page.statusCode() != 200) {
      throw new Failure("sign-in page: HTTP " + page.statusCode());
    }
    Matcher form = FORM.matcher(page.body());
    if (!form.find()) {
      throw new Failure("sign-in page: no form");
    }
    String action = attributes(form.group(1)).get("action");
    var fields = new LinkedHashMap<String, String>();
    Matcher input = INPUT.matcher(form.group(2));
    while (input.find()) {
      Map<String, String> a = attributes(input.group());
      String name = a.get("name");
      String type = a.getOrDefault("type", "text");
      if (name == null) {
        continue;
      }
      if (type.equals("hidden") || type.equals("submit")) {
        fields.put(name, a.getOrDefault("value", ""));
      } else if (name.endsWith(":username")) {
        fields.put(name, username);
      } else if (name.endsWith(":password")) {
        fields.put(name, password);
      }
    }
    String body =
        fields.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    long t1 = System.nanoTime();
    HttpResponse<String> posted =
        send(
            "sign-in",
            request(action == null ? "/login.xhtml" : action)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    long postNanos = System.nanoTime() - t1;
    String location = posted.headers().firstValue("Location").orElse("");
    if (posted.statusCode() != 302 || !location.endsWith("/home.xhtml")) {
      throw new Failure("sign-in: HTTP " + posted.statusCode() + " to '" + location + "'");
    }
    if (!cookies.containsKey(SESSION_COOKIE)) {
      throw new Failure("sign-in: no " + SESSION_COOKIE + " cookie");
    }
    view("sign-in", "/home.xhtml", List.of("id=\"greeting\""));
    return new SignIn(pageNanos, postNanos);
  }

  private HttpRequest get(String path) {
    return request(path).GET().build();
  }

  private HttpRequest.Builder request(String path) {
    var builder =
        HttpRequest.newBuilder(URI.create(baseUrl).resolve(unescape(path)))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "text/html");
    if (!cookies.isEmpty()) {
      builder.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining("; ")));
    }
    return builder;
  }

  private HttpResponse<String> send(String what, HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure(what + ": " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(what + ": interrupted");
    }
    keepCookies(response);
    return response;
  }

  /** Keeps what {@code Set-Cookie} sets, forgets what it clears (a browser's cookie jar). */
  private void keepCookies(HttpResponse<?> response) {
    for (String header : response.headers().allValues("Set-Cookie")) {
      String[] parts = header.split(";");
      int eq = parts[0].indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = parts[0].substring(0, eq).trim();
      String value = parts[0].substring(eq + 1).trim();
      boolean cleared = value.isEmpty();
      for (int i = 1; i < parts.length; i++) {
        cleared |= parts[i].trim().toLowerCase(Locale.ROOT).equals("max-age=0");
      }
      if (cleared) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
  }

  private static Map<String, String> attributes(String tag) {
    var attributes = new LinkedHashMap<String, String>();
    Matcher m = ATTRIBUTE.matcher(tag);
    while (m.find()) {
      attributes.put(m.group(1).toLowerCase(Locale.ROOT), unescape(m.group(2)));
    }
    return attributes;
  }

  /** The character references Faces writes in attribute values. */
  private static String unescape(String s) {
    return s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }
}
