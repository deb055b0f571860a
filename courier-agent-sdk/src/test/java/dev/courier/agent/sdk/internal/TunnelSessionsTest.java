package dev.courier.agent.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.courier.agent.sdk.TunnelErrors;
import dev.courier.agent.sdk.TunnelHandler;
import dev.courier.agent.sdk.TunnelRefusedException;
import dev.courier.agent.sdk.TunnelSession;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.TunnelData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TunnelSessionsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private final List<AgentFrame> sent = new CopyOnWriteArrayList<>();
  private final RecordingHandler handler = new RecordingHandler();

  @Test
  void without_a_handler_a_session_is_refused_as_terminal_disabled_and_its_data_too() {
    TunnelSessions tunnels = new TunnelSessions(null, sent::add);

    tunnels.open("s1");
    tunnels.data("s1:terminal", input("ls\n"));

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(sent)
                    .containsExactlyInAnyOrder(
                        new AgentFrame.TunnelError(
                            "s1", "terminal_disabled: the terminal is not enabled on this agent"),
                        new AgentFrame.TunnelError(
                            "s1:terminal", "unknown_session: no open tunnel session s1")));
    assertThat(tunnels.openCount()).isZero();
  }

  @Test
  void an_accepted_session_is_answered_ready_and_gets_its_channel_data_in_order() {
    TunnelSessions tunnels = new TunnelSessions(handler, sent::add);

    tunnels.open("s1");
    for (int i = 0; i < 200; i++) {
      tunnels.data("s1:terminal", input("key" + i));
    }

    await().atMost(PATIENCE).until(() -> handler.events.size() == 201);
    assertThat(sent).containsExactly(new AgentFrame.TunnelReady("s1"));
    assertThat(handler.events.get(0)).isEqualTo("open s1");
    for (int i = 0; i < 200; i++) {
      assertThat(handler.events.get(i + 1)).isEqualTo("data s1:terminal key" + i);
    }
  }

  @Test
  void the_handler_sends_on_its_session_until_the_session_closes() {
    TunnelSessions tunnels = new TunnelSessions(handler, sent::add);
    tunnels.open("s1");
    await().atMost(PATIENCE).until(() -> handler.session != null);

    boolean before = handler.session.send("s1:cmd-1", input("out"));
    tunnels.close("s1", "operator closed it");
    await().atMost(PATIENCE).until(() -> handler.events.contains("close s1 operator closed it"));
    boolean after = handler.session.send("s1:cmd-1", input("late"));

    assertThat(before).isTrue();
    assertThat(after).isFalse();
    assertThat(handler.session.isOpen()).isFalse();
    assertThat(sent)
        .containsExactly(
            new AgentFrame.TunnelReady("s1"), new TunnelData("s1:cmd-1", input("out")));
  }

  @Test
  void data_for_a_session_never_opened_or_already_closed_is_refused_as_unknown_session() {
    TunnelSessions tunnels = new TunnelSessions(handler, sent::add);
    tunnels.open("s1");
    tunnels.close("s1", "done");
    await().atMost(PATIENCE).until(() -> handler.events.contains("close s1 done"));

    tunnels.data("s1:terminal", input("ls\n"));
    tunnels.data("other:cmd-1", input("ls\n"));

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(sent)
                    .filteredOn(AgentFrame.TunnelError.class::isInstance)
                    .extracting(f -> ((AgentFrame.TunnelError) f).error())
                    .containsExactlyInAnyOrder(
                        "unknown_session: no open tunnel session s1",
                        "unknown_session: no open tunnel session other"));
    assertThat(handler.events).containsExactly("open s1", "close s1 done");
  }

  @Test
  void a_refused_open_sends_the_handlers_error_and_the_session_is_not_kept() {
    handler.refuseWith = new TunnelRefusedException(TunnelErrors.TOO_MANY_CHANNELS, "3 open");
    TunnelSessions tunnels = new TunnelSessions(handler, sent::add);

    tunnels.open("s1");

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(sent)
                    .containsExactly(
                        new AgentFrame.TunnelError("s1", "too_many_channels: 3 open")));
    assertThat(tunnels.openCount()).isZero();
    tunnels.close("s1", "server gave up");
    assertThat(handler.events).containsExactly("open s1");
  }

  @Test
  void a_second_open_of_the_same_session_answers_ready_again_without_opening_twice() {
    TunnelSessions tunnels = new TunnelSessions(handler, sent::add);

    tunnels.open("s1");
    tunnels.open("s1");

    await().atMost(PATIENCE).until(() -> sent.size() == 2);
    assertThat(sent)
        .containsExactly(new AgentFrame.TunnelReady("s1"), new AgentFrame.TunnelReady("s1"));
    assertThat(handler.events).containsExactly("open s1");
  }

  @Test
  void close_all_closes_every_session_with_the_reason_before_returning_and_ignores_later_opens() {
    TunnelSessions tunnels = new TunnelSessions(handler, sent::add);
    tunnels.open("s1");
    tunnels.open("s2");
    await().atMost(PATIENCE).until(() -> sent.size() == 2);

    tunnels.closeAll("agent stopping");
    tunnels.open("s3");

    assertThat(handler.events)
        .contains("close s1 agent stopping", "close s2 agent stopping")
        .doesNotContain("open s3");
    assertThat(tunnels.openCount()).isZero();
  }

  @Test
  void a_handler_that_throws_on_data_reports_an_internal_error_and_keeps_the_session() {
    handler.failOnData = true;
    TunnelSessions tunnels = new TunnelSessions(handler, sent::add);
    tunnels.open("s1");

    tunnels.data("s1:terminal", input("x"));

    await().atMost(PATIENCE).until(() -> sent.size() == 2);
    assertThat(((AgentFrame.TunnelError) sent.get(1)).error()).startsWith("internal: ");
    assertThat(tunnels.openCount()).isEqualTo(1);
  }

  private static JsonNode input(String text) {
    var data = JsonNodeFactory.instance.objectNode().put("type", "terminal_input");
    data.putObject("payload").put("data", text);
    return data;
  }

  private static final class RecordingHandler implements TunnelHandler {
    final List<String> events = new CopyOnWriteArrayList<>();
    volatile TunnelSession session;
    volatile TunnelRefusedException refuseWith;
    volatile boolean failOnData;

    @Override
    public void open(TunnelSession opened) throws TunnelRefusedException {
      events.add("open " + opened.id());
      if (refuseWith != null) {
        throw refuseWith;
      }
      session = opened;
    }

    @Override
    public void data(TunnelSession in, String channelId, JsonNode data) {
      if (failOnData) {
        throw new IllegalStateException("boom");
      }
      events.add("data " + channelId + " " + data.path("payload").path("data").asText());
    }

    @Override
    public void close(TunnelSession closed, String reason) {
      events.add("close " + closed.id() + " " + reason);
    }
  }
}
