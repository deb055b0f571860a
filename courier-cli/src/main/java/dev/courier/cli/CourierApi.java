package dev.courier.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server's operator API over {@link HttpClient}: JSON in and out, a bearer token when logged
 * in, and every failure turned into a {@link CliFailure} with the right exit code.
 */
final class CourierApi {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = ProtocolJson.mapper();

  private final HttpClient http;
  private final String baseUrl;
  private final String bearer;
  private final String loginHint;

  /**
   * A client for one invocation; the caller closes it, so no pooled connection outlives the server
   * it was opened to.
   */
  static HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * @param http from {@link #newHttpClient()}
   * @param baseUrl the server, without a trailing slash
   * @param bearer the access token, or null for unauthenticated calls (login)
   * @param loginHint what to suggest when the server answers 401
   */
  CourierApi(HttpClient http, String baseUrl, String bearer, String loginHint) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.bearer = bearer;
    this.loginHint = loginHint;
  }

  JsonNode get(String path) {
    return send(request(path, Duration.ZERO).GET());
  }

  JsonNode delete(String path) {
    return send(request(path, Duration.ZERO).DELETE());
  }

  JsonNode post(String path, Object body) {
    return post(path, body, Duration.ZERO);
  }

  /** A POST whose answer may legitimately take {@code serverWait} longer (e.g. {@code ?wait=}). */
  JsonNode post(String path, Object body, Duration serverWait) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode the request body", e);
    }
    return send(
        request(path, serverWait)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  /** {@code ?a=1&b=2} from the non-null, non-blank entries, URL-encoded; empty if none. */
  static String query(Map<String, String> parameters) {
    String joined =
        parameters.entrySet().stream()
            .filter(e -> e.getValue() != null && !e.getValue().isBlank())
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return joined.isEmpty() ? "" : "?" + joined;
  }

  /** One path segment, URL-encoded. */
  static String segment(String value) {
    return encode(value).replace("+", "%20");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String path, Duration serverWait) {
    URI uri;
    try {
      uri = URI.create(baseUrl + path);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.USAGE, "not a valid server URL: " + baseUrl);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new CliFailure(ExitCodes.USAGE, "not a valid server URL: " + baseUrl);
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT.plus(serverWait))
            .header("Accept", "application/json, application/problem+json");
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder;
  }

  private JsonNode send(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + "s");
    } catch (HttpTimeoutException e) {
      throw new CliFailure(
          ExitCodes.UNREACHABLE,
          "no answer from "
              + baseUrl
              + " within "
              + request.timeout().orElse(REQUEST_TIMEOUT).toSeconds()
              + "s");
    } catch (ConnectException e) {
      throw unreachable(e.getMessage() == null ? "connection refused" : e.getMessage());
    } catch (IOException e) {
      throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCodes.FAILED, "interrupted");
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() >= 400) {
      throw ApiProblem.of(response.statusCode(), body, response.body(), loginHint);
    }
    return body == null ? JSON.createObjectNode() : body;
  }

  private CliFailure unreachable(String reason) {
    return new CliFailure(ExitCodes.UNREACHABLE, "cannot reach " + baseUrl + ": " + reason);
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
