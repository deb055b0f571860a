package dev.courier.agent.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.ProcessResult;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutionTest {

  /** A scheduler whose tasks (the watchdog among them) come due only long after the test. */
  private final ScheduledThreadPoolExecutor lateScheduler =
      new ScheduledThreadPoolExecutor(1) {
        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
          return super.schedule(task, 1, TimeUnit.DAYS);
        }
      };

  @AfterEach
  void stop() {
    lateScheduler.shutdownNow();
  }

  @Test
  void a_process_ended_at_the_commands_deadline_times_the_command_out_before_the_watchdog_fires() {
    // What the executor makes of its killed process (here: "failed") must not decide the status:
    // the runner ends the process at the deadline itself, and may do so before the watchdog.
    CommandExecutor sleepy =
        new CommandExecutor() {
          @Override
          public String type() {
            return "collect";
          }

          @Override
          public CommandOutcome execute(CommandContext context) throws Exception {
            ProcessResult result =
                context.processes().run(List.of("sleep", "30"), Duration.ofSeconds(60));
            return CommandOutcome.failed(result.exitCode(), result.stdout(), "sleep was killed");
          }
        };
    AtomicReference<CommandResult> reported = new AtomicReference<>();
    Execution execution =
        new Execution(
            envelopeWithTimeout(1),
            sleepy,
            (stream, text) -> {},
            4096,
            Clock.systemUTC(),
            lateScheduler,
            reported::set);

    execution.run();

    assertThat(reported.get().status()).isEqualTo(CommandStatus.TIMED_OUT);
  }

  private static SignedEnvelope envelopeWithTimeout(int seconds) {
    return new SignedEnvelope(
        CommandId.of("c-deadline"),
        AgentId.of("self"),
        "collect",
        CanonicalJson.emptyObject(),
        null,
        seconds,
        Instant.now(),
        Instant.now().plusSeconds(300),
        null);
  }
}
