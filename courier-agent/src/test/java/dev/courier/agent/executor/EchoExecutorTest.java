package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import org.junit.jupiter.api.Test;

class EchoExecutorTest {

  private final EchoExecutor echo = new EchoExecutor();

  @Test
  void returns_the_message_as_output_and_metadata() {
    CommandOutcome outcome = echo.execute(FakeContext.of("echo", "{\"message\":\"hello there\"}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.output()).isEqualTo("hello there");
    assertThat(outcome.metadata().path("message").asText()).isEqualTo("hello there");
  }

  @Test
  void a_missing_message_echoes_nothing() {
    CommandOutcome outcome = echo.execute(FakeContext.of("echo", "{}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.output()).isEmpty();
  }

  @Test
  void a_message_that_is_not_a_string_fails_naming_the_field() {
    CommandOutcome outcome = echo.execute(FakeContext.of("echo", "{\"message\":42}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).isEqualTo("params.message must be a string");
  }
}
