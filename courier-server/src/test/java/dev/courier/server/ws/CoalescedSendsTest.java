package dev.courier.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CoalescedSendsTest {

  private final List<String> log = new CopyOnWriteArrayList<>();

  /** Stands in for a connection: sends are logged, held back when the task will flush. */
  private final class Connection implements CoalescedSends.Flushable {
    private final String name;

    Connection(String name) {
      this.name = name;
    }

    void send(String frame) {
      log.add((CoalescedSends.flushLater(this) ? "held " : "sent ") + name + ":" + frame);
    }

    @Override
    public void flush() {
      log.add("flushed " + name);
    }
  }

  @Test
  void outsideATaskEveryFrameGoesOutAtOnce() {
    Connection agent = new Connection("a");
    agent.send("ack");
    agent.send("ack");

    assertThat(log).containsExactly("sent a:ack", "sent a:ack");
  }

  @Test
  void insideATaskEachConnectionIsFlushedOnceWhenTheTaskEnds() {
    Connection a = new Connection("a");
    Connection b = new Connection("b");

    CoalescedSends.around(
            () -> {
              a.send("running");
              b.send("running");
              a.send("result");
              assertThat(log).noneMatch(line -> line.startsWith("flushed"));
            })
        .run();

    assertThat(log)
        .containsExactly(
            "held a:running", "held b:running", "held a:result", "flushed a", "flushed b");
  }

  @Test
  void aTaskInsideAnotherIsFlushedWithTheOuterOne() {
    Connection a = new Connection("a");

    CoalescedSends.around(
            () -> {
              CoalescedSends.around(() -> a.send("inner")).run();
              a.send("outer");
            })
        .run();

    assertThat(log).containsExactly("held a:inner", "held a:outer", "flushed a");
  }

  @Test
  void aTaskThatFailsStillFlushesWhatItSentAndLaterSendsGoOutAtOnce() {
    Connection a = new Connection("a");

    assertThatThrownBy(
            () ->
                CoalescedSends.around(
                        () -> {
                          a.send("ack");
                          throw new IllegalStateException("completion failed");
                        })
                    .run())
        .hasMessage("completion failed");
    a.send("later");

    assertThat(log).containsExactly("held a:ack", "flushed a", "sent a:later");
  }

  @Test
  void oneConnectionsFailedFlushDoesNotKeepTheOthersFramesBack() {
    CoalescedSends.Flushable broken =
        () -> {
          throw new IllegalStateException("socket gone");
        };
    Connection b = new Connection("b");

    CoalescedSends.around(
            () -> {
              CoalescedSends.flushLater(broken);
              b.send("ack");
            })
        .run();

    assertThat(log).containsExactly("held b:ack", "flushed b");
  }
}
