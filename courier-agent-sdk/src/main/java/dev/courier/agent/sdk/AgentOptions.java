package dev.courier.agent.sdk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a {@link CourierAgent} needs, validated when built. Start from {@link #defaults(URI,
 * AgentIdentity, Path)} and change fields with the {@code withX} copies.
 *
 * @param server the server's base URL, e.g. {@code https://courier.example.com}
 * @param identity the agent's enrolled identity
 * @param stateDir directory for the executed-command journal and the result outbox; must survive
 *     restarts and belong to this agent alone
 * @param hostname reported in heartbeats
 * @param version agent version, reported at authentication and in heartbeats
 * @param labels informational labels, reported nowhere yet but kept for executors and callers
 * @param maxConcurrent commands executed at once (1–256); further commands stay pending on the
 *     server until a slot frees
 * @param transport how commands arrive
 * @param heartbeatInterval time between heartbeats (1 s – 1 h)
 * @param pollInterval time between polls until the server states its own interval (1 s – 1 h)
 * @param minBackoff first reconnect/retry delay bound (at least 10 ms)
 * @param maxBackoff largest reconnect/retry delay (at least {@code minBackoff})
 * @param outputCapBytes most bytes of output kept per stream and reported per command (1 KiB – 64
 *     MiB)
 * @param shutdownGrace how long {@link CourierAgent#close()} lets running commands finish (0 – 1 h)
 * @param outboxQuotaBytes disk space the stored results may take (at least 1 KiB); once reached the
 *     agent takes no new commands (they stay pending on the server) until the server has confirmed
 *     enough stored results, and says so in its log once
 */
public record AgentOptions(
    URI server,
    AgentIdentity identity,
    Path stateDir,
    String hostname,
    String version,
    Map<String, String> labels,
    int maxConcurrent,
    Transport transport,
    Duration heartbeatInterval,
    Duration pollInterval,
    Duration minBackoff,
    Duration maxBackoff,
    int outputCapBytes,
    Duration shutdownGrace,
    long outboxQuotaBytes) {

  /** Largest {@link #maxConcurrent()}. */
  public static final int MAX_CONCURRENT_LIMIT = 256;

  /** Smallest {@link #outputCapBytes()}. */
  public static final int MIN_OUTPUT_CAP = 1024;

  /** Largest {@link #outputCapBytes()}. */
  public static final int MAX_OUTPUT_CAP = 64 * 1024 * 1024;

  private static final Duration HOUR = Duration.ofHours(1);

  /** Smallest {@link #outboxQuotaBytes()}. */
  public static final long MIN_OUTBOX_QUOTA = 1024;

  /** Default {@link #outboxQuotaBytes()}: 256 MiB. */
  public static final long DEFAULT_OUTBOX_QUOTA = 256L * 1024 * 1024;

  /**
   * Validates every field.
   *
   * @throws IllegalArgumentException naming the first invalid option
   */
  public AgentOptions {
    require(server != null, "server must be set");
    require(
        server.getScheme() != null
            && (server.getScheme().equals("http") || server.getScheme().equals("https"))
            && server.getHost() != null,
        "server must be an http or https URL with a host, not " + server);
    require(identity != null, "identity must be set");
    require(stateDir != null, "stateDir must be set");
    require(hostname != null && !hostname.isBlank(), "hostname must not be blank");
    require(version != null && !version.isBlank(), "version must not be blank");
    require(labels != null, "labels must be set (use an empty map)");
    labels = Map.copyOf(labels);
    require(
        maxConcurrent >= 1 && maxConcurrent <= MAX_CONCURRENT_LIMIT,
        "maxConcurrent must be between 1 and " + MAX_CONCURRENT_LIMIT + ", was " + maxConcurrent);
    require(transport != null, "transport must be set");
    requireBetween("heartbeatInterval", heartbeatInterval, Duration.ofSeconds(1), HOUR);
    requireBetween("pollInterval", pollInterval, Duration.ofSeconds(1), HOUR);
    requireBetween("minBackoff", minBackoff, Duration.ofMillis(10), HOUR);
    requireBetween("maxBackoff", maxBackoff, minBackoff, Duration.ofDays(1));
    require(
        outputCapBytes >= MIN_OUTPUT_CAP && outputCapBytes <= MAX_OUTPUT_CAP,
        "outputCapBytes must be between "
            + MIN_OUTPUT_CAP
            + " and "
            + MAX_OUTPUT_CAP
            + ", was "
            + outputCapBytes);
    requireBetween("shutdownGrace", shutdownGrace, Duration.ZERO, HOUR);
    require(
        outboxQuotaBytes >= MIN_OUTBOX_QUOTA,
        "outboxQuotaBytes must be at least " + MIN_OUTBOX_QUOTA + ", was " + outboxQuotaBytes);
  }

  /**
   * Defaults: local host name, version {@code 0.1.0}, no labels, 4 concurrent commands, WebSocket,
   * heartbeat 30 s, poll 5 s, backoff 1 s to 60 s, output cap 1 MiB, shutdown grace 10 s, outbox
   * quota 256 MiB.
   */
  public static AgentOptions defaults(URI server, AgentIdentity identity, Path stateDir) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        localHostName(),
        "0.1.0",
        Map.of(),
        4,
        Transport.WEBSOCKET,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        1024 * 1024,
        Duration.ofSeconds(10),
        DEFAULT_OUTBOX_QUOTA);
  }

  /** A copy with another host name. */
  public AgentOptions withHostname(String value) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        value,
        version,
        labels,
        maxConcurrent,
        transport,
        heartbeatInterval,
        pollInterval,
        minBackoff,
        maxBackoff,
        outputCapBytes,
        shutdownGrace,
        outboxQuotaBytes);
  }

  /** A copy with another version. */
  public AgentOptions withVersion(String value) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        hostname,
        value,
        labels,
        maxConcurrent,
        transport,
        heartbeatInterval,
        pollInterval,
        minBackoff,
        maxBackoff,
        outputCapBytes,
        shutdownGrace,
        outboxQuotaBytes);
  }

  /** A copy with other labels. */
  public AgentOptions withLabels(Map<String, String> value) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        hostname,
        version,
        value,
        maxConcurrent,
        transport,
        heartbeatInterval,
        pollInterval,
        minBackoff,
        maxBackoff,
        outputCapBytes,
        shutdownGrace,
        outboxQuotaBytes);
  }

  /** A copy with another concurrency limit. */
  public AgentOptions withMaxConcurrent(int value) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        hostname,
        version,
        labels,
        value,
        transport,
        heartbeatInterval,
        pollInterval,
        minBackoff,
        maxBackoff,
        outputCapBytes,
        shutdownGrace,
        outboxQuotaBytes);
  }

  /** A copy with another transport. */
  public AgentOptions withTransport(Transport value) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        hostname,
        version,
        labels,
        maxConcurrent,
        value,
        heartbeatInterval,
        pollInterval,
        minBackoff,
        maxBackoff,
        outputCapBytes,
        shutdownGrace,
        outboxQuotaBytes);
  }

  /** A copy with another heartbeat interval. */
  public AgentOptions withHeartbeatInterval(Duration value) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        hostname,
        version,
        labels,
        maxConcurrent,
        transport,
        value,
        pollInterval,
        minBackoff,
        maxBackoff,
        outputCapBytes,
        shutdownGrace,
        outboxQuotaBytes);
  }

  /** A copy with another initial poll interval. */
  public AgentOptions withPollInterval(Duration value) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        hostname,
        version,
        labels,
        maxConcurrent,
        transport,
        heartbeatInterval,
        value,
        minBackoff,
        maxBackoff,
        outputCapBytes,
        shutdownGrace,
        outboxQuotaBytes);
  }

  /** A copy with other backoff bounds. */
  public AgentOptions withBackoff(Duration min, Duration max) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        hostname,
        version,
        labels,
        maxConcurrent,
        transport,
        heartbeatInterval,
        pollInterval,
        min,
        max,
        outputCapBytes,
        shutdownGrace,
        outboxQuotaBytes);
  }

  /** A copy with another output cap. */
  public AgentOptions withOutputCapBytes(int value) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        hostname,
        version,
        labels,
        maxConcurrent,
        transport,
        heartbeatInterval,
        pollInterval,
        minBackoff,
        maxBackoff,
        value,
        shutdownGrace,
        outboxQuotaBytes);
  }

  /** A copy with another shutdown grace. */
  public AgentOptions withShutdownGrace(Duration value) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        hostname,
        version,
        labels,
        maxConcurrent,
        transport,
        heartbeatInterval,
        pollInterval,
        minBackoff,
        maxBackoff,
        outputCapBytes,
        value,
        outboxQuotaBytes);
  }

  /** A copy with another outbox quota. */
  public AgentOptions withOutboxQuotaBytes(long value) {
    return new AgentOptions(
        server,
        identity,
        stateDir,
        hostname,
        version,
        labels,
        maxConcurrent,
        transport,
        heartbeatInterval,
        pollInterval,
        minBackoff,
        maxBackoff,
        outputCapBytes,
        shutdownGrace,
        value);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  private static void requireBetween(String name, Duration value, Duration min, Duration max) {
    require(value != null, name + " must be set");
    require(
        value.compareTo(min) >= 0 && value.compareTo(max) <= 0,
        name + " must be between " + min + " and " + max + ", was " + value);
  }

  /**
   * The kernel's host name where Linux exposes it, without a DNS lookup that can stall start-up on
   * a host whose name does not resolve; the resolver only elsewhere.
   */
  private static String localHostName() {
    try {
      String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      if (!kernel.isEmpty()) {
        return kernel;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: ask the resolver
    }
    try {
      String name = InetAddress.getLocalHost().getHostName();
      if (name != null && !name.isBlank()) {
        return name;
      }
    } catch (UnknownHostException e) {
      // fall through to the environment
    }
    String env = System.getenv("HOSTNAME");
    return env == null || env.isBlank() ? "localhost" : env;
  }
}
