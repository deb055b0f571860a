package dev.courier.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.envelope.CanonicalJson;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Uses every public type and method of the SDK, so that changing the API breaks this file and is a
 * visible decision. Only {@link #public_api_compiles} runs; the rest only has to compile.
 */
class PublicApiCompileTest {

  @Test
  void public_api_compiles() {
    assertThat(Transport.values()).containsExactly(Transport.WEBSOCKET, Transport.POLL);
  }

  @SuppressWarnings("unused")
  void identity(Path file) {
    AgentIdentity identity =
        new AgentIdentity(AgentId.of("a"), "key", "pub", URI.create("http://localhost"));
    AgentId id = identity.agentId();
    String key = identity.agentKey();
    String pub = identity.serverPublicKey();
    URI server = identity.server();
    identity.save(file);
    Optional<AgentIdentity> loaded = AgentIdentity.load(file);
  }

  @SuppressWarnings("unused")
  void enrollment() {
    Enrollment enrollment = new Enrollment(URI.create("http://localhost"));
    try {
      AgentIdentity identity = enrollment.enroll("token", "host", "1.0", Map.of("k", "v"));
    } catch (EnrollmentException e) {
      int status = e.status();
      String message = e.getMessage();
    }
  }

  @SuppressWarnings("unused")
  void options(AgentIdentity identity) {
    AgentOptions options =
        AgentOptions.defaults(URI.create("http://localhost"), identity, Path.of("state"))
            .withHostname("h")
            .withVersion("1")
            .withLabels(Map.of())
            .withMaxConcurrent(2)
            .withTransport(Transport.POLL)
            .withHeartbeatInterval(Duration.ofSeconds(5))
            .withPollInterval(Duration.ofSeconds(1))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
            .withOutputCapBytes(4096)
            .withShutdownGrace(Duration.ofSeconds(1))
            .withOutboxQuotaBytes(AgentOptions.MIN_OUTBOX_QUOTA);
    options =
        new AgentOptions(
            options.server(),
            options.identity(),
            options.stateDir(),
            options.hostname(),
            options.version(),
            options.labels(),
            options.maxConcurrent(),
            options.transport(),
            options.heartbeatInterval(),
            options.pollInterval(),
            options.minBackoff(),
            options.maxBackoff(),
            options.outputCapBytes(),
            options.shutdownGrace(),
            options.outboxQuotaBytes());
    int limit = AgentOptions.MAX_CONCURRENT_LIMIT + AgentOptions.MIN_OUTPUT_CAP;
    limit += AgentOptions.MAX_OUTPUT_CAP;
  }

  @SuppressWarnings("unused")
  void executors() {
    CommandExecutor echo =
        new CommandExecutor() {
          @Override
          public String type() {
            return "echo";
          }

          @Override
          public CommandOutcome execute(CommandContext context) throws Exception {
            CommandId id = context.commandId();
            String type = context.type();
            ObjectNode params = context.params();
            Duration timeout = context.timeout();
            Instant deadline = context.deadline();
            boolean cancelled = context.isCancelled();
            ProcessRunner processes = context.processes();
            ProcessResult result = processes.run(List.of("true"), Duration.ofSeconds(1));
            result = processes.run(List.of("true"), Duration.ofSeconds(1), Path.of("."));
            int exit = result.exitCode();
            String out = result.stdout() + result.stderr();
            boolean flags =
                result.timedOut() || result.cancelled() || result.truncated() || result.succeeded();
            OutputSink sink = context.output();
            sink.write("stdout", "text");
            return CommandOutcome.completed(params);
          }
        };
    ExecutorRegistry registry =
        ExecutorRegistry.of(echo)
            .with(echo)
            .plus(ExecutorRegistry.loadPlugins(getClass().getClassLoader()));
    Optional<CommandExecutor> found = registry.find("echo");
    List<String> capabilities = registry.capabilities();
  }

  @SuppressWarnings("unused")
  void processOutput(Process process, OutputSink sink) {
    ProcessOutput output = ProcessOutput.capture(process, 4096);
    output = ProcessOutput.capture(process, 4096, sink);
    output.finish();
    ProcessOutput.Captured stdout = output.stdout();
    ProcessOutput.Captured captured = new ProcessOutput.Captured("text", 0L, 4096);
    String text = stdout.text() + stdout.textWithMarker() + output.stderr().text();
    long dropped = stdout.droppedBytes() + stdout.capBytes();
    boolean truncated = output.truncated() || stdout.truncated();
    Duration wait = ProcessOutput.DRAIN_WAIT;
  }

  @SuppressWarnings("unused")
  void outcomes() {
    ObjectNode metadata = CanonicalJson.emptyObject();
    CommandOutcome outcome = CommandOutcome.completed(metadata);
    outcome = CommandOutcome.completed(0, "out", metadata);
    outcome = CommandOutcome.failed("why");
    outcome = CommandOutcome.failed(1, "out", "why").withFindingsCount(3);
    outcome = new CommandOutcome(CommandStatus.COMPLETED, 0, "o", null, 1, metadata);
    CommandStatus status = outcome.status();
    Integer exit = outcome.exitCode();
    String text = outcome.output() + outcome.error();
    Integer findings = outcome.findingsCount();
    ObjectNode meta = outcome.metadata();
  }

  @SuppressWarnings("unused")
  void lateResultsAndLocalRuns(AgentOptions options, ExecutorRegistry registry) throws Exception {
    try (CourierAgent agent = new CourierAgent(options, registry)) {
      agent.expectLateResult(dev.courier.protocol.CommandId.of("upgrade-1"));
    }
    Exception deferred = new ResultAfterRestart("finished by the next run");
    try (LocalRunner runner = new LocalRunner(registry, 4096, java.time.Clock.systemUTC())) {
      dev.courier.protocol.frame.AgentFrame.CommandResult result =
          runner.run(
              LocalRunner.localId("nightly"),
              "echo",
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
              Duration.ofSeconds(5));
    }
  }

  @SuppressWarnings("unused")
  void agent(AgentOptions options, ExecutorRegistry registry) throws IOException {
    try (CourierAgent agent = new CourierAgent(options, registry)) {
      agent.start();
      boolean connected = agent.isConnected();
      String transport = agent.transportInUse();
      AgentStatus status = agent.status();
      long depth = status.outboxResults() + status.outboxBytes() + status.outboxQuotaBytes();
      boolean full = status.outboxFull() || status.unauthorized() || status.connected();
      int busy = status.running() + status.queued();
      String state = status.state() + status.transport();
      boolean late =
          agent.reportLateResult(
              dev.courier.protocol.CommandId.of("c"), CommandOutcome.failed("rolled back"));
      agent.stop(Duration.ofSeconds(1));
    }
  }

  @SuppressWarnings("unused")
  void tunnels(AgentOptions options, ExecutorRegistry registry) {
    TunnelHandler handler =
        new TunnelHandler() {
          @Override
          public void open(TunnelSession session) throws TunnelRefusedException {
            String id = session.id();
            boolean open = session.isOpen();
            throw new TunnelRefusedException(TunnelErrors.TOO_MANY_CHANNELS, "full");
          }

          @Override
          public void data(
              TunnelSession session,
              String channelId,
              com.fasterxml.jackson.databind.JsonNode data) {
            boolean sent = session.send(channelId, data);
            boolean reported =
                session.error(channelId, TunnelErrors.of(TunnelErrors.BAD_PAYLOAD, "what?"));
          }

          @Override
          public void close(TunnelSession session, String reason) {}
        };
    String capability = TunnelHandler.CAPABILITY;
    List<String> codes =
        List.of(
            TunnelErrors.TERMINAL_DISABLED,
            TunnelErrors.UNKNOWN_SESSION,
            TunnelErrors.SPAWN_FAILED,
            TunnelErrors.TIMED_OUT,
            TunnelErrors.TOO_MANY_CHANNELS,
            TunnelErrors.BAD_PAYLOAD,
            TunnelErrors.INTERNAL);
    try (CourierAgent agent = new CourierAgent(options, registry, handler)) {
      agent.start();
    }
  }
}
