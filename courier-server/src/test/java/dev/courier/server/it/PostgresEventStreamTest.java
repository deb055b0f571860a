package dev.courier.server.it;

import static dev.courier.server.testing.Latches.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.server.events.Event;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer.EnrolledTestAgent;
import dev.courier.server.user.Role;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PostgresEventStreamTest extends EventStreamContract {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }

  /**
   * PostgreSQL numbers an event at insert and shows it at commit: an event committed after a higher
   * number was already sent must still reach the stream, also when the stream filters and many
   * filtered-out events lie between the two.
   */
  @Test
  void an_event_committed_after_a_higher_one_was_sent_still_reaches_a_filtered_stream()
      throws Exception {
    TenantId tenant = server.createTenant();
    ApiClient operator = server.loginAs(tenant, Role.OPERATOR);
    EnrolledTestAgent bystander = server.enrollAgent(tenant, "late-bystander");
    long after = outbox().latestSeq();
    CountDownLatch appended = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Long> slow =
        CompletableFuture.supplyAsync(
            () ->
                server
                    .database()
                    .transactions()
                    .inTransaction(
                        () -> {
                          long seq = outbox().append(ours(tenant, "agent.late"));
                          appended.countDown();
                          await(release);
                          return seq;
                        }));
    try (LiveStream stream =
        new LiveStream(
            server.baseUrl() + "/api/v1/events?agent_id=ours&after=" + after, operator.bearer())) {
      assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
      // One commit, so the stream passes over the late number and sends the early event together.
      List<Event> batch = new ArrayList<>(others(tenant, MANY));
      batch.add(ours(tenant, "agent.early"));
      outbox().appendAll(batch);

      JsonNode first = stream.next();
      assertThat(first.get("type").asText()).isEqualTo("agent.early");

      release.countDown();
      long late = slow.get(10, TimeUnit.SECONDS);
      // An append through the server wakes its streams at once (they would re-read within a
      // second anyway): the late event must come well within the stream's patience for holes.
      echo(operator, bystander.id());
      JsonNode second = stream.next();
      assertThat(second.get("type").asText()).isEqualTo("agent.late");
      assertThat(second.get("seq").asLong()).isEqualTo(late).isLessThan(first.get("seq").asLong());
    } finally {
      release.countDown();
    }
  }

  private static Event ours(TenantId tenant, String type) {
    return Event.of(tenant, type, "ours", "{\"agent_id\":\"ours\"}", Instant.now());
  }

  /** A followed stream whose events the test takes one at a time, as they arrive. */
  private static final class LiveStream implements AutoCloseable {
    private final HttpClient http = ApiClient.newHttpClient();
    private final BlockingQueue<String> data = new LinkedBlockingQueue<>();
    private final AtomicReference<InputStream> body = new AtomicReference<>();
    private final Thread reader;

    LiveStream(String url, String bearer) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .header("Accept", "text/event-stream")
              .header("Authorization", "Bearer " + bearer)
              .GET()
              .build();
      reader = Thread.ofVirtual().start(() -> read(request));
    }

    private void read(HttpRequest request) {
      try {
        InputStream in = http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
        body.set(in);
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("data:")) {
            data.add(line.substring(5).strip());
          }
        }
      } catch (IOException | InterruptedException e) {
        data.add("{\"type\":\"stream failed: " + e.getClass().getSimpleName() + "\"}");
      }
    }

    JsonNode next() throws Exception {
      String next = data.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(next).as("an event within %s", PATIENCE).isNotNull();
      return JSON.readTree(next);
    }

    @Override
    public void close() throws IOException {
      reader.interrupt();
      InputStream in = body.get();
      if (in != null) {
        in.close();
      }
      http.close();
    }
  }
}
