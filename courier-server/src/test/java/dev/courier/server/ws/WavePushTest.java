package dev.courier.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WavePushTest {

  private static final List<Integer> WAVE = IntStream.rangeClosed(1, 10).boxed().toList();

  private final Set<Integer> prepared = ConcurrentHashMap.newKeySet();
  private final Map<Integer, String> sent = new ConcurrentHashMap<>();
  private final Set<Integer> pushedNow = ConcurrentHashMap.newKeySet();

  private final Function<Integer, String> prepare =
      item -> {
        prepared.add(item);
        return "signed " + item;
      };

  @Test
  void prepares_the_ready_items_before_the_send_and_sends_each_with_what_was_prepared() {
    WavePush<Integer, String> wave =
        WavePush.plan(WAVE, 2, item -> true, prepare, this::send, pushedNow::add);

    await().atMost(Duration.ofSeconds(10)).until(() -> prepared.size() == WAVE.size());
    assertThat(sent).isEmpty();

    wave.send();

    assertThat(sent)
        .hasSize(WAVE.size())
        .containsEntry(1, "signed 1")
        .containsEntry(10, "signed 10");
    assertThat(pushedNow).isEmpty();
  }

  @Test
  void items_not_ready_when_planned_are_pushed_the_ordinary_way_and_never_prepared() {
    WavePush<Integer, String> wave =
        WavePush.plan(WAVE, 3, item -> item % 2 == 0, prepare, this::send, pushedNow::add);

    wave.send();

    assertThat(sent.keySet()).containsExactlyInAnyOrder(2, 4, 6, 8, 10);
    assertThat(pushedNow).containsExactlyInAnyOrder(1, 3, 5, 7, 9);
    assertThat(prepared).doesNotContain(1, 3, 5, 7, 9);
  }

  @Test
  void an_item_whose_receiver_left_before_the_send_is_pushed_the_ordinary_way() {
    WavePush<Integer, String> wave =
        WavePush.plan(
            WAVE,
            2,
            item -> true,
            prepare,
            (item, envelope) -> item != 7 && send(item, envelope),
            pushedNow::add);

    wave.send();

    assertThat(pushedNow).containsExactly(7);
    assertThat(sent).hasSize(WAVE.size() - 1).doesNotContainKey(7);
  }

  @Test
  void a_slice_whose_preparation_failed_is_pushed_the_ordinary_way() {
    WavePush<Integer, String> wave =
        WavePush.plan(
            WAVE,
            2,
            item -> true,
            item -> {
              if (item == 2) {
                throw new IllegalStateException("no key");
              }
              return prepare.apply(item);
            },
            this::send,
            pushedNow::add);

    wave.send();

    // Two slices: 1-5 failed as a whole, 6-10 were prepared.
    assertThat(pushedNow).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    assertThat(sent.keySet()).containsExactlyInAnyOrder(6, 7, 8, 9, 10);
  }

  @Test
  void an_empty_wave_sends_nothing() {
    WavePush.plan(List.<Integer>of(), 2, item -> true, prepare, this::send, pushedNow::add).send();

    assertThat(sent).isEmpty();
    assertThat(pushedNow).isEmpty();
  }

  private boolean send(Integer item, String envelope) {
    sent.put(item, envelope);
    return true;
  }
}
