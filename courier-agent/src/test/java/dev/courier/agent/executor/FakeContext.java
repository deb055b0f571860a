package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.OutputSink;
import dev.courier.agent.sdk.ProcessRunner;
import dev.courier.agent.sdk.internal.CommandProcessRunner;
import dev.courier.agent.sdk.internal.CommandProcessRunner.StopReason;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.ProtocolJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A command context for executor unit tests: given params, cancellable, and no processes unless
 * asked for with {@link #withProcesses()}, which gives the SDK's real process runner.
 */
final class FakeContext implements CommandContext {

  private static final int OUTPUT_CAP = 1024 * 1024;

  private final String type;
  private final ObjectNode params;
  private final CommandId id = CommandId.of(UUID.randomUUID().toString());
  private final Instant deadline = Instant.now().plus(timeout());
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private volatile ProcessRunner processes;

  private FakeContext(String type, ObjectNode params) {
    this.type = type;
    this.params = params;
  }

  static FakeContext of(String type, String paramsJson) {
    try {
      return new FakeContext(type, (ObjectNode) ProtocolJson.mapper().readTree(paramsJson));
    } catch (Exception e) {
      throw new IllegalArgumentException(paramsJson, e);
    }
  }

  static FakeContext of(String type, ObjectNode params) {
    return new FakeContext(type, params);
  }

  /** Lets the executor start real processes, as the agent does, with a 1 MiB output cap. */
  FakeContext withProcesses() {
    processes =
        new CommandProcessRunner(
            OUTPUT_CAP,
            () -> deadline,
            () -> cancelled.get() ? StopReason.CANCELLED : StopReason.NONE,
            output(),
            Clock.systemUTC());
    return this;
  }

  FakeContext cancel() {
    cancelled.set(true);
    return this;
  }

  @Override
  public CommandId commandId() {
    return id;
  }

  @Override
  public String type() {
    return type;
  }

  @Override
  public ObjectNode params() {
    return params;
  }

  @Override
  public Duration timeout() {
    return Duration.ofSeconds(30);
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }

  @Override
  public ProcessRunner processes() {
    if (processes == null) {
      throw new UnsupportedOperationException("this test's executor must not start processes");
    }
    return processes;
  }

  @Override
  public OutputSink output() {
    return (stream, text) -> {};
  }
}
