package dev.courier.bench.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The WebSocket baseline: JDK WebSocket clients (the same client the simulated fleet uses) sending
 * text to a bare Jetty echo endpoint and timing the echo.
 */
final class EchoRoundTrips implements AutoCloseable {

  private static final class Echo implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private volatile CompletableFuture<Long> next = new CompletableFuture<>();

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
    Echo echo = listeners.get(i);
    echo.next = new CompletableFuture<>();
    long t0 = System.nanoTime();
    sockets.get(i).sendText(text, true).get(10, TimeUnit.SECONDS);
    return echo.next.get(10, TimeUnit.SECONDS) - t0;
  }

  /**
   * One message on every connection at once; each connection's round trip in nanoseconds from the
   * common start, and the time until the last echo came back as the final element.
   */
  long[] fanOut(String text) throws Exception {
    listeners.forEach(l -> l.next = new CompletableFuture<>());
    long t0 = System.nanoTime();
    List<CompletableFuture<WebSocket>> sends = new ArrayList<>();
    for (WebSocket socket : sockets) {
      sends.add(socket.sendText(text, true));
    }
    long[] times = new long[sockets.size()];
    for (int i = 0; i < sockets.size(); i++) {
      times[i] = listeners.get(i).next.get(60, TimeUnit.SECONDS) - t0;
    }
    return times;
  }

  @Override
  public void close() {
    sockets.forEach(WebSocket::abort);
    client.shutdownNow();
  }
}
