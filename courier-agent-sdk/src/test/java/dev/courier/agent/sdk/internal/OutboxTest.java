package dev.courier.agent.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

  @TempDir Path dir;

  private static CommandResult result(String id, CommandStatus status, Instant at) {
    return new CommandResult(
        CommandId.of(id), status, at, 12L, 0, "sum", 1, null, null, "output of " + id);
  }

  @Test
  void stored_results_survive_a_reopen_oldest_first() throws IOException {
    Instant t0 = Instant.parse("2026-03-01T12:00:00Z");
    Outbox outbox = Outbox.open(dir);
    outbox.put(result("b", CommandStatus.FAILED, t0.plusSeconds(5)));
    outbox.put(result("a", CommandStatus.COMPLETED, t0));

    Outbox reopened = Outbox.open(dir);

    assertThat(reopened.pending())
        .containsExactly(
            result("a", CommandStatus.COMPLETED, t0),
            result("b", CommandStatus.FAILED, t0.plusSeconds(5)));
  }

  @Test
  void a_removed_result_is_gone_from_disk() throws IOException {
    Outbox outbox = Outbox.open(dir);
    outbox.put(result("a", CommandStatus.COMPLETED, Instant.now()));

    outbox.remove(CommandId.of("a"));

    assertThat(outbox.size()).isZero();
    assertThat(Outbox.open(dir).pending()).isEmpty();
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void a_second_result_for_the_same_command_replaces_the_first() throws IOException {
    Outbox outbox = Outbox.open(dir);
    outbox.put(result("a", CommandStatus.COMPLETED, Instant.now()));
    outbox.put(result("a", CommandStatus.FAILED, Instant.now()));

    assertThat(Outbox.open(dir).pending())
        .singleElement()
        .extracting(CommandResult::status)
        .isEqualTo(CommandStatus.FAILED);
  }

  @Test
  void a_corrupt_file_is_moved_aside_and_the_rest_still_load() throws IOException {
    Outbox outbox = Outbox.open(dir);
    outbox.put(result("good", CommandStatus.COMPLETED, Instant.now()));
    Files.writeString(dir.resolve("bad.json"), "{\"command_id\": \"bad\", \"sta");

    Outbox reopened = Outbox.open(dir);

    assertThat(reopened.pending()).extracting(r -> r.commandId().value()).containsExactly("good");
    assertThat(dir.resolve("bad.json.corrupt")).exists();
  }

  @Test
  void ids_that_are_not_plain_file_names_stay_inside_the_directory() throws IOException {
    Outbox outbox = Outbox.open(dir);
    CommandId hostile = CommandId.of("../../etc/passwd");

    outbox.put(
        new CommandResult(
            hostile, CommandStatus.FAILED, Instant.now(), 0L, null, null, null, "x", null, null));

    assertThat(outbox.fileFor(hostile).getParent()).isEqualTo(dir);
    assertThat(Outbox.open(dir).get(hostile)).isPresent();
  }

  @Test
  void the_outbox_is_full_at_its_quota_keeps_every_result_and_frees_up_when_confirmed()
      throws IOException {
    Instant at = Instant.parse("2026-03-01T12:00:00Z");
    long oneResult;
    Outbox probe = Outbox.open(dir.resolve("probe"));
    probe.put(result("a", CommandStatus.COMPLETED, at));
    oneResult = probe.bytes();
    Outbox outbox = Outbox.open(dir.resolve("quota"), oneResult * 2);

    outbox.put(result("a", CommandStatus.COMPLETED, at));
    boolean fullAfterOne = outbox.isFull();
    outbox.put(result("b", CommandStatus.COMPLETED, at));
    outbox.put(result("c", CommandStatus.COMPLETED, at));

    assertThat(fullAfterOne).isFalse();
    assertThat(outbox.isFull()).isTrue();
    assertThat(outbox.size()).as("a result past the quota is still stored").isEqualTo(3);
    assertThat(Outbox.open(dir.resolve("quota"), oneResult * 2).isFull())
        .as("the quota counts what an earlier run left")
        .isTrue();
    outbox.remove(CommandId.of("a"));
    outbox.remove(CommandId.of("b"));
    assertThat(outbox.isFull()).isFalse();
    assertThat(outbox.bytes()).isEqualTo(oneResult);
  }
}
