package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.courier.server.cluster.ClusterBus;
import dev.courier.server.common.Transactions;
import dev.courier.server.testing.TestDatabase;
import dev.courier.server.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every cluster bus promises ({@link ClusterBus}): a note published in a transaction arrives
 * only once it commits, never if it rolls back; notes arrive in the order published; topics and
 * payloads are checked. Run on both databases.
 */
@Timeout(30)
abstract class ClusterBusContract {

  abstract TestDatabases.Kind kind();

  private TestDatabase database;
  private ClusterBus bus;
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    database = TestDatabases.create(kind());
    bus = database.database().openClusterBus("contract");
    bus.subscribe("contract_topic", received::add);
  }

  @AfterEach
  void close() {
    bus.close();
    database.close();
  }

  @Test
  void a_note_published_in_a_transaction_arrives_after_it_commits_and_not_before() {
    Transactions transactions = database.transactions();
    transactions.inTransaction(
        () -> {
          bus.publish("contract_topic", "first");
          bus.publish("contract_topic", "second");
          // Still open: a note that arrived now would tell of a change nobody else can see yet.
          sleep(Duration.ofMillis(200));
          assertThat(received).isEmpty();
        });

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
    assertThat(received).containsExactly("first", "second");
  }

  @Test
  void a_note_of_a_rolled_back_transaction_never_arrives() {
    Transactions transactions = database.transactions();
    try {
      transactions.inTransaction(
          () -> {
            bus.publish("contract_topic", "never");
            throw new IllegalStateException("roll back");
          });
    } catch (IllegalStateException expected) {
      // rolled back
    }
    bus.publish("contract_topic", "after");

    await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("after"));
    assertThat(received).containsExactly("after");
  }

  @Test
  void notes_from_one_thread_arrive_in_order() {
    for (int i = 0; i < 50; i++) {
      int n = i;
      if (i % 2 == 0) {
        database.transactions().inTransaction(() -> bus.publish("contract_topic", "n" + n));
      } else {
        bus.publish("contract_topic", "n" + n);
      }
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 50);
    assertThat(received)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 50).mapToObj(i -> "n" + i).toList());
  }

  @Test
  void bad_topics_and_oversized_payloads_are_refused() {
    assertThatThrownBy(() -> bus.publish("Bad Topic", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bus.publish("contract_topic", "x".repeat(8_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ids, not bodies");
    bus.publish("contract_topic", "é".repeat(ClusterBus.MAX_PAYLOAD_BYTES / 2));
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
