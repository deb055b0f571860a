package dev.courier.agent.sdk;

import dev.courier.agent.sdk.internal.HttpProblems;
import dev.courier.agent.sdk.internal.ServerHttpClients;
import dev.courier.agent.sdk.internal.ServerUrls;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.envelope.EnvelopeKeys;
import dev.courier.protocol.http.EnrollRequest;
import dev.courier.protocol.http.EnrollResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Enrolls an agent with a server: trades a one-time enrollment token for the agent's id, secret key
 * and the server's signing key ({@code POST /api/v1/agents/enroll}). Save the returned identity
 * with {@link AgentIdentity#save(java.nio.file.Path)}: the key is shown only once.
 */
public final class Enrollment {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI server;

  /** Enrolls with the server at {@code server}, e.g. {@code https://courier.example.com}. */
  public Enrollment(URI server) {
    this.server = Objects.requireNonNull(server, "server");
  }

  /**
   * Enrolls this machine.
   *
   * @param token the enrollment token an administrator created
   * @param hostname the name the agent is listed under
   * @param version the agent's version
   * @param labels labels to add to the token's default labels; may be empty
   * @return the new identity, with the server's signing key pinned
   * @throws EnrollmentException when the server refuses (message includes its status and problem
   *     detail), answers something unreadable, or cannot be reached
   */
  public AgentIdentity enroll(
      String token, String hostname, String version, Map<String, String> labels) {
    if (token == null || token.isBlank()) {
      throw new EnrollmentException("enrollment token must not be blank", 0, null);
    }
    if (hostname == null || hostname.isBlank()) {
      throw new EnrollmentException("hostname must not be blank", 0, null);
    }
    EnrollRequest body =
        new EnrollRequest(
            token.trim(),
            hostname,
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT),
            System.getProperty("os.arch", ""),
            version,
            labels == null ? Map.of() : labels);
    HttpResponse<String> response;
    // A client of its own, closed after the one call: an agent enrolls once in its life, and an
    // open client keeps a selector thread (and its worker threads) alive for nothing.
    try (HttpClient http = ServerHttpClients.newBuilder(server).connectTimeout(TIMEOUT).build()) {
      HttpRequest request =
          HttpRequest.newBuilder(ServerUrls.resolve(server, "/api/v1/agents/enroll"))
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofByteArray(
                      ProtocolJson.mapper().writeValueAsBytes(body)))
              .build();
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new EnrollmentException(
          "cannot reach " + server + " to enroll: " + e.getMessage(), 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnrollmentException("enrollment interrupted", 0, e);
    }
    if (response.statusCode() != 200 && response.statusCode() != 201) {
      throw new EnrollmentException(
          "enrollment refused: " + HttpProblems.describe(response.statusCode(), response.body()),
          response.statusCode(),
          null);
    }
    try {
      EnrollResponse enrolled =
          ProtocolJson.mapper().readValue(response.body(), EnrollResponse.class);
      EnvelopeKeys.decodePublic(enrolled.serverPublicKey());
      return new AgentIdentity(
          enrolled.agentId(), enrolled.agentKey(), enrolled.serverPublicKey(), server);
    } catch (IOException | RuntimeException e) {
      throw new EnrollmentException(
          "enrollment answer from " + server + " is not usable: " + e.getMessage(),
          response.statusCode(),
          e);
    }
  }
}
