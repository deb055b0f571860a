package dev.courier.server.testing;

import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.frame.ServerFrame;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven agent WebSocket for protocol tests: sends exactly the frames a test writes and
 * queues what the server answers, so each step of the protocol can be asserted.
 */
public final class RawAgentSocket implements AutoCloseable {

  private static final FrameCodec CODEC = new FrameCodec();

  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private RawAgentSocket(String url, String agentKey) {
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (agentKey != null) {
      builder.header("Authorization", "Bearer " + agentKey);
    }
    this.socket = builder.buildAsync(URI.create(url), new Listener()).join();
  }

  /** Connects with the agent key in the upgrade request. */
  public static RawAgentSocket connect(String url, String agentKey) {
    return new RawAgentSocket(url, agentKey);
  }

  /** Connects without credentials; the first frame must authenticate. */
  public static RawAgentSocket connectAnonymously(String url) {
    return new RawAgentSocket(url, null);
  }

  public void send(AgentFrame frame) {
    sendText(CODEC.encode(frame));
  }

  public void sendText(String text) {
    socket.sendText(text, true).join();
  }

  /** The next frame from the server, waiting at most 10 s. */
  public ServerFrame next() {
    try {
      String text = received.poll(10, TimeUnit.SECONDS);
      if (text == null) {
        throw new AssertionError("no frame from the server within 10 s");
      }
      return CODEC.decodeFromServer(text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame of the given type, skipping others (heartbeat acks and the like). */
  public <T extends ServerFrame> T next(Class<T> type) {
    for (int i = 0; i < 50; i++) {
      ServerFrame frame = next();
      if (type.isInstance(frame)) {
        return type.cast(frame);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " among the next 50 frames");
  }

  /** True if no frame arrives within {@code wait}. */
  public boolean quietFor(Duration wait) throws InterruptedException {
    return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  /** The close code the server sent, waiting at most 10 s. */
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

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
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
