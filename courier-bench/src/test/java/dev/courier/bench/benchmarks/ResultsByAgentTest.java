package dev.courier.bench.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.bench.fleet.SimulatedAgent;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ResultsByAgentTest {

  private static SimulatedAgent agent(String id) {
    return new SimulatedAgent() {
      @Override
      public AgentId id() {
        return AgentId.of(id);
      }

      @Override
      public String protocol() {
        return "websocket";
      }

      @Override
      public void start() {}

      @Override
      public void stop() {}
    };
  }

  private final ResultsByAgent results = new ResultsByAgent();
  private final SimulatedAgent first = agent("agt_1");
  private final SimulatedAgent second = agent("agt_2");

  @Test
  void the_nth_stored_result_of_an_agent_is_returned_with_its_time() throws Exception {
    results.resultStored(first, CommandId.of("cmd_a"), 100);
    results.resultStored(first, CommandId.of("cmd_b"), 250);

    assertThat(results.awaitStored(first, 2, Duration.ZERO)).isEqualTo(250);
  }

  @Test
  void a_result_acknowledged_twice_counts_once() {
    results.resultStored(first, CommandId.of("cmd_a"), 100);
    results.resultStored(first, CommandId.of("cmd_a"), 180);

    assertThatThrownBy(() -> results.awaitStored(first, 2, Duration.ZERO))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("agt_1 had 1 results stored, not 2");
  }

  @Test
  void each_agent_is_counted_on_its_own() throws Exception {
    results.resultStored(first, CommandId.of("cmd_a"), 100);
    results.resultStored(second, CommandId.of("cmd_b"), 300);

    assertThat(results.awaitStored(first, 1, Duration.ZERO)).isEqualTo(100);
    assertThat(results.awaitStored(second, 1, Duration.ZERO)).isEqualTo(300);
  }
}
