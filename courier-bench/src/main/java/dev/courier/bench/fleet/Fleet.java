package dev.courier.bench.fleet;

import dev.courier.bench.harness.OperatorApi;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.http.EnrollResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Thousands of simulated agents in this JVM. Each enrolls through the public API with a real
 * enrollment token, then speaks the real WebSocket protocol (or, for a configured share, HTTP
 * polling or heartbeats) with frames from {@code courier-protocol}. The agent SDK is not used: it
 * gives every agent its own HTTP client (a selector thread each), an on-disk outbox and a journal,
 * which is right for one agent per host and too heavy for ten thousand per JVM.
 */
public final class Fleet implements AutoCloseable {

  /** Agents per JDK HTTP client (each has one selector thread) and per loopback source address. */
  private static final int AGENTS_PER_CLIENT = 2_000;

  private final String baseUrl;
  private final String webSocketUrl;
  private final FleetOptions options;
  private final FleetObserver observer;
  private final FrameCodec codec = new FrameCodec();
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          2, Thread.ofPlatform().daemon().name("bench-fleet-timer").factory());
  private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
  private final List<HttpClient> clients = new ArrayList<>();
  private final List<SimulatedAgent> agents = new ArrayList<>();
  private final Set<SimulatedAgent> online = ConcurrentHashMap.newKeySet();
  private final AtomicInteger authentications = new AtomicInteger();
  private final LongAdder errors = new LongAdder();
  private final List<String> errorSamples = new ArrayList<>();
  final LongAdder connectAttempts = new LongAdder();
  final LongAdder connectFailures = new LongAdder();
  private volatile boolean reconnects = true;

  /** While {@link #connectAll} runs: one permit per handshake in flight, given back on auth. */
  private volatile Semaphore connecting;

  public Fleet(String baseUrl, String webSocketUrl, FleetOptions options, FleetObserver observer) {
    this.baseUrl = baseUrl;
    this.webSocketUrl = webSocketUrl;
    this.options = options;
    this.observer = observer;
  }

  /**
   * Enrolls {@code count} agents: one enrollment token with {@code count} uses from the operator
   * API, then {@code POST /api/v1/agents/enroll} per agent, 16 at a time.
   */
  public void enroll(OperatorApi operator, int count, Map<String, String> labels) {
    String token = operator.createEnrollmentToken(Math.max(1, count), labels);
    int httpAgents = (int) Math.round(count * options.httpShare());
    EnrollResponse[] identities = new EnrollResponse[count];
    Semaphore permits = new Semaphore(16);
    List<Future<?>> pending = new ArrayList<>();
    String run = Long.toString(System.nanoTime(), 36);
    for (int i = 0; i < count; i++) {
      int index = i;
      pending.add(
          io.submit(
              () -> {
                permits.acquireUninterruptibly();
                try {
                  identities[index] = operator.enroll(token, "bench-" + run + "-" + index);
                } finally {
                  permits.release();
                }
              }));
    }
    for (Future<?> f : pending) {
      try {
        f.get();
      } catch (Exception e) {
        throw new IllegalStateException("enrollment failed: " + e.getMessage(), e);
      }
    }
    for (int i = 0; i < count; i++) {
      HttpClient client = client(i);
      if (i < httpAgents) {
        HttpAgent.Mode mode = i % 2 == 0 ? HttpAgent.Mode.POLL : HttpAgent.Mode.HEARTBEAT;
        agents.add(new HttpAgent(this, identities[i], client, mode));
      } else {
        agents.add(new WebSocketAgent(this, identities[i], client));
      }
    }
  }

  private HttpClient client(int agentIndex) {
    int n = agentIndex / AGENTS_PER_CLIENT;
    while (clients.size() <= n) {
      clients.add(newClient(clients.size()));
    }
    return clients.get(n);
  }

  /** Client {@code n} connects from 127.0.0.{n+1}, so ephemeral ports never run out on loopback. */
  private HttpClient newClient(int n) {
    try {
      return HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(20))
          .executor(io)
          .localAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (1 + n % 250)}))
          .build();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Connects every agent, at most {@code 256} handshakes at a time, and waits until all are in. */
  public Duration connectAll(Duration patience) throws TimeoutException {
    long t0 = System.nanoTime();
    int target = authentications.get() + agents.size();
    Semaphore inFlight = new Semaphore(256);
    connecting = inFlight;
    try {
      for (SimulatedAgent agent : agents) {
        if (!inFlight.tryAcquire(patience.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new TimeoutException("handshakes did not finish within " + patience);
        }
        agent.start();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted");
    } finally {
      connecting = null;
    }
    awaitAuthentications(target, patience);
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  /** Waits until {@code count} authentications happened since the fleet was created. */
  public void awaitAuthentications(int count, Duration patience) throws TimeoutException {
    if (!awaitCount(() -> authentications.get() >= count, patience)) {
      throw new TimeoutException(
          authentications.get() + " of " + count + " agent sessions authenticated in " + patience);
    }
  }

  private static boolean awaitCount(java.util.function.BooleanSupplier done, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  public List<SimulatedAgent> agents() {
    return List.copyOf(agents);
  }

  public List<SimulatedAgent> webSocketAgents() {
    return agents.stream().filter(a -> a instanceof WebSocketAgent).toList();
  }

  /** Sessions authenticated so far, reconnections included. */
  public int authentications() {
    return authentications.get();
  }

  public int online() {
    return online.size();
  }

  public long errors() {
    return errors.sum();
  }

  public List<String> errorSamples() {
    synchronized (errorSamples) {
      return List.copyOf(errorSamples);
    }
  }

  public long connectAttempts() {
    return connectAttempts.sum();
  }

  public long connectFailures() {
    return connectFailures.sum();
  }

  /** Whether agents reconnect after losing their connection (on by default, as real agents do). */
  public void reconnects(boolean value) {
    reconnects = value;
  }

  boolean reconnects() {
    return reconnects;
  }

  void authenticated(SimulatedAgent agent, long nanos) {
    Semaphore handshakes = connecting;
    if (online.add(agent) && handshakes != null) {
      handshakes.release();
    }
    authentications.incrementAndGet();
    observer.authenticated(agent, nanos);
  }

  void disconnected(SimulatedAgent agent) {
    online.remove(agent);
  }

  void error(SimulatedAgent agent, String what) {
    errors.increment();
    synchronized (errorSamples) {
      if (errorSamples.size() < 5) {
        errorSamples.add(agent.id() + ": " + what);
      }
    }
    observer.error(agent, what);
  }

  String baseUrl() {
    return baseUrl;
  }

  String webSocketUrl() {
    return webSocketUrl;
  }

  FleetOptions options() {
    return options;
  }

  FleetObserver observer() {
    return observer;
  }

  FrameCodec codec() {
    return codec;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  ExecutorService io() {
    return io;
  }

  @Override
  public void close() {
    reconnects = false;
    agents.forEach(SimulatedAgent::stop);
    scheduler.shutdownNow();
    clients.forEach(HttpClient::shutdownNow);
    io.shutdownNow();
    try {
      io.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
