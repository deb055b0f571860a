package dev.courier.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain HTTP client for tests, speaking JSON with an optional bearer credential. */
public final class ApiClient {

  private static final ObjectMapper JSON = ProtocolJson.mapper();
  private final HttpClient http;
  private final String baseUrl;
  private final String bearer;

  /**
   * @param http owned by the caller, one per server: a client shared across servers may reuse a
   *     pooled connection to a stopped server whose port a new one got, and read no bytes
   */
  public ApiClient(HttpClient http, String baseUrl, String bearer) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.bearer = bearer;
  }

  /** The bearer credential this client sends, or null: for requests it cannot make itself. */
  public String bearer() {
    return bearer;
  }

  public static HttpClient newHttpClient() {
    // HTTP/1.1 as agents and curl speak it: the JDK client's default h2c upgrade attempt is not
    // something the server offers, and only adds connection-reuse cases to the tests.
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  public ApiClient as(String credential) {
    return new ApiClient(http, baseUrl, credential);
  }

  public Response get(String path) {
    return send(request(path).GET());
  }

  public Response delete(String path) {
    return send(request(path).DELETE());
  }

  public Response post(String path, Object body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json(body))));
  }

  public Response put(String path, Object body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json(body))));
  }

  public Response patch(String path, Object body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json(body))));
  }

  private static String json(Object body) {
    String text;
    try {
      text = body instanceof String raw ? raw : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text;
  }

  /**
   * Reads a server-sent-event stream until an event named {@code until} (included) or {@code
   * timeout}, whichever comes first.
   *
   * @param lastEventId sent as {@code Last-Event-ID}, or null
   */
  public List<SseEvent> events(String path, String lastEventId, String until, Duration timeout) {
    HttpRequest.Builder builder = request(path).header("Accept", "text/event-stream").GET();
    if (lastEventId != null) {
      builder.header("Last-Event-ID", lastEventId);
    }
    List<SseEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<java.util.stream.Stream<String>> open =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    HttpResponse<java.util.stream.Stream<String>> response =
                        http.send(builder.build(), HttpResponse.BodyHandlers.ofLines());
                    String name = "message";
                    String id = null;
                    StringBuilder data = new StringBuilder();
                    // Closing the lines ends the exchange: a stream the server would keep open
                    // (live events) must not keep the client (and its close) waiting.
                    try (java.util.stream.Stream<String> lines = response.body()) {
                      open.set(lines);
                      for (String line : (Iterable<String>) lines::iterator) {
                        if (line.isEmpty()) {
                          if (!data.isEmpty()) {
                            events.add(new SseEvent(name, id, data.toString()));
                            if (name.equals(until)) {
                              return;
                            }
                          }
                          name = "message";
                          id = null;
                          data.setLength(0);
                        } else if (line.startsWith("event:")) {
                          name = line.substring(6).strip();
                        } else if (line.startsWith("id:")) {
                          id = line.substring(3).strip();
                        } else if (line.startsWith("data:")) {
                          data.append(line.substring(5).strip());
                        }
                      }
                    }
                  } catch (IOException | InterruptedException e) {
                    events.add(new SseEvent("error", null, e.toString()));
                  }
                });
    try {
      reader.join(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reader.interrupt();
    java.util.stream.Stream<String> lines = open.get();
    if (lines != null) {
      lines.close();
    }
    return List.copyOf(events);
  }

  /** One server-sent event. */
  public record SseEvent(String name, String id, String data) {
    public JsonNode json() {
      try {
        return JSON.readTree(data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder;
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response with its body parsed on demand. */
  /** The {@code id} of each item of a JSON array, in order. */
  public static List<String> ids(JsonNode items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(item.path("id").asText()));
    return ids;
  }

  public record Response(int status, String contentType, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON (" + status + "): " + body, e);
      }
    }

    public String text(String field) {
      return json().path(field).asText();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
