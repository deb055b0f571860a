package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.server.testing.MutableClock;
import dev.courier.server.testing.StoreFixtures;
import dev.courier.server.testing.TestDatabase;
import dev.courier.server.testing.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of every storage contract suite: one fresh database per test class, of the kind the concrete
 * subclass names. Tests isolate themselves from each other by creating their own tenant and agents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {
  // A few minutes before New York's 2026 switch to daylight time, with a millisecond part: time
  // bugs that depend on the JVM zone or drop precision show up here.
  static final Instant START = Instant.parse("2026-03-08T06:58:00.123Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  final MutableClock clock = MutableClock.at(START);
  TestDatabase db;
  JdbcRepositories repos;
  StoreFixtures fixtures;

  abstract TestDatabases.Kind kind();

  @BeforeAll
  void openDatabase() {
    db = TestDatabases.create(kind());
    repos = db.repositories(clock);
    fixtures = new StoreFixtures(repos, clock);
  }

  @AfterAll
  void closeDatabase() {
    if (db != null) {
      db.close();
    }
  }

  /** PostgreSQL normalizes JSONB text, so JSON is compared as a tree. */
  static void assertSameJson(String actual, String expected) {
    try {
      assertThat(JSON.readTree(actual)).isEqualTo(JSON.readTree(expected));
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  /** Runs {@code task} on {@code threads} real threads released at the same moment. */
  static <T> List<T> race(int threads, Callable<T> task) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    }
  }
}
