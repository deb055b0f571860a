package dev.courier.agent.executor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.OutputSink;
import dev.courier.agent.sdk.ProcessRunner;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.ProtocolJson;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/** A command context for executor unit tests: given params, cancellable, no processes. */
final class FakeContext implements CommandContext {

  private final String type;
  private final ObjectNode params;
  private final AtomicBoolean cancelled = new AtomicBoolean();

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

  FakeContext cancel() {
    cancelled.set(true);
    return this;
  }

  @Override
  public CommandId commandId() {
    return CommandId.of(UUID.randomUUID().toString());
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
    return Instant.now().plus(timeout());
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }

  @Override
  public ProcessRunner processes() {
    throw new UnsupportedOperationException("built-in executors never start processes");
  }

  @Override
  public OutputSink output() {
    return (stream, text) -> {};
  }
}
