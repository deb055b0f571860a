package dev.courier.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.config.AtomicFiles;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.http.LocalRunReport;
import dev.courier.protocol.http.LocalRunsRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local schedule runs waiting for the server: one fsynced file per run in {@code
 * <state-dir>/local-outbox/}, sent oldest first in batches of up to {@link #BATCH} to {@code POST
 * /api/v1/agents/local-runs} with the agent's key, and deleted once the server answered 200. The
 * server records a run id once, so a batch resent after a crash or a lost answer records nothing
 * twice. A run the server refuses as invalid (400) is set aside as {@code .rejected} with a log
 * line, so it cannot block the others; anything else is retried with backoff.
 */
final class LocalRunUploads implements AutoCloseable {

  static final int BATCH = 100;
  static final String DIR = "local-outbox";
  private static final Duration IDLE_CHECK = Duration.ofSeconds(60);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(LocalRunUploads.class);

  private final Path dir;
  private final AgentIdentity identity;
  private final URI server;
  private final HttpClient http;
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean stopped;
  private Thread loop;

  LocalRunUploads(Path stateDir, AgentIdentity identity, URI server) {
    this.dir = stateDir.resolve(DIR);
    this.identity = identity;
    this.server = server;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** Stores a run for upload (durably) and wakes the sender. */
  void enqueue(LocalRunReport report) throws IOException {
    AtomicFiles.write(
        dir.resolve(report.localRunId() + ".json"),
        ProtocolJson.mapper().writeValueAsBytes(report));
    wake.release();
  }

  /** Runs waiting for upload. */
  int pending() {
    return files().size();
  }

  void start() {
    loop = Thread.ofVirtual().name("courier-local-uploads").start(this::run);
  }

  private void run() {
    Duration pause = Duration.ZERO;
    Duration backoff = Duration.ofSeconds(1);
    while (!stopped) {
      try {
        if (wake.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS)) {
          wake.drainPermits();
        }
      } catch (InterruptedException e) {
        return;
      }
      if (stopped) {
        return;
      }
      try {
        if (uploadAll()) {
          backoff = Duration.ofSeconds(1);
          pause = IDLE_CHECK;
        } else {
          pause = backoff;
          backoff =
              backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                  ? MAX_BACKOFF
                  : backoff.multipliedBy(2);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("uploading local runs failed; retrying", e);
        pause = backoff;
      }
    }
  }

  /** Sends everything waiting, batch by batch; true when nothing is left. */
  boolean uploadAll() throws InterruptedException {
    while (!stopped) {
      List<Path> batch = files().stream().limit(BATCH).toList();
      if (batch.isEmpty()) {
        return true;
      }
      if (!upload(batch)) {
        return false;
      }
    }
    return false;
  }

  private boolean upload(List<Path> batch) throws InterruptedException {
    List<LocalRunReport> runs = new ArrayList<>();
    List<Path> sent = new ArrayList<>();
    for (Path file : batch) {
      try {
        runs.add(ProtocolJson.mapper().readValue(file.toFile(), LocalRunReport.class));
        sent.add(file);
      } catch (IOException | RuntimeException e) {
        setAside(file, "unreadable: " + e.getMessage());
      }
    }
    if (runs.isEmpty()) {
      return true;
    }
    HttpResponse<String> response;
    try {
      byte[] body = ProtocolJson.mapper().writeValueAsBytes(new LocalRunsRequest(runs));
      response =
          http.send(
              HttpRequest.newBuilder(server.resolve("/api/v1/agents/local-runs"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Authorization", "Bearer " + identity.agentKey())
                  .header("X-Courier-Agent-Id", identity.agentId().value())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      LOG.debug("local runs not uploaded ({}); retrying", e.toString());
      return false;
    }
    int status = response.statusCode();
    if (status == 200) {
      for (Path file : sent) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          LOG.warn("cannot delete uploaded local run {}: {}", file, e.toString());
        }
      }
      AtomicFiles.syncDirectory(dir);
      LOG.info("uploaded {} local run(s) to {}", sent.size(), server);
      return true;
    }
    if (status == 400) {
      String field = field(response.body());
      int index = indexIn(field);
      if (index >= 0 && index < sent.size()) {
        setAside(sent.get(index), "refused by the server: " + response.body());
        return true; // the rest goes in the next batch
      }
    }
    LOG.warn("uploading local runs: the server answered HTTP {}; retrying", status);
    return false;
  }

  private static String field(String body) {
    try {
      JsonNode problem = ProtocolJson.mapper().readTree(body);
      return problem.path("field").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  /** The run index of a field like {@code runs[3].local_run_id}, or -1. */
  private static int indexIn(String field) {
    if (!field.startsWith("runs[")) {
      return -1;
    }
    int end = field.indexOf(']');
    try {
      return Integer.parseInt(field.substring(5, end));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private void setAside(Path file, String why) {
    Path aside = file.resolveSibling(file.getFileName() + ".rejected");
    LOG.error("local run {} is not uploaded ({}); kept as {}", file.getFileName(), why, aside);
    try {
      Files.move(file, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      LOG.error("cannot set {} aside: {}", file, e.toString());
    }
  }

  private List<Path> files() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(f -> f.getFileName().toString().endsWith(".json"))
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .sorted(
              (a, b) -> {
                try {
                  return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
                } catch (IOException e) {
                  return a.compareTo(b);
                }
              })
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    stopped = true;
    wake.release();
    if (loop != null) {
      loop.interrupt();
    }
  }
}
