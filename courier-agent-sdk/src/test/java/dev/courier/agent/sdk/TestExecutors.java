package dev.courier.agent.sdk;

import dev.courier.protocol.CommandId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Executors for tests, counting their invocations. */
final class TestExecutors {

  private TestExecutors() {}

  /** {@code echo}: outputs the {@code message} parameter. */
  static final class Echo implements CommandExecutor {
    final AtomicInteger calls = new AtomicInteger();
    final Set<CommandId> executed = ConcurrentHashMap.newKeySet();

    @Override
    public String type() {
      return "echo";
    }

    @Override
    public CommandOutcome execute(CommandContext context) {
      calls.incrementAndGet();
      executed.add(context.commandId());
      String message = context.params().path("message").asText("");
      context.output().write("stdout", message);
      return CommandOutcome.completed(0, message, null);
    }
  }

  /**
   * Runs {@code sleep <seconds>} through the process runner under the type {@code collect}; the odd
   * duration makes the process easy to find among the test JVM's children.
   */
  static final class Sleep implements CommandExecutor {
    final AtomicInteger calls = new AtomicInteger();
    final String seconds;

    Sleep(String seconds) {
      this.seconds = seconds;
    }

    @Override
    public String type() {
      return "collect";
    }

    @Override
    public CommandOutcome execute(CommandContext context) throws Exception {
      calls.incrementAndGet();
      ProcessResult result =
          context.processes().run(List.of("sleep", seconds), Duration.ofSeconds(60));
      return result.succeeded()
          ? CommandOutcome.completed(result.exitCode(), result.stdout(), null)
          : CommandOutcome.failed(result.exitCode(), result.stdout(), "sleep did not finish");
    }

    /** The running {@code sleep} child of this JVM, if any. */
    Optional<ProcessHandle> process() {
      return ProcessHandle.current()
          .descendants()
          .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
          .filter(p -> p.info().arguments().map(a -> List.of(a).contains(seconds)).orElse(false))
          .findFirst();
    }
  }
}
