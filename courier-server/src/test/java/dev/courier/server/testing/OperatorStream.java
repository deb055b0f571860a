package dev.courier.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An operator's tunnel stream ({@code GET /api/v1/tunnel/{session_id}/stream}) as a test drives it:
 * sends JSON text messages, collects what the server sends, and keeps the terminal output it passes
 * on the way.
 */
public final class OperatorStream implements AutoCloseable {

  private static final ObjectMapper JSON = ProtocolJson.mapper();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder output = new StringBuilder();
  private final StringBuilder skipped = new StringBuilder();
  private final WebSocket socket;

  private OperatorStream(String url, String bearer) {
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    socket = builder.buildAsync(URI.create(url), new Collector()).join();
  }

  /** Connects with the credential in the URL ({@code ?access_token=}), as a browser does. */
  public static OperatorStream connect(String url) {
    return new OperatorStream(url, null);
  }

  /** Connects with an {@code Authorization: Bearer} header. */
  public static OperatorStream connect(String url, String bearer) {
    return new OperatorStream(url, bearer);
  }

  public void send(String text) {
    socket.sendText(text, true).join();
  }

  /** The next message of {@code type}; output passed on the way is kept. */
  public JsonNode next(String type) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode message = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (message == null) {
        break;
      }
      if (message.path("type").asText().equals("output")) {
        output.append(message.path("data").asText());
      }
      if (message.path("type").asText().equals(type)) {
        return message;
      }
      if (!message.path("type").asText().equals("output")) {
        skipped.append(message).append('\n');
      }
    }
    throw new AssertionError(
        "no "
            + type
            + " message on the stream; output so far: "
            + output
            + "; other messages: "
            + skipped);
  }

  /** Reads output until all of it received so far satisfies {@code condition}. */
  public void awaitOutput(Predicate<String> condition) throws InterruptedException {
    while (!condition.test(output.toString())) {
      next("output");
    }
  }

  /**
   * Waits for the shell's first output, its prompt: keys typed before the shell's line editor
   * starts may be discarded by it, as on any terminal.
   */
  public void awaitPrompt() throws InterruptedException {
    awaitOutput(text -> !text.isBlank());
  }

  /** The close code the server ended the stream with (-1 for a transport error). */
  public int closeCode() {
    return closed.orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
    socket.abort();
  }

  private final class Collector implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          received.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }
}
