package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TelemetryExecutorTest {

  private static final TelemetryExecutor TELEMETRY = new TelemetryExecutor(new LazySystemInfo());

  @Test
  void samples_cpu_memory_file_systems_network_and_the_busiest_processes() throws Exception {
    CommandOutcome outcome =
        TELEMETRY.execute(FakeContext.of("collect_telemetry", "{\"sample_ms\":200,\"top\":3}"));

    assertThat(outcome.status()).as(outcome.error()).isEqualTo(CommandStatus.COMPLETED);
    JsonNode telemetry = outcome.metadata();
    assertThat(telemetry.path("sample_ms").asLong()).isGreaterThanOrEqualTo(200);
    JsonNode cpu = telemetry.path("cpu");
    assertThat(cpu.path("usage_percent").asDouble()).isBetween(0.0, 100.0);
    assertThat(cpu.path("per_core_percent")).hasSize(cpu.path("logical_cores").asInt());
    assertThat(cpu.path("load_average").has("one")).isTrue();
    assertThat(telemetry.path("memory").path("used_bytes").asLong()).isPositive();
    assertThat(telemetry.path("memory").path("used_bytes").asLong())
        .isLessThanOrEqualTo(telemetry.path("memory").path("total_bytes").asLong());
    assertThat(telemetry.path("swap").path("total_bytes").asLong()).isNotNegative();
    assertThat(telemetry.path("file_systems")).isNotEmpty();
    assertThat(telemetry.path("network").path("bytes_received").asLong()).isNotNegative();
    assertThat(telemetry.path("network").path("interfaces").isArray()).isTrue();
    JsonNode processes = telemetry.path("processes");
    assertThat(processes.path("count").asInt()).isPositive();
    assertThat(processes.path("top")).hasSize(3);
    JsonNode busiest = processes.path("top").get(0);
    assertThat(busiest.path("pid").asInt()).isPositive();
    assertThat(busiest.path("name").asText()).isNotBlank();
    assertThat(busiest.path("cpu_percent").asDouble())
        .isGreaterThanOrEqualTo(processes.path("top").get(2).path("cpu_percent").asDouble());
    assertThat(outcome.output()).startsWith("cpu ");
  }

  @Test
  void top_above_fifty_is_capped_and_zero_skips_the_process_table() throws Exception {
    CommandOutcome many =
        TELEMETRY.execute(FakeContext.of("collect_telemetry", "{\"sample_ms\":0,\"top\":100000}"));
    CommandOutcome none =
        TELEMETRY.execute(FakeContext.of("collect_telemetry", "{\"sample_ms\":0,\"top\":0}"));

    assertThat(many.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(many.metadata().path("processes").path("top").size())
        .isLessThanOrEqualTo(TelemetryExecutor.MAX_TOP);
    assertThat(many.metadata().path("cpu").path("usage_percent").isNull()).isTrue();
    assertThat(none.metadata().path("processes").path("top")).isEmpty();
    assertThat(none.metadata().path("processes").path("count").asInt()).isPositive();
  }

  @Test
  void invalid_sample_or_top_fails_naming_the_field() throws Exception {
    assertThat(TELEMETRY.execute(FakeContext.of("collect_telemetry", "{\"sample_ms\":-1}")).error())
        .isEqualTo("params.sample_ms must be at least 0");
    assertThat(TELEMETRY.execute(FakeContext.of("collect_telemetry", "{\"top\":\"five\"}")).error())
        .isEqualTo("params.top must be a whole number");
    assertThat(TELEMETRY.execute(FakeContext.of("collect_telemetry", "{\"top\":1.5}")).error())
        .isEqualTo("params.top must be a whole number");
  }

  @Test
  void a_cancel_during_the_sample_ends_the_command_cancelled_at_once() throws Exception {
    long started = System.nanoTime();
    CommandOutcome outcome =
        TELEMETRY.execute(FakeContext.of("collect_telemetry", "{\"sample_ms\":5000}").cancel());

    assertThat(outcome.status()).isEqualTo(CommandStatus.CANCELLED);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }
}
