package dev.courier.bench.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The WebSocket baseline: JDK WebSocket clients (the same client the simulated fleet uses) sending
 * text to a bare Jetty echo endpoint and timing the echo.
 */
final class EchoRoundTrips implements AutoCloseable {

  private static final class Echo implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private volatile CompletableFuture<Long> next = new CompletableFuture<>();

    /** Why the connection ended, or null while it is open. */
    private volatile String ended;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        partial.setLength(0);
        next.complete(System.nanoTime());
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      end("closed by the echo server (" + statusCode + " " + reason + ")");
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      end("failed: " + error);
    }

    /** An echo awaited on an ended connection never comes: its wait ends now, with the reason. */
    private void end(String why) {
      ended = why;
      next.completeExceptionally(new IllegalStateException(why));
    }

    /** Expects the next echo; already failed if the connection has ended. */
    private CompletableFuture<Long> expect() {
      CompletableFuture<Long> echo = new CompletableFuture<>();
      next = echo;
      String why = ended;
      if (why != null) {
        echo.completeExceptionally(new IllegalStateException(why));
      }
      return echo;
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
  private final List<WebSocket> sockets = new ArrayList<>();
  private final List<Echo> listeners = new ArrayList<>();

  EchoRoundTrips(String echoUrl, int connections) {
    List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Echo echo = new Echo();
      listeners.add(echo);
      opening.add(
          client
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(20))
              .buildAsync(URI.create(echoUrl), echo));
      if (opening.size() % 256 == 0) {
        opening.getLast().join();
      }
    }
    opening.forEach(f -> sockets.add(f.join()));
  }

  /** One round trip on connection {@code i}; nanoseconds. */
  long roundTrip(int i, String text) throws Exception {
    CompletableFuture<Long> echo = listeners.get(i).expect();
    long t0 = System.nanoTime();
    sockets.get(i).sendText(text, true).get(10, TimeUnit.SECONDS);
    return echo.get(10, TimeUnit.SECONDS) - t0;
  }

  /**
   * One message on every connection at once; each connection's round trip in nanoseconds from the
   * common start.
   *
   * @throws IllegalStateException when an echo did not come back within {@code patience}, its send
   *     failed or its connection ended: how many, and why for the first of them
   */
  long[] fanOut(String text, Duration patience) throws InterruptedException {
    List<CompletableFuture<Long>> echoes = new ArrayList<>(sockets.size());
    listeners.forEach(l -> echoes.add(l.expect()));
    long t0 = System.nanoTime();
    for (int i = 0; i < sockets.size(); i++) {
      CompletableFuture<Long> echo = echoes.get(i);
      sockets
          .get(i)
          .sendText(text, true)
          .whenComplete(
              (sent, failure) -> {
                if (failure != null) {
                  echo.completeExceptionally(failure);
                }
              });
    }
    long deadline = t0 + patience.toNanos();
    long[] times = new long[sockets.size()];
    int missing = 0;
    int first = -1;
    String why = null;
    for (int i = 0; i < sockets.size(); i++) {
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        times[i] = echoes.get(i).get(left, TimeUnit.NANOSECONDS) - t0;
      } catch (ExecutionException | TimeoutException e) {
        missing++;
        if (first < 0) {
          first = i;
          why =
              e instanceof TimeoutException
                  ? "no echo within " + patience.toSeconds() + " s"
                  : String.valueOf(e.getCause());
        }
      }
    }
    if (missing > 0) {
      throw new IllegalStateException(
          missing
              + " of "
              + sockets.size()
              + " echoes did not come back; connection "
              + first
              + ": "
              + why);
    }
    return times;
  }

  @Override
  public void close() {
    sockets.forEach(WebSocket::abort);
    client.shutdownNow();
  }
}
