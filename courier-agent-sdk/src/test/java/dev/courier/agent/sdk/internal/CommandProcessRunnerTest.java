package dev.courier.agent.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.agent.sdk.ProcessResult;
import dev.courier.agent.sdk.internal.CommandProcessRunner.StopReason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandProcessRunnerTest {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final AtomicReference<StopReason> stop = new AtomicReference<>(StopReason.NONE);
  private final StringBuffer streamed = new StringBuffer();

  private CommandProcessRunner runner(int cap, Instant deadline) {
    return new CommandProcessRunner(
        cap, () -> deadline, stop::get, (s, text) -> streamed.append(text), Clock.systemUTC());
  }

  private CommandProcessRunner runner() {
    return runner(64 * 1024, Instant.now().plus(Duration.ofHours(1)));
  }

  /** The children of this JVM running {@code sleep <marker>}. */
  private static List<ProcessHandle> sleeps(String marker) {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
        .toList();
  }

  @Test
  void a_process_finishing_in_time_returns_its_exit_code_and_output() throws Exception {
    ProcessResult result =
        runner().run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.timedOut()).isFalse();
    assertThat(result.cancelled()).isFalse();
    assertThat(result.truncated()).isFalse();
    assertThat(streamed.toString()).contains("out", "err");
  }

  @Test
  void a_timeout_kills_the_child_and_its_grandchild() throws Exception {
    String marker = "61.75";
    CommandProcessRunner runner = runner();
    CompletableFuture<ProcessResult> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return runner.run(
                    List.of("/bin/sh", "-c", "sleep " + marker + " & sleep " + marker),
                    Duration.ofSeconds(2));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(PATIENCE).until(() -> sleeps(marker).size() == 2);
    List<ProcessHandle> tree = sleeps(marker);

    ProcessResult ended = result.get(20, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(ended.timedOut()).isTrue();
    assertThat(ended.cancelled()).isFalse();
    await().atMost(PATIENCE).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void the_commands_deadline_bounds_a_longer_process_timeout() throws Exception {
    ProcessResult result =
        runner(1024, Instant.now().plusMillis(300))
            .run(List.of("sleep", "62.25"), Duration.ofSeconds(60));

    assertThat(result.timedOut()).isTrue();
    assertThat(sleeps("62.25")).isEmpty();
  }

  @Test
  void cancelling_kills_the_tree_and_marks_the_result_cancelled() throws Exception {
    String marker = "63.5";
    CommandProcessRunner runner = runner();
    CompletableFuture<ProcessResult> result =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return runner.run(
                    List.of("/bin/sh", "-c", "sleep " + marker + " & sleep " + marker),
                    Duration.ofSeconds(60));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(PATIENCE).until(() -> sleeps(marker).size() == 2);
    List<ProcessHandle> tree = sleeps(marker);

    stop.set(StopReason.CANCELLED);
    runner.killAll();

    assertThat(result.get(20, java.util.concurrent.TimeUnit.SECONDS).cancelled()).isTrue();
    await().atMost(PATIENCE).until(() -> tree.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(runner.running()).isZero();
  }

  @Test
  void no_process_starts_once_the_command_is_stopping() throws Exception {
    stop.set(StopReason.CANCELLED);

    ProcessResult result = runner().run(List.of("sleep", "64.5"), Duration.ofSeconds(60));

    assertThat(result.cancelled()).isTrue();
    assertThat(sleeps("64.5")).isEmpty();
  }

  @Test
  void output_beyond_the_cap_is_dropped_and_flagged_while_the_child_still_finishes()
      throws Exception {
    // 200 KB on stdout against a 1 KiB cap: the child must never block on a full pipe.
    ProcessResult result =
        runner(1024, Instant.now().plus(Duration.ofHours(1)))
            .run(List.of("head", "-c", "200000", "/dev/zero"), Duration.ofSeconds(20));

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).hasSize(1024);
    assertThat(result.truncated()).isTrue();
  }

  @Test
  void arguments_reach_the_program_literally_without_a_shell() throws Exception {
    ProcessResult result =
        runner().run(List.of("echo", "$HOME; touch pwned", "*"), Duration.ofSeconds(10));

    assertThat(result.stdout()).isEqualTo("$HOME; touch pwned *\n");
  }

  @Test
  void a_working_directory_is_honoured(@TempDir Path dir) throws Exception {
    ProcessResult result = runner().run(List.of("pwd"), Duration.ofSeconds(10), dir);

    assertThat(Path.of(result.stdout().strip()).toRealPath()).isEqualTo(dir.toRealPath());
  }
}
