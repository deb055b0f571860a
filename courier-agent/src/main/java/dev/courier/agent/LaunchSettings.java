package dev.courier.agent;

import dev.courier.agent.executor.ExecutorSettings;
import dev.courier.agent.sdk.AgentOptions;
import dev.courier.agent.sdk.Transport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the command line and environment asked for, after validation. Absent values mean "use the
 * saved identity's" (server) or the SDK's defaults; {@code executors} holds what the system
 * executors may touch (nothing unless configured).
 */
record LaunchSettings(
    Optional<URI> server,
    Optional<String> enrollToken,
    Path stateDir,
    String hostname,
    Map<String, String> labels,
    Optional<Integer> maxConcurrent,
    Optional<Transport> transport,
    Optional<Duration> heartbeatInterval,
    Duration shutdownGrace,
    ExecutorSettings executors,
    OperatorSettings operations) {

  LaunchSettings {
    labels = Map.copyOf(labels);
  }

  /** Where the enrolled identity lives. */
  Path identityFile() {
    return stateDir.resolve("identity.json");
  }

  /** SDK options for this launch, starting from the SDK's defaults. */
  AgentOptions toOptions(AgentOptions defaults, String version) {
    AgentOptions options =
        defaults
            .withHostname(hostname)
            .withVersion(version)
            .withLabels(labels)
            .withShutdownGrace(shutdownGrace);
    if (maxConcurrent.isPresent()) {
      options = options.withMaxConcurrent(maxConcurrent.get());
    }
    if (transport.isPresent()) {
      options = options.withTransport(transport.get());
    }
    if (heartbeatInterval.isPresent()) {
      options = options.withHeartbeatInterval(heartbeatInterval.get());
    }
    if (operations.outboxQuotaBytes().isPresent()) {
      options = options.withOutboxQuotaBytes(operations.outboxQuotaBytes().get());
    }
    return options;
  }
}
