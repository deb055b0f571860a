package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import org.junit.jupiter.api.Test;

class HealthCheckExecutorTest {

  private static final LazySystemInfo SYSTEM = new LazySystemInfo();

  @Test
  void reports_memory_disks_cpu_uptime_and_version_of_this_host() {
    HealthCheckExecutor health =
        new HealthCheckExecutor(SYSTEM, "9.9.9-test", HealthThresholds.defaults());

    CommandOutcome outcome = health.execute(FakeContext.of("health_check", "{}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.COMPLETED);
    JsonNode metadata = outcome.metadata();
    assertThat(metadata.path("healthy").isBoolean()).isTrue();
    assertThat(metadata.path("agent_version").asText()).isEqualTo("9.9.9-test");
    JsonNode checks = metadata.path("checks");
    assertThat(checks.path("memory").path("total_bytes").asLong()).isPositive();
    assertThat(checks.path("memory").path("used_percent").asDouble()).isBetween(0.0, 100.0);
    assertThat(checks.path("disks").path("file_systems")).isNotEmpty();
    assertThat(checks.path("disks").path("file_systems").get(0).path("mount").asText())
        .isNotBlank();
    assertThat(checks.path("cpu").path("logical_cores").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(checks.path("cpu").path("load_percent").asDouble()).isBetween(0.0, 100.0);
    assertThat(checks.path("uptime").path("system_uptime_seconds").asLong()).isPositive();
    assertThat(checks.path("uptime").path("agent_uptime_seconds").asLong()).isNotNegative();
    for (String check : new String[] {"memory", "disks", "cpu", "uptime"}) {
      assertThat(checks.path(check).path("status").asText()).as(check).isIn("ok", "critical");
    }
    assertThat(outcome.output()).containsAnyOf("healthy", "unhealthy");
  }

  @Test
  void memory_or_disk_above_the_threshold_makes_the_host_unhealthy_but_the_command_completes() {
    HealthCheckExecutor strict =
        new HealthCheckExecutor(SYSTEM, "9.9.9-test", new HealthThresholds(0.0, 0.0));

    CommandOutcome outcome = strict.execute(FakeContext.of("health_check", "{}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.metadata().path("healthy").asBoolean()).isFalse();
    assertThat(outcome.metadata().path("checks").path("memory").path("status").asText())
        .isEqualTo("critical");
    assertThat(outcome.output()).startsWith("unhealthy");
  }
}
