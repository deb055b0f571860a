package dev.courier.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventFilter;
import dev.courier.server.events.EventOutbox;
import dev.courier.server.events.EventPage;
import dev.courier.server.tenant.TenantId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/events}: the event outbox as server-sent events, for the console and scripts.
 * A reader sees its own tenant's events only (a system admin every tenant's, or one with {@code
 * tenant_id}); it can filter by type, agent, command and rollout (the database applies the filters,
 * so a narrow stream does not load everyone's events), and resume after a sequence number ({@code
 * Last-Event-ID} or {@code after}). Appends on this node wake the stream at once; appends on other
 * nodes arrive within a second, when the stream re-reads on its own.
 */
public final class EventRoutes implements RouteModule, AutoCloseable {

  static final int PAGE = 500;
  static final Duration FALLBACK_READ = Duration.ofSeconds(1);

  /**
   * PostgreSQL hands out sequence numbers at insert and shows the rows at commit, so a number can
   * appear after a higher one was read. A range read while some of its numbers were not visible is
   * read again this long before they are taken for rolled-back inserts (or for another tenant's
   * events, which row-level security keeps from this reader).
   */
  static final Duration GAP_PATIENCE = Duration.ofSeconds(3);

  private final RequestAuth auth;
  private final EventOutbox events;
  private final ObjectMapper json;
  private final Duration keepAlive;
  private final java.util.Set<Semaphore> streams =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  public EventRoutes(RequestAuth auth, EventOutbox events, ObjectMapper json) {
    this(auth, events, json, CommandRoutes.KEEP_ALIVE);
  }

  EventRoutes(RequestAuth auth, EventOutbox events, ObjectMapper json, Duration keepAlive) {
    this.auth = auth;
    this.events = events;
    this.json = json;
    this.keepAlive = keepAlive;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/v1/events", this::events, Access.operator(Permission.COMMANDS_READ));
  }

  private void events(Context ctx) throws Exception {
    Operator operator = auth.operator(ctx);
    EventFilter filter = filter(ctx, operator);
    long after = after(ctx);
    boolean follow = !"false".equalsIgnoreCase(QueryParams.text(ctx, "follow"));
    new SseHandler(client -> stream(client, filter, after, follow)).handle(ctx);
  }

  static EventFilter filter(Context ctx, Operator operator) {
    String tenant = QueryParams.text(ctx, "tenant_id");
    TenantId scope = operator.tenantScope().orElse(null);
    if (scope != null && tenant != null && !scope.value().equals(tenant)) {
      throw new ForbiddenException("you can only follow your own tenant's events", "tenant_id");
    }
    TenantId only = scope != null ? scope : tenant == null ? null : TenantId.of(tenant);
    String types = QueryParams.text(ctx, "types");
    Set<String> typeSet =
        types == null
            ? null
            : Arrays.stream(types.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    return new EventFilter(
        only,
        typeSet,
        QueryParams.text(ctx, "agent_id"),
        QueryParams.text(ctx, "command_id"),
        QueryParams.text(ctx, "rollout_id"));
  }

  /** Where the stream starts: after the given sequence number, or after the newest event. */
  private long after(Context ctx) {
    String lastEventId = ctx.header("Last-Event-ID");
    String after = QueryParams.text(ctx, "after");
    String given = lastEventId != null && !lastEventId.isBlank() ? lastEventId : after;
    if (given == null) {
      return events.latestSeq();
    }
    try {
      long seq = Long.parseLong(given.trim());
      if (seq < 0) {
        throw new NumberFormatException();
      }
      return seq;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          "after (or Last-Event-ID) must be a non-negative whole number", "after");
    }
  }

  private void stream(SseClient client, EventFilter filter, long after, boolean follow) {
    Semaphore appended = new Semaphore(0);
    Reader reader = new Reader(client, filter, after);
    long quietSince = System.nanoTime();
    streams.add(appended);
    try (AutoCloseable signal = events.onAppended(appended::release)) {
      while (!client.terminated() && !closing) {
        if (reader.pass() > 0) {
          quietSince = System.nanoTime();
        }
        if (!follow) {
          return;
        }
        if (appended.tryAcquire(1, FALLBACK_READ.toMillis(), TimeUnit.MILLISECONDS)) {
          appended.drainPermits();
        } else if (System.nanoTime() - quietSince > keepAlive.toNanos()) {
          client.sendComment("keep-alive");
          quietSince = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("event stream failed", e);
    } finally {
      streams.remove(appended);
    }
  }

  /** Ends every open stream (the server is stopping); readers reconnect to another node. */
  @Override
  public void close() {
    closing = true;
    streams.forEach(Semaphore::release);
  }

  /**
   * One reader's position in the outbox, and the ranges it passed over while some of their numbers
   * were not visible, which it reads again for a while in case a late commit fills them.
   */
  private final class Reader {
    private final SseClient client;
    private final EventFilter filter;

    /** Every event visible with a number up to this one was looked at when it was passed over. */
    private long last;

    private final ArrayDeque<Unsettled> unsettled = new ArrayDeque<>();

    /** Numbers sent above the oldest unsettled range: a re-read returns them again. */
    private final TreeSet<Long> sent = new TreeSet<>();

    Reader(SseClient client, EventFilter filter, long after) {
      this.client = client;
      this.filter = filter;
      this.last = after;
    }

    /** Reads what is new (and what filled a hole) and sends what matches; returns how many. */
    int pass() {
      expire();
      int count = 0;
      long from = horizon();
      EventPage page;
      do {
        page = events.readAfter(from, filter, PAGE);
        for (Event event : page.events()) {
          if (event.seq() > last || !sent.contains(event.seq())) {
            send(event);
            sent.add(event.seq());
            count++;
          }
        }
        if (page.through() > last) {
          if (!page.complete()) {
            unsettled.addLast(new Unsettled(Math.max(from, last), System.nanoTime()));
          }
          last = page.through();
        }
        from = page.through();
        forgetSentBelow(horizon());
        if (client.terminated()) {
          return count;
        }
      } while (page.more());
      return count;
    }

    /** Where a read starts: at the oldest range that may still fill, or after the position. */
    private long horizon() {
      return unsettled.isEmpty() ? last : unsettled.peekFirst().after();
    }

    private void expire() {
      long now = System.nanoTime();
      while (!unsettled.isEmpty()
          && now - unsettled.peekFirst().noticedAt() > GAP_PATIENCE.toNanos()) {
        unsettled.removeFirst();
      }
      forgetSentBelow(horizon());
    }

    private void forgetSentBelow(long horizon) {
      sent.headSet(horizon, true).clear();
    }

    private void send(Event event) {
      ObjectNode data = json.createObjectNode();
      data.put("seq", event.seq());
      data.put("type", event.type());
      data.put("tenant_id", event.tenantId() == null ? null : event.tenantId().value());
      data.put("subject_id", event.subjectId());
      data.put("created_at", event.createdAt().toString());
      data.set("payload", parse(event.payloadJson()));
      client.sendEvent(event.type(), data.toString(), Long.toString(event.seq()));
    }

    private JsonNode parse(String payloadJson) {
      try {
        return json.readTree(payloadJson);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Numbers after {@code after}, passed over at {@code noticedAt} (nanoTime) while not all were
   * visible; up to where the next range starts, or the reader's position.
   */
  private record Unsettled(long after, long noticedAt) {}
}
