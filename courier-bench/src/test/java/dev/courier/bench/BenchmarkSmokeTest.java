package dev.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every benchmark at a tiny size, so none of them can rot: it must finish and its JSON must carry
 * its figures, its baseline, its ratio and the machine facts. The figures themselves are never
 * checked against anything: this machine's speed is not what these tests are about.
 */
class BenchmarkSmokeTest {

  @TempDir Path dir;

  private JsonNode run(String name, String... options) throws Exception {
    Path json = dir.resolve(name + ".json");
    List<String> args = new ArrayList<>(List.of(name, "--json", json.toString()));
    args.addAll(List.of(options));
    assertThat(BenchMain.run(args.toArray(String[]::new))).as(name + " exit code").isZero();
    JsonNode report = new ObjectMapper().readTree(Files.readString(json));
    assertThat(report.path("benchmark").asText()).isEqualTo(name);
    assertThat(report.path("machine").path("cores").asInt()).isPositive();
    assertThat(report.path("machine").path("jdk").asText()).isNotBlank();
    assertThat(report.path("parameters").path("db").asText()).isEqualTo("sqlite");
    return report;
  }

  private static void hasFigures(JsonNode report, String... keys) {
    for (String key : keys) {
      assertThat(report.path("figures").path(key).isNumber()).as("figure " + key).isTrue();
    }
  }

  private static void hasBaseline(JsonNode report, String... keys) {
    assertThat(report.path("baseline").path("description").asText()).isNotBlank();
    for (String key : keys) {
      assertThat(report.path("baseline").path("figures").path(key).isNumber())
          .as("baseline figure " + key)
          .isTrue();
    }
    assertThat(report.path("ratio").isNumber()).as("ratio").isTrue();
  }

  @Test
  void latency_reports_dispatch_percentiles_against_a_bare_websocket_round_trip() throws Exception {
    JsonNode report = run("latency", "--agents", "5", "--commands", "20", "--warmup", "5");
    hasFigures(report, "dispatch_p50_ms", "dispatch_p99_ms", "dispatch_max_ms", "create_p50_ms");
    hasBaseline(report, "round_trip_p50_ms", "round_trip_p99_ms");
    assertThat(report.path("figures").path("fleet_errors").asInt()).isZero();
  }

  @Test
  void fanout_reaches_every_agent_including_the_http_polling_and_heartbeat_ones() throws Exception {
    JsonNode report = run("fanout", "--agents", "12", "--http-share", "0.34", "--rounds", "2");
    hasFigures(
        report,
        "total_ms",
        "delivered_p50_ms",
        "accepted_p50_ms",
        "stored_p99_ms",
        "stored_max_ms",
        "total_ms_min",
        "total_ms_max");
    hasBaseline(report, "total_ms");
    JsonNode figures = report.path("figures");
    assertThat(figures.path("fleet_errors").asInt()).isZero();
    assertThat(figures.path("total_ms_min").asDouble())
        .isLessThanOrEqualTo(figures.path("total_ms").asDouble())
        .isLessThanOrEqualTo(figures.path("total_ms_max").asDouble());
    assertThat(report.path("notes").toString()).contains("round 1: total", "round 2: total");
  }

  /** A throughput run of a few seconds with {@code options}. */
  private JsonNode throughput(String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of(options));
    args.addAll(List.of("--seconds", "2", "--warmup-seconds", "1", "--baseline-seconds", "1"));
    return run("throughput", args.toArray(String[]::new));
  }

  @Test
  void throughput_reports_lifecycles_per_second_against_raw_inserts() throws Exception {
    JsonNode report = throughput("--agents", "5", "--in-flight", "4");
    hasFigures(report, "lifecycles_per_second", "lifecycle_p50_ms", "warmup_seconds");
    hasBaseline(report, "insert_tx_per_second");
  }

  @Test
  void throughput_can_create_its_commands_as_rollouts_to_groups_of_agents() throws Exception {
    JsonNode report = throughput("--agents", "7", "--rollout-size", "3");
    assertThat(report.path("parameters").path("creation").asText()).isEqualTo("rollouts");
    assertThat(report.path("parameters").path("agents").asInt())
        .as("two whole groups")
        .isEqualTo(6);
    hasFigures(report, "lifecycles_per_second", "lifecycle_p50_ms", "lifecycles_measured");
    assertThat(report.path("figures").path("lifecycles_measured").asLong())
        .as("lifecycles inside the window")
        .isPositive();
    assertThat(report.path("figures").path("fleet_errors").asLong()).isZero();
    hasBaseline(report, "insert_tx_per_second");
  }

  @Test
  void capacity_reads_the_server_process_heap_rss_and_cpu() throws Exception {
    JsonNode report = run("capacity", "--agents", "10", "--window-seconds", "2");
    hasFigures(report, "connected_agents", "heap_live_mib", "rss_mib", "cpu_percent");
    hasBaseline(report, "heap_live_mib", "rss_mib");
  }

  @Test
  void reconnect_brings_every_agent_back_after_a_restart() throws Exception {
    JsonNode report = run("reconnect", "--agents", "10");
    hasFigures(report, "ready_to_all_reconnected_ms", "failed_attempts", "connected_at_end");
    hasBaseline(report, "first_connect_ms");
  }

  @Test
  void agent_footprint_reads_the_real_agent_process_from_proc() throws Exception {
    JsonNode report = run("agent-footprint", "--quick", "--window-seconds", "2");
    hasFigures(report, "rss_mib", "cpu_percent", "start_to_connected_ms");
    hasBaseline(report, "rss_mib");
  }

  @Test
  void startup_times_server_processes_until_ready() throws Exception {
    JsonNode report = run("startup", "--runs", "1");
    hasFigures(report, "cold_start_ms", "warm_start_p50_ms");
    hasBaseline(report, "cold_start_ms", "warm_start_p50_ms");
  }

  @Test
  void without_a_name_it_lists_the_benchmarks() {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(BenchMain.run()).isZero();
    } finally {
      System.setOut(original);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains(
            "latency",
            "fanout",
            "throughput",
            "capacity",
            "reconnect",
            "agent-footprint",
            "startup");
  }
}
