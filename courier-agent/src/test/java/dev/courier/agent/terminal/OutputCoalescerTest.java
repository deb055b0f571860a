package dev.courier.agent.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OutputCoalescerTest {

  private record Chunk(String text, Integer exitCode) {}

  @Test
  void a_large_burst_is_sent_in_chunks_of_at_most_16_kib_and_the_last_carries_the_exit_code()
      throws Exception {
    List<Chunk> chunks = new ArrayList<>();
    OutputCoalescer coalescer =
        new OutputCoalescer(
            (text, exit) -> {
              synchronized (chunks) {
                chunks.add(new Chunk(text, exit));
              }
              return true;
            });
    Thread sender = Thread.ofVirtual().start(coalescer::run);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      String line = "line " + i + " \u00e9\u20ac\uD83D\uDE00 \"quoted\" \u001b[0m\n";
      all.append(line);
      coalescer.append(line);
    }
    coalescer.finish(0);
    sender.join(10_000);

    assertThat(sender.isAlive()).isFalse();
    assertThat(chunks).hasSizeGreaterThan(1).hasSizeLessThan(2000);
    assertThat(String.join("", chunks.stream().map(Chunk::text).toList()))
        .isEqualTo(all.toString());
    for (Chunk chunk : chunks) {
      assertThat(jsonSize(chunk.text())).isLessThanOrEqualTo(OutputCoalescer.MAX_CHUNK_BYTES);
    }
    assertThat(chunks.subList(0, chunks.size() - 1)).allMatch(c -> c.exitCode() == null);
    assertThat(chunks.get(chunks.size() - 1).exitCode()).isZero();
  }

  @Test
  void finish_without_pending_output_still_sends_the_exit_code() throws Exception {
    List<Chunk> chunks = new ArrayList<>();
    OutputCoalescer coalescer =
        new OutputCoalescer(
            (text, exit) -> {
              chunks.add(new Chunk(text, exit));
              return true;
            });
    Thread sender = Thread.ofVirtual().start(coalescer::run);

    coalescer.finish(7);
    sender.join(10_000);

    assertThat(chunks).containsExactly(new Chunk("", 7));
  }

  @Test
  void a_sink_that_refuses_stops_the_sender_and_later_appends_do_not_block() throws Exception {
    OutputCoalescer coalescer = new OutputCoalescer((text, exit) -> false);
    Thread sender = Thread.ofVirtual().start(coalescer::run);
    coalescer.append("x");
    sender.join(10_000);

    for (int i = 0; i < 100; i++) {
      coalescer.append("y".repeat(10_000));
    }

    assertThat(sender.isAlive()).isFalse();
  }

  @Test
  void a_chunk_is_cut_between_characters_never_inside_a_surrogate_pair() {
    String smileys = "\uD83D\uDE00".repeat(5000);

    int cut = OutputCoalescer.jsonBytes(smileys, OutputCoalescer.MAX_CHUNK_BYTES);

    assertThat(cut % 2).isZero();
    assertThat(cut / 2 * 4).isLessThanOrEqualTo(OutputCoalescer.MAX_CHUNK_BYTES);
  }

  /** The bytes {@code text} takes inside a JSON string, as Jackson writes it. */
  private static int jsonSize(String text) throws Exception {
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
    return json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length - 2;
  }
}
