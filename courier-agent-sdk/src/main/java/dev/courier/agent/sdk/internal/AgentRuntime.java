package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.AgentOptions;
import dev.courier.agent.sdk.ExecutorRegistry;
import java.time.Duration;

/** Placeholder while the runtime is written; the public API compiles against it. */
public final class AgentRuntime {
  private final AgentOptions options;

  public AgentRuntime(AgentOptions options, ExecutorRegistry executors) {
    this.options = options;
  }

  public AgentOptions options() {
    return options;
  }

  public void start() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public void stop(Duration grace) {}

  public boolean isConnected() {
    return false;
  }

  public String transportInUse() {
    return "none";
  }
}
