package dev.courier.bench.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.http.EnrollResponse;
import dev.courier.protocol.http.HeartbeatCommandResult;
import dev.courier.protocol.http.HeartbeatRequest;
import dev.courier.protocol.http.HeartbeatResponse;
import dev.courier.protocol.http.PollResponse;
import dev.courier.protocol.http.PolledCommand;
import dev.courier.protocol.http.ResultReport;
import dev.courier.protocol.http.StatusRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An agent without a WebSocket: either polls (seed 004: list, acknowledge, running, result) or
 * sends HTTP heartbeats (seed 000: the answer carries accepted commands, the next heartbeat their
 * results), at the interval the server answers with. Runs on one virtual thread.
 */
final class HttpAgent implements SimulatedAgent {

  enum Mode {
    POLL,
    HEARTBEAT
  }

  private final ObjectMapper json = ProtocolJson.mapper();
  private final Fleet fleet;
  private final EnrollResponse identity;
  private final HttpClient client;
  private final Mode mode;
  private final List<HeartbeatCommandResult> unsent = new ArrayList<>();
  private volatile boolean stopped;
  private volatile Thread loop;
  private boolean authenticated;

  HttpAgent(Fleet fleet, EnrollResponse identity, HttpClient client, Mode mode) {
    this.fleet = fleet;
    this.identity = identity;
    this.client = client;
    this.mode = mode;
  }

  @Override
  public AgentId id() {
    return identity.agentId();
  }

  @Override
  public String protocol() {
    return mode == Mode.POLL ? "poll" : "heartbeat";
  }

  @Override
  public void start() {
    loop = Thread.ofVirtual().name("bench-http-agent").start(this::run);
  }

  private void run() {
    while (!stopped) {
      Duration wait;
      try {
        wait = mode == Mode.POLL ? pollOnce() : heartbeatOnce();
        if (!authenticated) {
          authenticated = true;
          fleet.authenticated(this, System.nanoTime());
        }
      } catch (IOException | RuntimeException e) {
        fleet.connectFailures.increment();
        wait = fleet.options().minBackoff();
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Duration pollOnce() throws IOException, InterruptedException {
    HttpResponse<byte[]> answer = call("GET", "/api/v1/commands?status=pending&limit=10", null);
    PollResponse poll = json.readValue(answer.body(), PollResponse.class);
    for (PolledCommand command : poll.commands()) {
      fleet.observer().commandReceived(this, command.id(), System.nanoTime());
      String base = "/api/v1/commands/" + command.id().value();
      if (call("POST", base + "/acknowledge", Map.of()).statusCode() != 200) {
        fleet.error(this, "acknowledge of " + command.id() + " refused");
        continue;
      }
      fleet.observer().acceptanceStored(this, command.id(), System.nanoTime());
      call("POST", base + "/status", new StatusRequest(CommandStatus.RUNNING, Instant.now()));
      execute();
      HttpResponse<byte[]> stored =
          call(
              "POST",
              base + "/result",
              new ResultReport(
                  CommandStatus.COMPLETED,
                  Instant.now(),
                  fleet.options().executionDelay().toMillis(),
                  0,
                  "bench",
                  0,
                  null,
                  null,
                  "bench"));
      if (stored.statusCode() == 200) {
        fleet.observer().resultStored(this, command.id(), System.nanoTime());
      } else {
        fleet.error(this, "result of " + command.id() + " refused: " + stored.statusCode());
      }
    }
    return interval(poll.pollIntervalSeconds());
  }

  private Duration heartbeatOnce() throws IOException, InterruptedException {
    List<HeartbeatCommandResult> sending = List.copyOf(unsent);
    HttpResponse<byte[]> answer =
        call(
            "POST",
            "/api/v1/agents/heartbeat",
            new HeartbeatRequest(
                id(),
                "bench-" + id().value(),
                "bench",
                "linux",
                "amd64",
                0L,
                List.of("echo"),
                Map.of(),
                sending));
    if (answer.statusCode() != 200) {
      throw new IOException("heartbeat answered " + answer.statusCode());
    }
    unsent.removeAll(sending);
    long now = System.nanoTime();
    sending.forEach(r -> fleet.observer().resultStored(this, r.commandId(), now));
    HeartbeatResponse beat = json.readValue(answer.body(), HeartbeatResponse.class);
    for (PolledCommand command : beat.pendingCommands()) {
      fleet.observer().commandReceived(this, command.id(), System.nanoTime());
      execute();
      unsent.add(
          new HeartbeatCommandResult(
              command.id(),
              CommandStatus.COMPLETED,
              "bench",
              0,
              fleet.options().executionDelay().toMillis(),
              null,
              null,
              "bench"));
    }
    // Results go out with the next heartbeat, at once rather than a whole interval later.
    return unsent.isEmpty() ? interval(beat.pollIntervalSeconds()) : Duration.ZERO;
  }

  private void execute() throws InterruptedException {
    Duration delay = fleet.options().executionDelay();
    if (!delay.isZero()) {
      Thread.sleep(delay);
    }
  }

  private static Duration interval(Integer seconds) {
    return Duration.ofSeconds(seconds == null || seconds < 1 ? 1 : seconds);
  }

  private HttpResponse<byte[]> call(String method, String path, Object body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(fleet.baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + identity.agentKey());
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public void stop() {
    stopped = true;
    Thread running = loop;
    if (running != null) {
      running.interrupt();
    }
  }
}
