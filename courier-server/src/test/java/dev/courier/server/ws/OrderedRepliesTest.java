package dev.courier.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrderedRepliesTest {

  private final List<String> sent = new CopyOnWriteArrayList<>();

  @Test
  void an_answer_ready_early_waits_for_the_answers_queued_before_it() {
    OrderedReplies<String> replies = new OrderedReplies<>(sent::add, 8);
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> second = new CompletableFuture<>();
    replies.add(first);
    replies.add(second);
    replies.add(CompletableFuture.completedFuture("third"));

    second.complete("second");
    assertThat(sent).isEmpty();
    first.complete("first");
    replies.awaitSent();

    assertThat(sent).containsExactly("first", "second", "third");
  }

  @Test
  void a_failed_answer_is_skipped_and_the_ones_after_it_still_go_out() {
    OrderedReplies<String> replies = new OrderedReplies<>(sent::add, 8);
    replies.add(CompletableFuture.failedFuture(new IllegalStateException("lost")));
    replies.add(CompletableFuture.completedFuture("after"));
    replies.awaitSent();

    assertThat(sent).containsExactly("after");
  }

  @Test
  void a_sender_that_throws_does_not_stop_the_answers_after_it() {
    OrderedReplies<String> replies =
        new OrderedReplies<>(
            answer -> {
              if (answer.equals("bad")) {
                throw new IllegalStateException("socket gone");
              }
              sent.add(answer);
            },
            8);
    replies.add(CompletableFuture.completedFuture("bad"));
    replies.add(CompletableFuture.completedFuture("good"));
    replies.awaitSent();

    assertThat(sent).containsExactly("good");
  }

  @Test
  void adding_past_the_limit_blocks_until_an_outstanding_answer_went_out() throws Exception {
    OrderedReplies<String> replies = new OrderedReplies<>(sent::add, 2);
    CompletableFuture<String> first = new CompletableFuture<>();
    replies.add(first);
    replies.add(CompletableFuture.completedFuture("second"));

    CompletableFuture<Void> third =
        CompletableFuture.runAsync(() -> replies.add(CompletableFuture.completedFuture("third")));
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !third.isDone());

    first.complete("first");
    third.get(10, TimeUnit.SECONDS);
    replies.awaitSent();
    assertThat(sent).containsExactly("first", "second", "third");
  }
}
