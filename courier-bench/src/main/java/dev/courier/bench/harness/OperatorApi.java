package dev.courier.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.http.EnrollRequest;
import dev.courier.protocol.http.EnrollResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The operator API as a script would use it: log in as the bootstrap admin, create enrollment
 * tokens and commands, read them back. Also enrolls agents (a public call).
 */
public final class OperatorApi implements AutoCloseable {

  /** A response's status and parsed body. */
  public record Response(int status, JsonNode body) {
    public String text(String field) {
      return body.path(field).asText();
    }

    public Response expect(int expected, String what) {
      if (status != expected) {
        throw new IllegalStateException(what + ": HTTP " + status + " " + body);
      }
      return this;
    }
  }

  private final ObjectMapper json = ProtocolJson.mapper();
  private final HttpClient http;
  private final String baseUrl;
  private volatile String token;

  public OperatorApi(String baseUrl) {
    this.baseUrl = baseUrl;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
  }

  /** Logs in as the bootstrap admin the bench server was started with. */
  public OperatorApi login() {
    token =
        post(
                "/api/v1/auth/login",
                Map.of("username", "admin", "password", BenchServer.ADMIN_PASSWORD))
            .expect(200, "login")
            .text("access_token");
    return this;
  }

  public String createEnrollmentToken(int maxUses, Map<String, String> labels) {
    return post(
            "/api/v1/enrollment-tokens",
            Map.of("max_uses", maxUses, "expires_in_seconds", 86_400, "labels", labels))
        .expect(201, "create enrollment token")
        .text("token");
  }

  public EnrollResponse enroll(String enrollmentToken, String hostname) {
    Response r =
        send(
            "POST",
            "/api/v1/agents/enroll",
            new EnrollRequest(enrollmentToken, hostname, "linux", "amd64", "bench", Map.of()),
            false);
    r.expect(201, "enroll " + hostname);
    return json.convertValue(r.body(), EnrollResponse.class);
  }

  /** {@code POST /api/v1/commands} for one agent; the new command's id. */
  public String createCommand(String agentId, String type, ObjectNode params) {
    ObjectNode body = json.createObjectNode();
    body.put("agent_id", agentId);
    body.put("type", type);
    body.set("params", params);
    return post("/api/v1/commands", body).expect(201, "create command").text("id");
  }

  /**
   * {@code POST /api/v1/rollouts}: one command of {@code type} to every agent of {@code tenant}
   * whose labels match {@code labels} ({@code key=value}), all at once. The response as it came, so
   * that a caller can tell a server without rollouts (404, 405) from a refusal.
   */
  public Response createRollout(String tenant, String labels, String type, ObjectNode params) {
    ObjectNode body = json.createObjectNode();
    body.put("tenant_id", tenant);
    body.putObject("selector").put("labels", labels);
    body.put("type", type);
    body.set("params", params);
    body.put("max_concurrency", "100%");
    return post("/api/v1/rollouts", body);
  }

  public ObjectNode echoParams(String message) {
    ObjectNode params = json.createObjectNode();
    params.put("message", message);
    return params;
  }

  public Response get(String path) {
    return send("GET", path, null, true);
  }

  public Response post(String path, Object body) {
    return send("POST", path, body, true);
  }

  private Response send(String method, String path, Object body, boolean authenticated) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(60))
              .header("Accept", "application/json");
      if (authenticated && token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      if (body == null) {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        request
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
      }
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      byte[] bytes = response.body();
      JsonNode parsed = bytes.length == 0 ? json.createObjectNode() : readOrText(bytes);
      return new Response(response.statusCode(), parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private JsonNode readOrText(byte[] bytes) {
    try {
      return json.readTree(bytes);
    } catch (IOException e) {
      return json.getNodeFactory()
          .textNode(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  public ObjectMapper json() {
    return json;
  }

  @Override
  public void close() {
    http.close();
  }
}
