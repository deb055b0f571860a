package dev.courier.agent.sdk.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import dev.courier.protocol.http.AcknowledgeRequest;
import dev.courier.protocol.http.HeartbeatRequest;
import dev.courier.protocol.http.HeartbeatResponse;
import dev.courier.protocol.http.PollResponse;
import dev.courier.protocol.http.ResultReport;
import dev.courier.protocol.http.StatusRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP side of the protocol (seed 004 poll, acknowledge, status, result; seed 000
 * heartbeat), authenticated with the agent key. Every call maps the answer to what the caller must
 * do: 401 throws {@link AgentUnauthorizedException}, 5xx/429 and I/O errors throw {@link
 * TransientServerException}, everything else is a definite answer.
 */
public final class AgentHttp implements AgentLink {

  private static final Logger log = LoggerFactory.getLogger(AgentHttp.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI server;
  private final AgentIdentity identity;
  private final HttpClient client;
  private final Clock clock;

  public AgentHttp(URI server, AgentIdentity identity, HttpClient client, Clock clock) {
    this.server = server;
    this.identity = identity;
    this.client = client;
    this.clock = clock;
  }

  /** {@code GET /api/v1/commands?status=pending&limit=n}. */
  public PollResponse poll(int limit) throws TransientServerException {
    HttpResponse<String> response =
        send(request("/api/v1/commands?status=pending&limit=" + limit).GET());
    requireOk(response, "poll");
    return read(response, PollResponse.class);
  }

  /**
   * {@code POST /api/v1/agents/heartbeat?limit=n}: the server claims at most {@code maxClaimed}
   * pending commands for this agent (0: none, a pure sign of life).
   */
  public HeartbeatResponse heartbeat(HeartbeatRequest body, int maxClaimed)
      throws TransientServerException {
    HttpResponse<String> response =
        send(post("/api/v1/agents/heartbeat?limit=" + maxClaimed, body));
    requireOk(response, "heartbeat");
    return read(response, HeartbeatResponse.class);
  }

  @Override
  public Ack acknowledge(CommandId id) {
    try {
      HttpResponse<String> response =
          send(post(commandPath(id, "acknowledge"), new AcknowledgeRequest(clock.instant())));
      int status = response.statusCode();
      if (status == 200) {
        return Ack.ACCEPTED;
      }
      checkUnauthorized(response);
      if (status == 409 || status == 404 || status == 400 || status == 403) {
        log.info("Not executing {}: {}", id, HttpProblems.describe(status, response.body()));
        return Ack.REFUSED;
      }
      log.warn("Acknowledge of {} failed: {}", id, HttpProblems.describe(status, response.body()));
      return Ack.UNAVAILABLE;
    } catch (TransientServerException e) {
      log.warn("Acknowledge of {} failed: {}", id, e.getMessage());
      return Ack.UNAVAILABLE;
    }
  }

  @Override
  public void reportRunning(CommandId id) {
    try {
      HttpResponse<String> response =
          send(
              post(
                  commandPath(id, "status"),
                  new StatusRequest(CommandStatus.RUNNING, clock.instant())));
      checkUnauthorized(response);
      if (response.statusCode() != 200) {
        log.debug(
            "Running report for {} not taken: {}",
            id,
            HttpProblems.describe(response.statusCode(), response.body()));
      }
    } catch (TransientServerException e) {
      log.debug("Running report for {} not sent: {}", id, e.getMessage());
    }
  }

  @Override
  public Delivery sendResult(CommandResult result) {
    try {
      HttpResponse<String> response =
          send(post(commandPath(result.commandId(), "result"), ResultReport.from(result)));
      int status = response.statusCode();
      checkUnauthorized(response);
      if (status == 200 || status == 201) {
        return Delivery.CONFIRMED;
      }
      if (status == 409) {
        // Already recorded (ours, or the server's own timeout/cancel won): nothing more to send.
        log.info(
            "Result of {} was already recorded: {}",
            result.commandId(),
            HttpProblems.describe(status, response.body()));
        return Delivery.CONFIRMED;
      }
      if (status >= 400 && status < 500 && status != 429 && status != 408) {
        log.warn(
            "Server refused the result of {}; dropping it: {}",
            result.commandId(),
            HttpProblems.describe(status, response.body()));
        return Delivery.REJECTED;
      }
      log.warn(
          "Result of {} not stored yet: {}",
          result.commandId(),
          HttpProblems.describe(status, response.body()));
      return Delivery.RETRY;
    } catch (TransientServerException e) {
      log.debug("Result of {} not sent: {}", result.commandId(), e.getMessage());
      return Delivery.RETRY;
    }
  }

  @Override
  public String name() {
    return "poll";
  }

  private static String commandPath(CommandId id, String action) {
    return "/api/v1/commands/"
        + URLEncoder.encode(id.value(), StandardCharsets.UTF_8).replace("+", "%20")
        + "/"
        + action;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(ServerUrls.resolve(server, path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + identity.agentKey())
        .header("X-Courier-Agent-Id", identity.agentId().value())
        .header("Accept", "application/json");
  }

  private HttpRequest.Builder post(String path, Object body) {
    try {
      return request(path)
          .header("Content-Type", "application/json")
          .POST(
              HttpRequest.BodyPublishers.ofByteArray(
                  ProtocolJson.mapper().writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request bodies always serialize", e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws TransientServerException {
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TransientServerException("cannot reach " + server + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientServerException("interrupted", e);
    }
    int status = response.statusCode();
    if (status >= 500 || status == 429 || status == 408) {
      throw new TransientServerException(HttpProblems.describe(status, response.body()), null);
    }
    return response;
  }

  private static void checkUnauthorized(HttpResponse<String> response) {
    if (response.statusCode() == 401) {
      throw new AgentUnauthorizedException(
          "the server refused the agent key ("
              + HttpProblems.describe(401, response.body())
              + "); it was revoked or the agent was decommissioned: enroll again");
    }
  }

  private static void requireOk(HttpResponse<String> response, String what)
      throws TransientServerException {
    checkUnauthorized(response);
    if (response.statusCode() != 200) {
      throw new TransientServerException(
          what + " refused: " + HttpProblems.describe(response.statusCode(), response.body()),
          null);
    }
  }

  private static <T> T read(HttpResponse<String> response, Class<T> type)
      throws TransientServerException {
    try {
      return ProtocolJson.mapper().readValue(response.body(), type);
    } catch (IOException | RuntimeException e) {
      throw new TransientServerException("unreadable answer: " + e.getMessage(), e);
    }
  }
}
