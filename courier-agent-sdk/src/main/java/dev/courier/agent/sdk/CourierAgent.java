package dev.courier.agent.sdk;

import dev.courier.agent.sdk.internal.AgentRuntime;
import java.time.Duration;
import java.util.Objects;

/**
 * A running Courier agent: connects to the server, receives commands, verifies them, runs them with
 * the registered executors and reports their results durably.
 *
 * <p>Guarantees (DESIGN §2, §5): a command id is executed at most once per state directory (ids are
 * journaled before execution starts); results are written to an on-disk outbox before they are sent
 * and are resent after reconnects and restarts until the server confirms them; commands that are
 * badly signed, expired, addressed to another agent, already executed or of an unknown type are
 * reported {@code failed} without running.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * AgentOptions options = AgentOptions.defaults(server, identity, Path.of("/var/lib/courier"));
 * try (CourierAgent agent = new CourierAgent(options, ExecutorRegistry.of(new EchoExecutor()))) {
 *   agent.start();
 *   shutdownSignal.await();
 * } // close() lets running commands finish within the shutdown grace
 * }</pre>
 *
 * <p>Thread-safe. Once stopped, an agent cannot be started again; build a new one.
 */
public final class CourierAgent implements AutoCloseable {

  private final AgentRuntime runtime;

  /**
   * Builds an agent; nothing is opened until {@link #start()}.
   *
   * @throws IllegalArgumentException when the identity's server key is not a valid Ed25519 key
   */
  public CourierAgent(AgentOptions options, ExecutorRegistry executors) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(executors, "executors");
    this.runtime = new AgentRuntime(options, executors);
  }

  /**
   * Builds an agent that also serves tunnel sessions (live channels such as a terminal) with {@code
   * tunnels}, and reports the {@value TunnelHandler#CAPABILITY} capability. Sessions exist only
   * while the WebSocket is connected; they are all closed when it drops and when the agent stops.
   *
   * @throws IllegalArgumentException when the identity's server key is not a valid Ed25519 key
   */
  public CourierAgent(AgentOptions options, ExecutorRegistry executors, TunnelHandler tunnels) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(executors, "executors");
    Objects.requireNonNull(tunnels, "tunnels");
    this.runtime = new AgentRuntime(options, executors, tunnels);
  }

  /**
   * Loads the journal and outbox from the state directory, starts resending stored results and
   * connects. Returns at once; connection happens in the background.
   *
   * @throws java.io.UncheckedIOException when the state directory cannot be read or created
   * @throws IllegalStateException when already started or stopped
   */
  public void start() {
    runtime.start();
  }

  /**
   * Stops taking new commands, lets running commands finish within {@code grace}, then cancels the
   * rest (killing their processes) and reports them {@code cancelled}; tries to deliver pending
   * results, then disconnects. Results not confirmed stay in the outbox for the next start.
   * Idempotent.
   */
  public void stop(Duration grace) {
    runtime.stop(Objects.requireNonNull(grace, "grace"));
  }

  /** {@link #stop(Duration)} with the options' shutdown grace. */
  @Override
  public void close() {
    runtime.stop(runtime.options().shutdownGrace());
  }

  /**
   * True while the agent is in contact with the server: an authenticated WebSocket, or the last
   * poll succeeded.
   */
  public boolean isConnected() {
    return runtime.isConnected();
  }

  /**
   * Before {@link #start()}: a command a previous run left without a result on purpose (its
   * executor threw {@link ResultAfterRestart}) is reported by {@link #reportLateResult} instead of
   * as {@code failed}, interrupted.
   *
   * @throws IllegalStateException after start
   */
  public void expectLateResult(dev.courier.protocol.CommandId id) {
    runtime.expectLate(Objects.requireNonNull(id, "id"));
  }

  /**
   * While running: stores and sends the result of a command announced with {@link
   * #expectLateResult}.
   *
   * @return false, storing nothing, unless the journal shows the command started and its result is
   *     neither stored nor confirmed yet
   */
  public boolean reportLateResult(dev.courier.protocol.CommandId id, CommandOutcome outcome) {
    return runtime.reportLate(Objects.requireNonNull(id, "id"), Objects.requireNonNull(outcome));
  }

  /** A snapshot of the connection, the commands in progress and the result outbox. */
  public AgentStatus status() {
    return runtime.status();
  }

  /**
   * The transport carrying commands right now: {@code "websocket"}, {@code "poll"} (including the
   * fallback while the socket is down), or {@code "none"} before start, after stop and while the
   * server is unreachable.
   */
  public String transportInUse() {
    return runtime.transportInUse();
  }
}
