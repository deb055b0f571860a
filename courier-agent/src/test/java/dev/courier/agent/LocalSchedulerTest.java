package dev.courier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.config.AgentConfig;
import dev.courier.agent.config.LocalSchedule;
import dev.courier.agent.executor.EchoExecutor;
import dev.courier.agent.sdk.ExecutorRegistry;
import dev.courier.agent.sdk.LocalRunner;
import dev.courier.protocol.ProtocolJson;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSchedulerTest {

  @TempDir Path state;

  private static LocalSchedule schedule(String yaml) throws Exception {
    return AgentConfig.parse(Path.of("agent.yaml"), yaml).schedules().getFirst();
  }

  @Test
  void a_local_run_goes_through_the_executors_and_its_result_is_kept_on_disk() throws Exception {
    LocalSchedule echo =
        schedule(
            """
            schedules:
              - {name: ping, cron: "*/5 * * * *", type: echo, params: {message: local hello}}
            """);
    try (LocalScheduler scheduler =
        new LocalScheduler(
            java.util.List.of(echo),
            new LocalRunner(ExecutorRegistry.of(new EchoExecutor()), 4096, Clock.systemUTC()),
            state,
            Clock.systemUTC(),
            null)) {

      Path file = scheduler.runOnce(echo);

      JsonNode result = ProtocolJson.mapper().readTree(file.toFile());
      assertThat(file.getParent()).isEqualTo(state.resolve("local-results/ping"));
      assertThat(result.path("result").path("status").asText()).isEqualTo("completed");
      assertThat(result.path("result").path("output").asText()).isEqualTo("local hello");
      assertThat(result.path("local_run_id").asText()).startsWith("local-ping-");
      assertThat(result.path("schedule").asText()).isEqualTo("ping");
      assertThat(result.path("type").asText()).isEqualTo("echo");
    }
  }

  @Test
  void a_local_run_of_a_type_without_an_executor_fails_like_a_server_command() throws Exception {
    LocalSchedule unknown =
        schedule("schedules:\n  - {name: x, cron: \"0 * * * *\", type: no_such_type}\n");
    try (LocalRunner runner =
        new LocalRunner(ExecutorRegistry.of(new EchoExecutor()), 4096, Clock.systemUTC())) {
      var result =
          runner.run(LocalRunner.localId("x"), unknown.type(), unknown.params(), unknown.timeout());

      assertThat(result.status().wireName()).isEqualTo("failed");
      assertThat(result.error()).contains("no executor for command type no_such_type");
    }
  }

  @Test
  void cron_expressions_fire_in_the_schedules_time_zone() throws Exception {
    LocalSchedule nightly =
        schedule(
            "schedules:\n  - {name: n, cron: \"0 2 * * *\", timezone: Europe/Paris, type: echo}\n");

    ZonedDateTime next =
        nightly
            .nextAfter(ZonedDateTime.of(2026, 1, 10, 12, 0, 0, 0, ZoneId.of("UTC")))
            .orElseThrow();

    assertThat(next.toInstant()).isEqualTo(java.time.Instant.parse("2026-01-11T01:00:00Z"));
  }
}
