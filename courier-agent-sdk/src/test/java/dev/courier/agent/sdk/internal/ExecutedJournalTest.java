package dev.courier.agent.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.protocol.CommandId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutedJournalTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("executed.journal");
  }

  @Test
  void recorded_ids_survive_a_reopen() throws IOException {
    try (ExecutedJournal journal = ExecutedJournal.open(file(), CLOCK)) {
      assertThat(journal.recordExecuted(CommandId.of("c1"), NOW.plusSeconds(60))).isTrue();
      assertThat(journal.recordExecuted(CommandId.of("c2"), NOW.plusSeconds(60))).isTrue();
      journal.recordConfirmed(CommandId.of("c1"));
    }

    try (ExecutedJournal reopened = ExecutedJournal.open(file(), CLOCK)) {
      assertThat(reopened.contains(CommandId.of("c1"))).isTrue();
      assertThat(reopened.isConfirmed(CommandId.of("c1"))).isTrue();
      assertThat(reopened.contains(CommandId.of("c2"))).isTrue();
      assertThat(reopened.isConfirmed(CommandId.of("c2"))).isFalse();
      assertThat(reopened.unconfirmed()).containsExactly(CommandId.of("c2"));
      assertThat(reopened.contains(CommandId.of("c3"))).isFalse();
    }
  }

  @Test
  void an_id_is_recorded_once() throws IOException {
    try (ExecutedJournal journal = ExecutedJournal.open(file(), CLOCK)) {
      assertThat(journal.recordExecuted(CommandId.of("c1"), NOW)).isTrue();
      assertThat(journal.recordExecuted(CommandId.of("c1"), NOW)).isFalse();
    }
    assertThat(Files.readAllLines(file())).hasSize(1);
  }

  @Test
  void a_torn_last_line_from_a_crash_is_ignored() throws IOException {
    Files.writeString(file(), "E c1 1772366400\nC c1\nE c2 17723");
    Files.writeString(file(), "E c2", java.nio.file.StandardOpenOption.APPEND);

    try (ExecutedJournal journal = ExecutedJournal.open(file(), CLOCK)) {
      assertThat(journal.contains(CommandId.of("c1"))).isTrue();
      assertThat(journal.isConfirmed(CommandId.of("c1"))).isTrue();
      assertThat(journal.size()).isEqualTo(1);
    }
  }

  @Test
  void compaction_forgets_only_confirmed_ids_long_expired() throws IOException {
    Instant longAgo = NOW.minus(ExecutedJournal.RETENTION).minus(Duration.ofDays(1));
    try (ExecutedJournal journal = ExecutedJournal.open(file(), CLOCK, 1_000_000)) {
      for (int i = 0; i < 50; i++) {
        journal.recordExecuted(CommandId.of("old-" + i), longAgo);
        journal.recordConfirmed(CommandId.of("old-" + i));
      }
      journal.recordExecuted(CommandId.of("old-unconfirmed"), longAgo);
      journal.recordExecuted(CommandId.of("recent"), NOW.plusSeconds(60));
      journal.recordConfirmed(CommandId.of("recent"));
    }

    try (ExecutedJournal compacted = ExecutedJournal.open(file(), CLOCK, 10)) {
      assertThat(compacted.size()).isEqualTo(2);
      assertThat(compacted.contains(CommandId.of("old-unconfirmed"))).isTrue();
      assertThat(compacted.isConfirmed(CommandId.of("recent"))).isTrue();
      assertThat(compacted.contains(CommandId.of("old-3"))).isFalse();
    }
    assertThat(Files.readAllLines(file())).hasSize(3);
    try (ExecutedJournal reopened = ExecutedJournal.open(file(), CLOCK)) {
      assertThat(reopened.isConfirmed(CommandId.of("recent"))).isTrue();
      assertThat(reopened.unconfirmed()).containsExactly(CommandId.of("old-unconfirmed"));
    }
  }

  @Test
  void the_file_is_compacted_while_appending_once_it_reaches_the_threshold() throws IOException {
    Instant longAgo = NOW.minus(ExecutedJournal.RETENTION).minus(Duration.ofDays(1));
    try (ExecutedJournal journal = ExecutedJournal.open(file(), CLOCK, 20)) {
      for (int i = 0; i < 100; i++) {
        journal.recordExecuted(CommandId.of("c-" + i), longAgo);
        journal.recordConfirmed(CommandId.of("c-" + i));
      }
      journal.recordExecuted(CommandId.of("live"), NOW);
    }

    assertThat(Files.readAllLines(file()).size()).isLessThan(25);
    try (ExecutedJournal reopened = ExecutedJournal.open(file(), CLOCK)) {
      assertThat(reopened.contains(CommandId.of("live"))).isTrue();
    }
  }

  @Test
  void an_id_with_whitespace_cannot_be_journaled() {
    try (ExecutedJournal journal = ExecutedJournal.open(file(), CLOCK)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> journal.recordExecuted(CommandId.of("a b"), NOW))
          .isInstanceOf(IOException.class);
    }
  }
}
