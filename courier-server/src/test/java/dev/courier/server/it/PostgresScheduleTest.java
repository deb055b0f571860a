package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.server.CourierServer;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The schedule contract on PostgreSQL, plus what only it can do: several nodes on one database. */
class PostgresScheduleTest extends ScheduleContract {
  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }

  /**
   * Two server nodes on one PostgreSQL, both firing schedules at the same moments: each of 200 due
   * times (40 schedules over 5 minutes) becomes exactly one rollout.
   */
  @Test
  @Timeout(120)
  void two_nodes_racing_fire_each_due_time_exactly_once() throws Exception {
    Tenant tenant = tenant();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ApiClient.Response created =
          tenant.operator().post("/api/v1/schedules", everyMinute(tenant.agentId(), "run_once"));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      ids.add(created.text("id"));
    }
    Map<String, Integer> before = new HashMap<>();
    for (String id : ids) {
      before.put(id, rolloutsOf(id));
    }

    try (CourierServer other = server.startAnotherNode();
        ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (int minute = 0; minute < 5; minute++) {
        clock.advance(Duration.ofMinutes(1));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> runs = new ArrayList<>();
        for (CourierServer node : List.of(server.server(), other, server.server(), other)) {
          runs.add(
              pool.submit(
                  () -> {
                    go.await();
                    return node.scheduler().fireDue();
                  }));
        }
        go.countDown();
        for (Future<Integer> run : runs) {
          run.get();
        }
        // Each node's own periodic runner fires schedules too; one still holding this minute's
        // rows after the racers returned must finish before the clock moves on, or the next
        // minute's racers skip the rows it locks and the test, not the scheduler, loses a due time.
        await().atMost(Duration.ofSeconds(30)).until(() -> dueSchedules(ids, clock.instant()) == 0);
      }
    }

    for (String id : ids) {
      assertThat(rolloutsOf(id) - before.get(id)).as("rollouts of schedule " + id).isEqualTo(5);
    }
    try (Connection connection = DriverManager.getConnection(server.database().jdbcUrl());
        Statement statement = connection.createStatement();
        ResultSet duplicates =
            statement.executeQuery(
                "SELECT schedule_id, created_at, COUNT(*) FROM rollouts"
                    + " WHERE schedule_id IS NOT NULL GROUP BY schedule_id, created_at"
                    + " HAVING COUNT(*) > 1")) {
      assertThat(duplicates.next()).as("two rollouts of one schedule at one time").isFalse();
    }
  }

  private int dueSchedules(List<String> ids, Instant now) throws Exception {
    try (Connection connection = DriverManager.getConnection(server.database().jdbcUrl());
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM schedules WHERE id = ANY (?) AND next_run_at <= ?")) {
      statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
      statement.setTimestamp(2, Timestamp.from(now));
      try (ResultSet count = statement.executeQuery()) {
        count.next();
        return count.getInt(1);
      }
    }
  }
}
