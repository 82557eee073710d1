package org.lms.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lms.testing.ClusterChannels.as;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.lms.interfaces.grpc.v1.AuthServiceGrpc;
import org.lms.interfaces.grpc.v1.CourseServiceGrpc;
import org.lms.interfaces.grpc.v1.CreateCourseRequest;
import org.lms.interfaces.grpc.v1.CreateCourseResponse;
import org.lms.interfaces.grpc.v1.ListMyCoursesRequest;
import org.lms.interfaces.grpc.v1.LoginRequest;
import org.lms.interfaces.grpc.v1.ReadOptions;
import org.lms.testing.ClusterProcesses;
import org.lms.testing.ClusterProcesses.NodeStatus;
import org.lms.testing.FreePorts;

/**
 * The same {@code target/lms.war} that runs on Payara Micro, deployed unchanged with {@code asadmin
 * deploy} on a full Payara Server 6 domain, the way an admin who runs their own application server
 * would (docs/operations.md, "On a Payara Server 6 domain"). The server is the distribution zip
 * from Maven Central, unpacked by Maven before the integration tests ({@code payara.server.home});
 * the test creates a fresh domain on ports picked now, configures one LMS node of a one-node Raft
 * group through the domain's system properties (the secrets through password aliases), deploys the
 * WAR under the context root {@code /lms}, and checks that the node serves: status, health,
 * metrics, the portal's sign-in, and a write through the gRPC API. The domain is stopped after the
 * class, and by a shutdown hook if the test JVM dies first.
 */
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PayaraServerDomainIT {

  private static final String NODE_ID = "d1";
  private static final String CONTEXT_ROOT = "/lms";
  private static final String ADMIN_PASSWORD = "domain-it-" + UUID.randomUUID();

  private static Domain domain;
  private static ManagedChannel grpc;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  static void deployOnAFreshDomain() {
    long started = System.nanoTime();
    domain = Domain.create();
    domain.start();
    domain.configureNode(ADMIN_PASSWORD);
    domain.deploy(Path.of("target", "lms.war").toAbsolutePath(), CONTEXT_ROOT);
    ClusterProcesses.await(
        Duration.ofMinutes(2),
        "the node on Payara Server ready, leading its one-node group",
        () -> domain.tryStatus().filter(s -> s.ready() && s.isLeader()).isPresent());
    grpc = ManagedChannelBuilder.forAddress("127.0.0.1", domain.grpcPort).usePlaintext().build();
    // the leader proposes the first admin once it is ready, a moment later (signing in before
    // would fail, and repeated failures lock the name for a while)
    ClusterProcesses.await(
        Duration.ofMinutes(1),
        "the first admin created",
        () -> applicationMetrics().containsKey(commandsApplied("BootstrapAdmin")));
    System.out.printf(
        "lms.war deployed on a Payara Server domain and ready after %.1f s in %s%n",
        (System.nanoTime() - started) / 1e9, domain.dir);
  }

  @AfterAll
  static void stopTheDomain() {
    if (grpc != null) {
      grpc.shutdownNow();
    }
    if (domain != null) {
      domain.close();
    }
  }

  @Test
  @Order(1)
  void theNodeNamesItselfAndItsLeaderAndIsReady() throws Exception {
    NodeStatus status = domain.status();
    assertThat(status.nodeId()).isEqualTo(NODE_ID);
    assertThat(status.leaderId()).isEqualTo(NODE_ID);
    assertThat(status.term()).isPositive();

    // MicroProfile Health is served at the server's root, whatever the application's context root
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"status\":\"UP\"").contains("lms-raft");
  }

  @Test
  @Order(2)
  void theStatusPageAndEveryLinkOnItAnswer() throws Exception {
    HttpResponse<String> page = get(CONTEXT_ROOT + "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("LMS node <span id=\"node\">" + NODE_ID + "</span>");
    URI base = page.uri();
    List<String> links = hrefs(page.body());
    assertThat(links).hasSizeGreaterThanOrEqualTo(3);
    for (String link : links) {
      URI target = base.resolve(link);
      assertThat(http.send(request(target).build(), HttpResponse.BodyHandlers.discarding()))
          .as("the status page's link %s (%s)", link, target)
          .extracting(HttpResponse::statusCode)
          .isEqualTo(200);
    }
  }

  @Test
  @Order(3)
  void theAdminSignsInThroughThePortalUnderTheContextRoot() throws Exception {
    var browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<String> form =
        browser.send(
            request(domain.url(CONTEXT_ROOT + "/login.xhtml")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body())
        .contains("<form id=\"signin\"")
        .contains("action=\"" + CONTEXT_ROOT + "/login.xhtml\"")
        .contains("name=\"signin:username\"")
        .contains("name=\"signin:password\"");

    var fields = new LinkedHashMap<String, String>();
    fields.put("signin", "signin");
    fields.put("signin:next", "");
    fields.put("signin:username", "admin");
    fields.put("signin:password", ADMIN_PASSWORD);
    fields.put("signin:submit", "Sign in");
    fields.put("jakarta.faces.ViewState", viewState(form.body()));
    HttpResponse<String> signedIn =
        browser.send(
            request(domain.url(CONTEXT_ROOT + "/login.xhtml"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(fields)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    assertThat(signedIn.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith(CONTEXT_ROOT + "/home.xhtml"));
    assertThat(signedIn.headers().allValues("Set-Cookie"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("LMS_SESSION=")
                    .contains("Path=" + CONTEXT_ROOT)
                    .contains("HttpOnly"));

    HttpResponse<String> home =
        browser.send(
            request(domain.url(CONTEXT_ROOT + "/home.xhtml")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).doesNotContain("<form id=\"signin\"");
  }

  @Test
  @Order(4)
  void theAdminWritesThroughTheGrpcApiAndReadsItBack() {
    String token = adminToken();
    CreateCourseResponse created =
        as(token, CourseServiceGrpc.newBlockingStub(grpc))
            .createCourse(
                CreateCourseRequest.newBuilder()
                    .setCode("PS-101")
                    .setTitle("Deployed on Payara Server")
                    .build());
    assertThat(created.getLogIndex()).isPositive();

    var courses =
        as(token, CourseServiceGrpc.newBlockingStub(grpc))
            .listMyCourses(
                ListMyCoursesRequest.newBuilder()
                    .setReadOptions(ReadOptions.newBuilder().setMinIndex(created.getLogIndex()))
                    .build());
    assertThat(courses.getCoursesList()).extracting(c -> c.getCode()).contains("PS-101");
  }

  @Test
  @Order(5)
  void theApplicationsMetricsAreServedAtTheServersRoot() {
    assertThat(applicationMetrics())
        .hasEntrySatisfying(
            "lms_raft_term{mp_scope=\"application\"}", v -> assertThat(v).isPositive())
        .hasEntrySatisfying(
            "lms_raft_leader{mp_scope=\"application\"}", v -> assertThat(v).isEqualTo(1.0))
        .containsEntry(commandsApplied("BootstrapAdmin"), 1.0)
        .containsEntry(commandsApplied("CreateCourse"), 1.0);
  }

  /** A session token of the first admin, from a sign-in through the gRPC API. */
  private static String adminToken() {
    return AuthServiceGrpc.newBlockingStub(grpc)
        .withDeadlineAfter(30, TimeUnit.SECONDS)
        .login(LoginRequest.newBuilder().setUsername("admin").setPassword(ADMIN_PASSWORD).build())
        .getToken();
  }

  /**
   * The node's {@code lms_*} samples from {@code /metrics?scope=application}, by name and labels
   * (e.g. {@code lms_raft_term{mp_scope="application"}}); empty while it does not answer.
   */
  private static Map<String, Double> applicationMetrics() {
    try {
      HttpResponse<String> metrics = get("/metrics?scope=application");
      if (metrics.statusCode() != 200) {
        return Map.of();
      }
      return metrics
          .body()
          .lines()
          .filter(l -> l.startsWith("lms_"))
          .collect(
              Collectors.toMap(
                  l -> l.substring(0, l.lastIndexOf(' ')),
                  l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)),
                  Double::sum));
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String commandsApplied(String type) {
    return "lms_commands_total{mp_scope=\"application\",type=\"" + type + "\"}";
  }

  // ---------------------------------------------------------------- HTTP helpers

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(request(domain.url(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
  }

  private static List<String> hrefs(String html) {
    Matcher m = Pattern.compile("<a href=\"([^\"#]+)\"").matcher(html);
    var links = new ArrayList<String>();
    while (m.find()) {
      links.add(m.group(1));
    }
    return links;
  }

  private static String viewState(String html) {
    Matcher m =
        Pattern.compile("name=\"jakarta\\.faces\\.ViewState\"[^>]*value=\"([^\"]+)\"")
            .matcher(html);
    assertThat(m.find()).as("a Faces view state in the sign-in form").isTrue();
    return m.group(1);
  }

  private static String formBody(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  // ---------------------------------------------------------------- the domain

  /**
   * One Payara Server domain created for this test under {@code target/}, driven through the
   * distribution's own {@code asadmin}, with every port picked at run time and every listener bound
   * to 127.0.0.1. {@link #close()} stops it ({@code asadmin stop-domain}, then SIGKILL of the pid
   * the domain wrote if it still runs) and deletes it, keeping its {@code server.log}.
   */
  private static final class Domain implements AutoCloseable {
    private static final String NAME = "lms-it";
    private static final Duration ASADMIN_TIMEOUT = Duration.ofMinutes(4);

    private final Path home;
    private final Path dir;
    private final Path domainsDir;
    private final Path dataDir;
    private final int adminPort;
    private final int httpPort;
    private final int raftPort;
    private final int grpcPort;
    private final Map<String, Integer> otherPorts = new LinkedHashMap<>();
    private final Thread shutdownHook = new Thread(this::stop, "payara-domain-shutdown");
    private boolean closed;

    private Domain(Path home) {
      this.home = home;
      this.dir =
          Path.of("target", "payara-domain-" + UUID.randomUUID().toString().substring(0, 8))
              .toAbsolutePath();
      this.domainsDir = dir.resolve("domains");
      this.dataDir = dir.resolve("lms-data");
      int[] ports = FreePorts.loopback(14);
      adminPort = ports[0];
      httpPort = ports[1];
      raftPort = ports[2];
      grpcPort = ports[3];
      // every other listener a domain has, so that none takes its fixed default (8181, 3700, ...)
      String[] others = {
        "http.ssl.port",
        "jms.port",
        "domain.jmxPort",
        "orb.listener.port",
        "orb.ssl.port",
        "orb.mutualauth.port",
        "java.debugger.port",
        "osgi.shell.telnet.port",
        "hazelcast.das.port",
        "hazelcast.start.port"
      };
      for (int i = 0; i < others.length; i++) {
        otherPorts.put(others[i], ports[4 + i]);
      }
    }

    static Domain create() {
      String property = System.getProperty("payara.server.home");
      if (property == null || !Files.isRegularFile(Path.of(property, "bin", "asadmin"))) {
        throw new IllegalStateException(
            "no Payara Server at payara.server.home="
                + property
                + ": run this test through Maven (mvn verify), whose pre-integration-test phase"
                + " unpacks fish.payara.distributions:payara there");
      }
      var domain = new Domain(Path.of(property).toAbsolutePath());
      Runtime.getRuntime().addShutdownHook(domain.shutdownHook);
      String domainProperties =
          domain.otherPorts.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining(":"))
              + ":hazelcast.auto.increment=false";
      domain.asadminLocal(
          "create-domain",
          "--domaindir",
          domain.domainsDir.toString(),
          "--nopassword=true",
          "--checkports=true",
          "--adminport",
          String.valueOf(domain.adminPort),
          "--instanceport",
          String.valueOf(domain.httpPort),
          "--domainproperties",
          domainProperties,
          NAME);
      return domain;
    }

    /**
     * Starts the domain with a pre-boot command file that binds its listeners to 127.0.0.1 and
     * turns off its Hazelcast data grid (which the LMS does not use), as an admin's setup would.
     */
    void start() {
      String config = "configs.config.server-config.";
      String listeners = config + "network-config.network-listeners.network-listener.";
      List<String> commands =
          List.of(
              "set " + listeners + "http-listener-1.address=127.0.0.1",
              "set " + listeners + "http-listener-2.address=127.0.0.1",
              "set " + listeners + "admin-listener.address=127.0.0.1",
              "set " + config + "iiop-service.iiop-listener.orb-listener-1.address=127.0.0.1",
              "set " + config + "iiop-service.iiop-listener.SSL.address=127.0.0.1",
              "set " + config + "iiop-service.iiop-listener.SSL_MUTUALAUTH.address=127.0.0.1",
              "set " + config + "admin-service.jmx-connector.system.address=127.0.0.1",
              "set " + config + "hazelcast-config-specific-configuration.enabled=false");
      try {
        Files.createDirectories(dir);
        Path preBoot = Files.write(dir.resolve("pre-boot-commands.asadmin"), commands);
        asadminLocal(
            "start-domain",
            "--domaindir",
            domainsDir.toString(),
            "--prebootcommandfile",
            preBoot.toString(),
            NAME);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Configures the one LMS node of this domain through the domain's system properties, the
     * secrets through password aliases so they are not stored in clear in {@code domain.xml}.
     */
    void configureNode(String adminPassword) {
      alias("lms-cluster-secret", "domain-it-secret-" + UUID.randomUUID());
      alias("lms-admin-password", adminPassword);
      var properties = new LinkedHashMap<String, String>();
      properties.put("SERVER_NAME", NODE_ID);
      properties.put("LMS_DATA_DIR", dataDir.toString());
      properties.put("FILE_STORAGE_DIR", dataDir.resolve("files").toString());
      properties.put("LMS_RAFT_PEERS", NODE_ID + "=127.0.0.1:" + raftPort);
      properties.put("LMS_GRPC_PEERS", NODE_ID + "=127.0.0.1:" + grpcPort);
      properties.put("LMS_GRPC_PORT", String.valueOf(grpcPort));
      properties.put("LMS_CLUSTER_SECRET", "${ALIAS=lms-cluster-secret}");
      properties.put("LMS_ADMIN_PASSWORD", "${ALIAS=lms-admin-password}");
      // asadmin's list separator is ':', and '=' separates a name from its value: escape both
      String list =
          properties.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue().replace("=", "\\=").replace(":", "\\:"))
              .collect(Collectors.joining(":"));
      asadminRemote("create-system-properties", list);
    }

    void deploy(Path war, String contextRoot) {
      asadminRemote("deploy", "--contextroot", contextRoot, "--name", "lms", war.toString());
    }

    URI url(String path) {
      return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    NodeStatus status() throws IOException, InterruptedException {
      HttpResponse<String> response =
          http.send(
              request(url(CONTEXT_ROOT + "/api/status")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return NodeStatus.parse(response.body());
    }

    Optional<NodeStatus> tryStatus() {
      try {
        return Optional.of(status());
      } catch (IOException | RuntimeException | AssertionError e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private void alias(String name, String secret) {
      Path file = dir.resolve("alias-" + name);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "AS_ADMIN_ALIASPASSWORD=" + secret + "\n");
        asadmin(
            ASADMIN_TIMEOUT,
            List.of(
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(adminPort),
                "--passwordfile",
                file.toString(),
                "create-password-alias",
                name));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // under target/, removed with the domain
        }
      }
    }

    private void asadminLocal(String... args) {
      asadmin(ASADMIN_TIMEOUT, List.of(args));
    }

    private void asadminRemote(String... args) {
      var all =
          new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(adminPort)));
      all.addAll(List.of(args));
      asadmin(ASADMIN_TIMEOUT, all);
    }

    /**
     * Runs the distribution's {@code asadmin} on this test's JDK 17 ({@code AS_JAVA}), with none of
     * the developer's LMS or asadmin settings in its environment (the domain inherits it).
     */
    private String asadmin(Duration timeout, List<String> args) {
      var command = new ArrayList<String>();
      command.add(home.resolve("bin").resolve("asadmin").toString());
      command.add("--interactive=false");
      command.addAll(args);
      long started = System.nanoTime();
      try {
        Files.createDirectories(dir);
        Path output = Files.createTempFile(dir, "asadmin-", ".log");
        var builder =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        env.keySet()
            .removeIf(
                key ->
                    key.startsWith("LMS_")
                        || key.startsWith("AS_")
                        || List.of("SERVER_NAME", "FILE_STORAGE_DIR", "MONGO_URI", "OLLAMA_URL")
                            .contains(key));
        String javaHome = System.getProperty("java.home");
        env.put("AS_JAVA", javaHome);
        env.put("JAVA_HOME", javaHome);
        Process process = builder.start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        String shown = String.join(" ", args);
        System.out.printf(
            "asadmin %s (%.1f s):%n%s",
            shown,
            (System.nanoTime() - started) / 1e9,
            printed.lines().map(l -> "  [asadmin] " + l + "\n").collect(Collectors.joining()));
        if (!finished) {
          throw new IllegalStateException("asadmin " + shown + " took over " + timeout);
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              "asadmin " + shown + " failed (exit " + process.exitValue() + "):\n" + printed);
        }
        return printed;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** The domain's JVM, from the pid file it writes, if it runs and is this test's domain. */
    private Optional<ProcessHandle> process() {
      Path pidFile = domainsDir.resolve(NAME).resolve("config").resolve("pid");
      try {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        String commandLine =
            Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")).replace('\0', ' ');
        return commandLine.contains(domainsDir.resolve(NAME).toString())
            ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
            : Optional.empty();
      } catch (IOException | NumberFormatException e) {
        return Optional.empty();
      }
    }

    /** {@code asadmin stop-domain}, then SIGKILL if the domain's JVM is still there. */
    private synchronized void stop() {
      Optional<ProcessHandle> running = process();
      if (running.isEmpty()) {
        return;
      }
      try {
        asadmin(
            Duration.ofSeconds(60),
            List.of("stop-domain", "--domaindir", domainsDir.toString(), NAME));
      } catch (RuntimeException e) {
        System.out.println("asadmin stop-domain failed, killing the domain: " + e.getMessage());
      }
      running
          .filter(ProcessHandle::isAlive)
          .ifPresent(
              p -> {
                p.destroyForcibly();
                try {
                  p.onExit().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                  System.out.println("the domain's pid " + p.pid() + " survived SIGKILL: " + e);
                }
              });
    }

    /** Stops the domain, keeps its log beside it and deletes the rest (over 250 MB). */
    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        stop();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or about to
        }
        Path log = domainsDir.resolve(NAME).resolve("logs").resolve("server.log");
        try {
          if (Files.exists(log)) {
            Files.copy(log, dir.resolve("server.log"));
          }
          if (Files.isDirectory(domainsDir)) {
            try (Stream<Path> paths = Files.walk(domainsDir)) {
              for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
              }
            }
          }
        } catch (IOException e) {
          System.out.println("could not clean " + domainsDir + ": " + e);
        }
      }
    }
  }
}
