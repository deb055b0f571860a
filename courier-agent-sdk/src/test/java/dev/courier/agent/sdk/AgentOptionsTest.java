package dev.courier.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.protocol.AgentId;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AgentOptionsTest {

  private static final URI SERVER = URI.create("https://courier.example.com");
  private static final AgentIdentity IDENTITY =
      new AgentIdentity(AgentId.of("agent-1"), "ck_agent_secret", "cHVibGlj", SERVER);

  private static AgentOptions defaults() {
    return AgentOptions.defaults(SERVER, IDENTITY, Path.of("/var/lib/courier"));
  }

  @Test
  void defaults_are_the_documented_values() {
    AgentOptions options = defaults();

    assertThat(options.version()).isEqualTo("0.1.0");
    assertThat(options.hostname()).isNotBlank();
    assertThat(options.labels()).isEmpty();
    assertThat(options.maxConcurrent()).isEqualTo(4);
    assertThat(options.transport()).isEqualTo(Transport.WEBSOCKET);
    assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.pollInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.minBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(options.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.outputCapBytes()).isEqualTo(1024 * 1024);
    assertThat(options.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void each_with_method_changes_only_its_own_field() {
    AgentOptions base = defaults();

    AgentOptions changed =
        base.withHostname("h2")
            .withVersion("2.0")
            .withLabels(Map.of("env", "prod"))
            .withMaxConcurrent(8)
            .withTransport(Transport.POLL)
            .withHeartbeatInterval(Duration.ofSeconds(10))
            .withPollInterval(Duration.ofSeconds(2))
            .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
            .withOutputCapBytes(4096)
            .withShutdownGrace(Duration.ofSeconds(3))
            .withOutboxQuotaBytes(4096);

    assertThat(changed)
        .isEqualTo(
            new AgentOptions(
                SERVER,
                IDENTITY,
                base.stateDir(),
                "h2",
                "2.0",
                Map.of("env", "prod"),
                8,
                Transport.POLL,
                Duration.ofSeconds(10),
                Duration.ofSeconds(2),
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                4096,
                Duration.ofSeconds(3),
                4096L));
    assertThat(base).isEqualTo(defaults());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            (UnaryOperator<AgentOptions>) o -> o.withMaxConcurrent(0),
            "maxConcurrent must be between 1 and 256"),
        Arguments.of(
            (UnaryOperator<AgentOptions>) o -> o.withMaxConcurrent(257),
            "maxConcurrent must be between 1 and 256"),
        Arguments.of(
            (UnaryOperator<AgentOptions>) o -> o.withHostname(" "), "hostname must not be blank"),
        Arguments.of(
            (UnaryOperator<AgentOptions>) o -> o.withVersion(null), "version must not be blank"),
        Arguments.of((UnaryOperator<AgentOptions>) o -> o.withLabels(null), "labels must be set"),
        Arguments.of(
            (UnaryOperator<AgentOptions>) o -> o.withTransport(null), "transport must be set"),
        Arguments.of(
            (UnaryOperator<AgentOptions>) o -> o.withHeartbeatInterval(Duration.ZERO),
            "heartbeatInterval must be between"),
        Arguments.of(
            (UnaryOperator<AgentOptions>) o -> o.withPollInterval(Duration.ofHours(2)),
            "pollInterval must be between"),
        Arguments.of(
            (UnaryOperator<AgentOptions>)
                o -> o.withBackoff(Duration.ofMillis(1), Duration.ofSeconds(1)),
            "minBackoff must be between"),
        Arguments.of(
            (UnaryOperator<AgentOptions>)
                o -> o.withBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)),
            "maxBackoff must be between"),
        Arguments.of(
            (UnaryOperator<AgentOptions>) o -> o.withOutputCapBytes(100),
            "outputCapBytes must be between"),
        Arguments.of(
            (UnaryOperator<AgentOptions>) o -> o.withShutdownGrace(Duration.ofSeconds(-1)),
            "shutdownGrace must be between"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void an_invalid_option_is_refused_with_its_name(
      UnaryOperator<AgentOptions> change, String message) {
    assertThatThrownBy(() -> change.apply(defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void the_server_must_be_an_http_url() {
    assertThatThrownBy(
            () -> AgentOptions.defaults(URI.create("ftp://x"), IDENTITY, Path.of("state")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server must be an http or https URL");
    assertThatThrownBy(() -> AgentOptions.defaults(SERVER, null, Path.of("state")))
        .hasMessageContaining("identity must be set");
    assertThatThrownBy(() -> AgentOptions.defaults(SERVER, IDENTITY, null))
        .hasMessageContaining("stateDir must be set");
  }

  @Test
  void labels_are_copied_so_later_changes_do_not_leak_in() {
    var labels = new java.util.HashMap<String, String>();
    labels.put("a", "1");
    AgentOptions options = defaults().withLabels(labels);
    labels.put("b", "2");

    assertThat(options.labels()).containsOnlyKeys("a");
  }
}
