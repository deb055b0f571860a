package dev.courier.bench.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.bench.baseline.BareServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EchoRoundTripsTest {

  /** Far longer than any test here may take: a wait that runs it out fails the test's timeout. */
  private static final Duration PATIENCE = Duration.ofMinutes(5);

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void a_fan_out_times_every_connections_echo() throws Exception {
    try (BareServer bare = BareServer.start(0);
        EchoRoundTrips echo = new EchoRoundTrips(bare.echoUrl(), 3)) {
      long[] times = echo.fanOut("hello", PATIENCE);

      assertThat(times).hasSize(3);
      assertThat(Arrays.stream(times).min().orElseThrow()).isPositive();
      assertThat(echo.fanOut("again", PATIENCE)).hasSize(3);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void echoes_on_connections_the_server_ended_fail_at_once_and_say_why() {
    BareServer bare = BareServer.start(0);
    try (EchoRoundTrips echo = new EchoRoundTrips(bare.echoUrl(), 3)) {
      bare.close();

      assertThatThrownBy(() -> echo.fanOut("hello", PATIENCE))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("3 of 3 echoes did not come back; connection 0: ")
          .hasMessageNotContaining("no echo within");
    } finally {
      bare.close();
    }
  }
}
