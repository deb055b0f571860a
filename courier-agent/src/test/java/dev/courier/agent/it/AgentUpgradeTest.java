package dev.courier.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.courier.agent.AgentVersion;
import dev.courier.server.testing.ApiClient;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upgrade} end to end: the agent runs from a jar through {@code deploy/courier-agent-launch}
 * under a stand-in supervisor that restarts it like systemd's {@code Restart=on-failure}; packages
 * are agent jars built from this module's classes with another version stamped in, served by a JDK
 * HTTP server on loopback.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AgentUpgradeTest {

  private static final Duration PATIENCE = Duration.ofSeconds(40);
  private static final String OLD = "1.0.0";
  private static final String NEW = "9.9.9";

  @TempDir Path temp;
  private RestartableServer server;
  private HttpServer packages;
  private Supervisor agent;
  private Path jar;
  private Path state;

  @BeforeEach
  void setUp() throws Exception {
    server = new RestartableServer();
    jar = Files.createDirectories(temp.resolve("install")).resolve("courier-agent.jar");
    state = temp.resolve("state");
    agentJar(jar, OLD, "dev.courier.agent.AgentMain");
    Path served = Files.createDirectories(temp.resolve("served"));
    agentJar(served.resolve("good.jar"), NEW, "dev.courier.agent.AgentMain");
    agentJar(served.resolve("broken.jar"), NEW, "dev.courier.agent.NoSuchMain");
    packages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    packages.createContext(
        "/",
        exchange -> {
          Path file = served.resolve(exchange.getRequestURI().getPath().substring(1));
          byte[] body = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
          exchange.sendResponseHeaders(Files.exists(file) ? 200 : 404, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    packages.start();
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close();
    }
    packages.stop(0);
    server.close();
  }

  @Test
  void a_tampered_package_is_refused_and_a_good_one_swaps_in_and_reports_the_new_version()
      throws Exception {
    String agentId = startAndAwaitOnline();
    byte[] installed = Files.readAllBytes(jar);

    JsonNode tampered = awaitFinal(upgrade(agentId, "good.jar", sha256("something else")));
    assertThat(tampered.path("status").asText()).as(tampered.toString()).isEqualTo("failed");
    assertThat(tampered.path("error").asText()).contains("sha256 mismatch");
    assertThat(Files.readAllBytes(jar)).as("nothing installed").isEqualTo(installed);

    String good = upgrade(agentId, "good.jar", sha256(temp.resolve("served/good.jar")));
    JsonNode done = awaitFinal(good);

    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
    assertThat(done.path("result").path("metadata").path("version").asText()).isEqualTo(NEW);
    assertThat(Files.readAllBytes(jar))
        .isEqualTo(Files.readAllBytes(temp.resolve("served/good.jar")));
    assertThat(Files.readAllBytes(jar.resolveSibling("courier-agent.jar.previous")))
        .isEqualTo(installed);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(
                        server
                            .admin()
                            .get("/api/v1/agents/" + agentId)
                            .json()
                            .path("version")
                            .asText())
                    .isEqualTo(NEW));
    assertThat(state.resolve("upgrade")).doesNotExist();
  }

  @Test
  void a_package_that_cannot_start_is_rolled_back_and_the_upgrade_reported_failed()
      throws Exception {
    String agentId = startAndAwaitOnline();
    byte[] installed = Files.readAllBytes(jar);

    String broken = upgrade(agentId, "broken.jar", sha256(temp.resolve("served/broken.jar")));
    JsonNode done = awaitFinal(broken);

    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
    assertThat(done.path("error").asText()).contains("did not come up", "rolled back to " + OLD);
    assertThat(Files.readAllBytes(jar)).isEqualTo(installed);
    assertThat(agent.starts()).as("old, broken new, old again").isGreaterThanOrEqualTo(3);
  }

  @Test
  void a_new_version_that_cannot_reach_the_server_in_time_is_rolled_back_and_reported_on_return()
      throws Exception {
    String agentId = startAndAwaitOnline();
    byte[] installed = Files.readAllBytes(jar);

    String good = upgrade(agentId, "good.jar", sha256(temp.resolve("served/good.jar")));
    await().atMost(PATIENCE).until(() -> Files.exists(state.resolve("upgrade/pending")));
    server.stop();
    await().atMost(PATIENCE).until(() -> Files.exists(state.resolve("upgrade/rolled_back")));
    server.restart();
    JsonNode done = awaitFinal(good);

    assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("failed");
    assertThat(done.path("error").asText())
        .contains("did not reach the server within 10 s", "rolled back to " + OLD);
    assertThat(Files.readAllBytes(jar)).isEqualTo(installed);
  }

  // ---- helpers

  private String startAndAwaitOnline() {
    ApiClient.Response token =
        server.admin().post("/api/v1/enrollment-tokens", Map.of("max_uses", 1));
    List<String> args =
        List.of(
            "--server",
            server.baseUrl(),
            "--enroll",
            token.text("token"),
            "--heartbeat-seconds",
            "2",
            "--shutdown-grace-seconds",
            "1",
            "--upgrade-origins",
            "http://127.0.0.1:" + packages.getAddress().getPort(),
            "--upgrade-deadline-seconds",
            "10");
    agent = new Supervisor(args);
    Path identity = state.resolve("identity.json");
    await().atMost(PATIENCE).until(() -> Files.exists(identity));
    String id = dev.courier.agent.sdk.AgentIdentity.load(identity).orElseThrow().agentId().value();
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                server
                    .admin()
                    .get("/api/v1/agents/" + id)
                    .json()
                    .path("status")
                    .asText()
                    .equals("online"));
    return id;
  }

  private String upgrade(String agentId, String file, String sha256) {
    ApiClient.Response created =
        server
            .admin()
            .post(
                "/api/v1/commands",
                Map.of(
                    "agent_id",
                    agentId,
                    "type",
                    "upgrade",
                    "params",
                    Map.of(
                        "download_url",
                        "http://127.0.0.1:" + packages.getAddress().getPort() + "/" + file,
                        "sha256",
                        sha256,
                        "target_version",
                        NEW)));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private JsonNode awaitFinal(String commandId) {
    try {
      return await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> server.admin().get("/api/v1/commands/" + commandId).json(),
              c ->
                  List.of("completed", "failed", "timed_out", "cancelled", "expired")
                      .contains(c.path("status").asText()));
    } catch (RuntimeException | AssertionError e) {
      System.err.println(agent.log());
      throw e;
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * An agent jar: this module's classes, {@code version} in version.properties, and a manifest
   * class path naming the test class path's jars (the installed agent's lib/ in a real deployment).
   */
  private static void agentJar(Path out, String version, String mainClass) throws Exception {
    Path classes =
        Path.of(AgentVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    manifest.getMainAttributes().putValue("Enable-Native-Access", "ALL-UNNAMED");
    List<String> classPath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.endsWith(".jar")) {
        classPath.add(Path.of(entry).toUri().toString());
      }
    }
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    try (JarOutputStream jarOut = new JarOutputStream(Files.newOutputStream(out), manifest);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
        jarOut.putNextEntry(new JarEntry(name));
        if (name.equals("dev/courier/agent/version.properties")) {
          jarOut.write(("version=" + version + "\n").getBytes(StandardCharsets.UTF_8));
        } else {
          jarOut.write(Files.readAllBytes(file));
        }
        jarOut.closeEntry();
      }
    }
  }

  /** Runs the launcher script and starts it again when it exits non-zero (not 2), as systemd. */
  private final class Supervisor implements AutoCloseable {
    private final List<String> args;
    private final Path log;
    private final Thread loop;
    private volatile Process process;
    private volatile boolean closed;
    private volatile int starts;

    Supervisor(List<String> args) {
      this.args = args;
      try {
        this.log = Files.createTempFile(temp, "agent-", ".log");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      this.loop = Thread.ofPlatform().daemon(true).start(this::run);
    }

    private void run() {
      Path launcher = Path.of("..", "deploy", "courier-agent-launch").toAbsolutePath().normalize();
      String java = ProcessHandle.current().info().command().orElseThrow();
      while (!closed) {
        List<String> command = new ArrayList<>(List.of("sh", launcher.toString()));
        command.addAll(args);
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("JAVA", java);
        builder.environment().put("COURIER_AGENT_JAR", jar.toString());
        builder.environment().put("COURIER_AGENT_STATE_DIR", state.toString());
        builder
            .environment()
            .put("COURIER_AGENT_JAVA_OPTS", "-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        try {
          process = builder.start();
          starts++;
          int exit = process.waitFor();
          if (exit == 0 || exit == 2) {
            return;
          }
          Thread.sleep(200); // RestartSec, shortened
        } catch (IOException e) {
          return;
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    int starts() {
      return starts;
    }

    String log() {
      try {
        return "---- supervised agent log ----\n" + Files.readString(log);
      } catch (IOException e) {
        return e.toString();
      }
    }

    @Override
    public void close() {
      closed = true;
      Process current = process;
      if (current != null) {
        current.destroy();
        try {
          if (!current.waitFor(15, TimeUnit.SECONDS)) {
            current.destroyForcibly();
          }
        } catch (InterruptedException e) {
          current.destroyForcibly();
        }
      }
      loop.interrupt();
    }
  }
}
