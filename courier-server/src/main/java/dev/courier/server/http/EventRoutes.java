package dev.courier.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.events.Event;
import dev.courier.server.events.EventOutbox;
import dev.courier.server.tenant.TenantId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/events}: the event outbox as server-sent events, for the console and scripts.
 * A reader sees its own tenant's events only (a system admin every tenant's, or one with {@code
 * tenant_id}); it can filter by type, agent, command and rollout, and resume after a sequence
 * number ({@code Last-Event-ID} or {@code after}). Appends on this node wake the stream at once;
 * appends on other nodes arrive within a second, when the stream re-reads on its own.
 */
public final class EventRoutes implements RouteModule, AutoCloseable {

  static final int PAGE = 500;
  static final Duration FALLBACK_READ = Duration.ofSeconds(1);

  /**
   * PostgreSQL hands out sequence numbers at insert and shows the rows at commit, so a number can
   * appear after a higher one was read. A skipped number is looked for again this long before it is
   * taken for a rolled-back insert (or another tenant's event, which this reader never sees).
   */
  static final Duration GAP_PATIENCE = Duration.ofSeconds(3);

  static final int MAX_GAPS = 10_000;

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

  /** What one reader asked to see; null fields do not filter. */
  record Filter(
      boolean allTenants,
      TenantId tenant,
      Set<String> types,
      String agentId,
      String commandId,
      String rolloutId) {

    boolean matches(Event event, JsonNode payload) {
      if (!allTenants && (event.tenantId() == null || !event.tenantId().equals(tenant))) {
        return false;
      }
      if (types != null && !typeMatches(event.type())) {
        return false;
      }
      if (agentId != null && !agentId.equals(about(event, payload, "agent."))) {
        return false;
      }
      if (commandId != null && !commandId.equals(about(event, payload, "command."))) {
        return false;
      }
      return rolloutId == null || rolloutId.equals(about(event, payload, "rollout."));
    }

    private boolean typeMatches(String type) {
      for (String wanted : types) {
        if (wanted.endsWith(".*")
            ? type.startsWith(wanted.substring(0, wanted.length() - 1))
            : type.equals(wanted)) {
          return true;
        }
      }
      return false;
    }

    /** The id of the given kind an event is about: its subject, or the id its payload names. */
    private static String about(Event event, JsonNode payload, String kind) {
      if (event.type().startsWith(kind)) {
        return event.subjectId();
      }
      String field = kind.substring(0, kind.length() - 1) + "_id";
      JsonNode value = payload.get(field);
      return value == null || value.isNull() ? null : value.asText();
    }
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/v1/events", this::events, Access.operator(Permission.COMMANDS_READ));
  }

  private void events(Context ctx) throws Exception {
    Operator operator = auth.operator(ctx);
    Filter filter = filter(ctx, operator);
    long after = after(ctx);
    boolean follow = !"false".equalsIgnoreCase(QueryParams.text(ctx, "follow"));
    new SseHandler(client -> stream(client, filter, after, follow)).handle(ctx);
  }

  static Filter filter(Context ctx, Operator operator) {
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
    return new Filter(
        only == null,
        only,
        typeSet == null || typeSet.isEmpty() ? null : typeSet,
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

  private void stream(SseClient client, Filter filter, long after, boolean follow) {
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

  /** One reader's position in the outbox, with the numbers it passed over and still waits for. */
  private final class Reader {
    private final SseClient client;
    private final Filter filter;
    private long last;
    private final TreeMap<Long, Long> gaps = new TreeMap<>();

    Reader(SseClient client, Filter filter, long after) {
      this.client = client;
      this.filter = filter;
      this.last = after;
    }

    /** Reads what is new (and what filled a gap) and sends what matches; returns how many. */
    int pass() {
      expireGaps();
      int sent = 0;
      List<Event> page;
      long before;
      do {
        long from = gaps.isEmpty() ? last : Math.min(last, gaps.firstKey() - 1);
        page = events.readAfter(from, PAGE);
        before = last;
        for (Event event : page) {
          if (event.seq() <= before) {
            if (gaps.remove(event.seq()) != null) {
              sent += send(event);
            }
            continue;
          }
          for (long missing = last + 1; missing < event.seq(); missing++) {
            if (gaps.size() < MAX_GAPS) {
              gaps.put(missing, System.nanoTime());
            }
          }
          last = event.seq();
          sent += send(event);
        }
        if (client.terminated()) {
          return sent;
        }
        // A full page of re-read events only (gaps still open) is not progress: stop there.
      } while (page.size() == PAGE && last > before);
      return sent;
    }

    private void expireGaps() {
      long now = System.nanoTime();
      Iterator<Long> noticed = gaps.values().iterator();
      while (noticed.hasNext()) {
        if (now - noticed.next() > GAP_PATIENCE.toNanos()) {
          noticed.remove();
        }
      }
    }

    private int send(Event event) {
      JsonNode payload = parse(event.payloadJson());
      if (!filter.matches(event, payload)) {
        return 0;
      }
      ObjectNode data = json.createObjectNode();
      data.put("seq", event.seq());
      data.put("type", event.type());
      data.put("tenant_id", event.tenantId() == null ? null : event.tenantId().value());
      data.put("subject_id", event.subjectId());
      data.put("created_at", event.createdAt().toString());
      data.set("payload", payload);
      client.sendEvent(event.type(), data.toString(), Long.toString(event.seq()));
      return 1;
    }

    private JsonNode parse(String payloadJson) {
      try {
        return json.readTree(payloadJson);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
