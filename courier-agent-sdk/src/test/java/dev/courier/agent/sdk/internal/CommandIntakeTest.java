package dev.courier.agent.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.ExecutorRegistry;
import dev.courier.agent.sdk.OutputSink;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.protocol.envelope.EnvelopeKeys;
import dev.courier.protocol.envelope.EnvelopeSigner;
import dev.courier.protocol.envelope.EnvelopeVerifier;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The intake's decisions, driven directly with a recording link. */
class CommandIntakeTest {

  private static final AgentId SELF = AgentId.of("self");
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;

  private final KeyPair keys = EnvelopeKeys.generate();
  private final EnvelopeSigner signer = new EnvelopeSigner(keys.getPrivate());
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<CommandId, CommandResult> results = new ConcurrentHashMap<>();
  private final AtomicInteger polls = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private ScheduledExecutorService scheduler;
  private ExecutedJournal journal;
  private Outbox outbox;
  private CommandIntake intake;

  private final AgentLink link =
      new AgentLink() {
        @Override
        public Ack acknowledge(CommandId id) {
          calls.add("ack " + id);
          return Ack.ACCEPTED;
        }

        @Override
        public void reportRunning(CommandId id) {
          calls.add("running " + id);
        }

        @Override
        public Delivery sendResult(CommandResult result) {
          return Delivery.CONFIRMED;
        }

        @Override
        public String name() {
          return "test";
        }
      };

  private final CommandExecutor blocking =
      new CommandExecutor() {
        @Override
        public String type() {
          return "block";
        }

        @Override
        public CommandOutcome execute(CommandContext context) throws Exception {
          release.await(20, TimeUnit.SECONDS);
          return CommandOutcome.completed(null);
        }
      };

  private final CommandExecutor restarting =
      new CommandExecutor() {
        @Override
        public String type() {
          return "restart_into";
        }

        @Override
        public CommandOutcome execute(CommandContext context) throws Exception {
          throw new dev.courier.agent.sdk.ResultAfterRestart("the next run reports this");
        }
      };

  @BeforeEach
  void setUp() {
    scheduler = Executors.newSingleThreadScheduledExecutor();
    journal = ExecutedJournal.open(dir.resolve("executed.journal"), Clock.systemUTC());
    outbox = Outbox.open(dir.resolve("outbox"), 2048);
    intake =
        new CommandIntake(
            ExecutorRegistry.of(blocking, restarting),
            new EnvelopeVerifier(keys.getPublic(), SELF, Clock.systemUTC()),
            journal,
            outbox,
            new CommandIntake.Callbacks() {
              @Override
              public void result(CommandResult result) {
                results.put(result.commandId(), result);
              }

              @Override
              public void resendStored() {}

              @Override
              public AgentLink link() {
                return link;
              }

              @Override
              public OutputSink output(CommandId id) {
                return (stream, text) -> {};
              }

              @Override
              public void pollSoon() {
                polls.incrementAndGet();
              }

              @Override
              public void unauthorized(AgentUnauthorizedException e) {}
            },
            1,
            4096,
            Clock.systemUTC(),
            scheduler);
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    scheduler.shutdownNow();
    journal.close();
  }

  private SignedEnvelope envelope(String id) {
    return envelope(id, "block");
  }

  private SignedEnvelope envelope(String id, String type) {
    return signer.sign(
        new SignedEnvelope(
            CommandId.of(id),
            SELF,
            type,
            CanonicalJson.emptyObject(),
            null,
            30,
            Instant.now(),
            Instant.now().plusSeconds(300),
            null));
  }

  @Test
  void a_delivery_while_every_slot_is_busy_is_not_acknowledged_and_a_freed_slot_asks_for_a_poll() {
    intake.receive(envelope("first"), CommandIntake.Source.PUSHED);
    await().atMost(PATIENCE).until(() -> calls.contains("running first"));

    intake.receive(envelope("second"), CommandIntake.Source.PUSHED);

    assertThat(calls).doesNotContain("ack second");
    assertThat(intake.freeSlots()).isZero();
    assertThat(polls).hasValue(0);

    release.countDown();

    await().atMost(PATIENCE).until(() -> polls.get() == 1);
    assertThat(results.get(CommandId.of("first")).status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(intake.freeSlots()).isEqualTo(1);
  }

  @Test
  void a_heartbeat_claimed_command_waits_for_a_slot_instead_of_being_dropped() {
    intake.receive(envelope("first"), CommandIntake.Source.PUSHED);
    await().atMost(PATIENCE).until(() -> calls.contains("running first"));

    intake.receive(envelope("claimed"), CommandIntake.Source.CLAIMED);
    release.countDown();

    await().atMost(PATIENCE).until(() -> results.containsKey(CommandId.of("claimed")));
    assertThat(calls).doesNotContain("ack claimed").contains("running claimed");
  }

  @Test
  void a_duplicate_delivery_of_a_running_command_is_ignored() {
    intake.receive(envelope("first"), CommandIntake.Source.PUSHED);
    await().atMost(PATIENCE).until(() -> calls.contains("running first"));

    intake.receive(envelope("first"), CommandIntake.Source.POLLED);
    release.countDown();
    await().atMost(PATIENCE).until(() -> results.containsKey(CommandId.of("first")));

    assertThat(calls).filteredOn("ack first"::equals).hasSize(1);
    assertThat(results.get(CommandId.of("first")).status()).isEqualTo(CommandStatus.COMPLETED);
  }

  @Test
  void an_unknown_type_is_refused_on_the_spot() {
    SignedEnvelope unknown =
        signer.sign(
            new SignedEnvelope(
                CommandId.of("odd"),
                SELF,
                "format_disk",
                CanonicalJson.emptyObject(),
                null,
                30,
                Instant.now(),
                Instant.now().plusSeconds(300),
                null));

    intake.receive(unknown, CommandIntake.Source.PUSHED);

    assertThat(results.get(CommandId.of("odd")).status()).isEqualTo(CommandStatus.FAILED);
    assertThat(results.get(CommandId.of("odd")).error())
        .isEqualTo("unsupported command type format_disk");
    assertThat(calls).isEmpty();
    assertThat(journal.contains(CommandId.of("odd"))).isFalse();
  }

  @Test
  void while_the_outbox_is_at_its_quota_no_command_is_taken_until_results_are_confirmed()
      throws Exception {
    outbox.put(
        new CommandResult(
            CommandId.of("stored"),
            CommandStatus.COMPLETED,
            Instant.now(),
            1L,
            0,
            null,
            null,
            null,
            null,
            "x".repeat(4096)));
    assertThat(outbox.isFull()).isTrue();

    intake.receive(envelope("waits"), CommandIntake.Source.PUSHED);

    assertThat(calls).doesNotContain("ack waits");
    assertThat(journal.contains(CommandId.of("waits"))).isFalse();
    outbox.remove(CommandId.of("stored"));
    intake.outboxDrained();
    assertThat(polls).as("asks the server for what it left pending").hasValue(1);
  }

  @Test
  void a_command_finished_by_the_next_run_reports_nothing_now_and_ignores_redelivery() {
    intake.receive(envelope("upgrade", "restart_into"), CommandIntake.Source.PUSHED);
    await()
        .atMost(PATIENCE)
        .until(() -> intake.freeSlots() == 1 && calls.contains("running upgrade"));

    intake.receive(envelope("upgrade", "restart_into"), CommandIntake.Source.POLLED);

    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !results.containsKey(CommandId.of("upgrade")));
    assertThat(journal.contains(CommandId.of("upgrade"))).isTrue();
    assertThat(calls).filteredOn("ack upgrade"::equals).hasSize(1);
  }
}
