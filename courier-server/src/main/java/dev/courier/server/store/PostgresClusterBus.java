package dev.courier.server.store;

import dev.courier.server.cluster.ClusterBus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster bus on PostgreSQL: {@code pg_notify} to send, and {@code LISTEN} on one dedicated
 * connection outside the pool, read by one thread.
 *
 * <p>A note published inside a transaction is queued when that transaction commits and sent by a
 * publisher thread, which sends whatever has queued meanwhile in one statement and one commit. It
 * is not sent in the publishing transaction itself: PostgreSQL serializes the commits of all
 * transactions that notify (a global lock held through the commit's flush), which would make every
 * command creation wait for every other. The price: a note whose node dies between the commit and
 * the send is lost, like a note missed while disconnected, and the agent gets its command at the
 * next heartbeat's re-push instead. A note published outside a transaction goes through the same
 * queue (so it never overtakes an earlier one) and {@link #publish} returns once it is sent.
 *
 * <p>A dropped listening connection is reopened with exponential backoff and jitter, then every
 * {@link #onReconnect} callback runs, because notes sent meanwhile are gone.
 */
final class PostgresClusterBus implements ClusterBus {

  private static final Logger log = LoggerFactory.getLogger(PostgresClusterBus.class);

  static final Duration POLL = Duration.ofMillis(500);

  /** Silence after which the listening connection is checked, so a dead peer is noticed. */
  static final Duration PROBE_AFTER = Duration.ofSeconds(5);

  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /** Most notes sent in one statement. */
  static final int BATCH = 200;

  private final Jdbc jdbc;
  private final JdbcTransactions transactions;
  private final LinkedBlockingQueue<Note> outbox = new LinkedBlockingQueue<>();
  private final Thread publisher;
  private final String url;
  private final Properties properties;
  private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
  private final List<Runnable> reconnectCallbacks = new CopyOnWriteArrayList<>();
  private final Thread listener;
  private volatile Connection listening;
  private volatile boolean running = true;

  /**
   * Opens the listening connection (failing if it cannot) and starts reading it.
   *
   * @param applicationName shown in {@code pg_stat_activity} for the listening connection
   */
  PostgresClusterBus(
      Jdbc jdbc,
      JdbcTransactions transactions,
      String url,
      String user,
      String password,
      String applicationName) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.url = url;
    this.properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", applicationName);
    properties.setProperty("tcpKeepAlive", "true");
    try {
      listening = connect();
    } catch (SQLException e) {
      throw jdbc.dialect().translate("open the cluster LISTEN connection", e);
    }
    listener = Thread.ofPlatform().daemon().name("courier-cluster-listen").start(this::run);
    publisher = Thread.ofPlatform().daemon().name("courier-cluster-publish").start(this::send);
  }

  /**
   * @param sent completed once sent, for a publisher outside a transaction who waits; or null
   */
  private record Note(String topic, String payload, CompletableFuture<Void> sent) {}

  /** Queued by {@link #close}: the publisher sends what was queued before it, then stops. */
  private static final Note STOP = new Note("", "", null);

  /** How long a publisher outside a transaction waits for its note to be sent. */
  static final Duration SEND_WAIT = Duration.ofSeconds(10);

  @Override
  public void publish(String topic, String payload) {
    ClusterBus.check(topic, payload);
    if (!running) {
      throw new IllegalStateException("the cluster bus is closed");
    }
    if (transactions.current() != null) {
      transactions.afterCommit(() -> outbox.add(new Note(topic, payload, null)));
      return;
    }
    // Through the queue too, so it cannot overtake notes queued before it.
    Note note = new Note(topic, payload, new CompletableFuture<>());
    outbox.add(note);
    try {
      note.sent().get(SEND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending a cluster note", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("sending a cluster note failed: " + e.getMessage(), e);
    }
  }

  /** Sends queued notes in batches, in the order they were queued, until {@link #STOP}. */
  private void send() {
    List<Note> batch = new ArrayList<>(BATCH);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(outbox.take());
        outbox.drainTo(batch, BATCH - 1);
        int end = batch.indexOf(STOP);
        if (end >= 0) {
          stop = true;
          batch.subList(end, batch.size()).clear();
        }
        if (!batch.isEmpty()) {
          notify(batch);
          batch.forEach(note -> complete(note, null));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // Lost like notes missed while disconnected; heartbeats re-push what they were about.
        log.warn("Sending {} cluster notes failed: {}", batch.size(), e.getMessage());
        batch.forEach(note -> complete(note, e));
      }
      batch.clear();
    }
  }

  private static void complete(Note note, RuntimeException failure) {
    if (note.sent() != null) {
      if (failure == null) {
        note.sent().complete(null);
      } else {
        note.sent().completeExceptionally(failure);
      }
    }
  }

  /** One statement, one commit: the VALUES rows are notified in their order. */
  private void notify(List<Note> notes) {
    StringBuilder sql = new StringBuilder("SELECT pg_notify(t, p) FROM (VALUES ");
    for (int i = 0; i < notes.size(); i++) {
      sql.append(i == 0 ? "(?::text, ?::text)" : ", (?, ?)");
    }
    sql.append(") AS n(t, p)");
    jdbc.query(
        sql.toString(),
        params -> {
          for (Note note : notes) {
            params.string(note.topic()).string(note.payload());
          }
        },
        row -> Boolean.TRUE);
  }

  @Override
  public void subscribe(String topic, Consumer<String> handler) {
    ClusterBus.check(topic, "");
    handlers.computeIfAbsent(topic, key -> new CopyOnWriteArrayList<>()).add(handler);
    Connection connection = listening;
    if (connection != null) {
      try {
        listen(connection, topic);
      } catch (SQLException e) {
        // The connection is going away; the reconnect listens on every known topic.
        log.debug("LISTEN {} failed: {}", topic, e.getMessage());
      }
    }
  }

  @Override
  public void onReconnect(Runnable catchUp) {
    reconnectCallbacks.add(catchUp);
  }

  @Override
  public boolean connected() {
    return running && listening != null;
  }

  @Override
  public void close() {
    running = false;
    outbox.add(STOP);
    try {
      // Sends what committed transactions queued, then stops.
      publisher.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly(listening);
    listening = null;
    listener.interrupt();
    try {
      listener.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Connection connect() throws SQLException {
    Connection connection = DriverManager.getConnection(url, properties);
    try {
      connection.setAutoCommit(true);
      for (String topic : handlers.keySet()) {
        listen(connection, topic);
      }
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private static void listen(Connection connection, String topic) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      // The topic matched ClusterBus.TOPIC: a plain identifier, safe to quote.
      statement.execute("LISTEN \"" + topic + "\"");
    }
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (running) {
      Connection connection = listening;
      try {
        if (connection == null) {
          connection = connect();
          listening = connection;
          // A topic subscribed while connect() ran: LISTEN again (harmless if already listening).
          for (String topic : handlers.keySet()) {
            listen(connection, topic);
          }
          log.info("Cluster bus reconnected; catching up on what it may have missed");
          backoff = FIRST_BACKOFF;
          reconnected();
        }
        read(connection);
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        log.warn(
            "Cluster bus connection lost ({}); retrying in about {} ms",
            e.getMessage(),
            backoff.toMillis());
        listening = null;
        closeQuietly(connection);
        if (!sleep(jitter(backoff))) {
          return;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  /** Reads notifications until the connection fails or the bus closes. */
  private void read(Connection connection) throws SQLException {
    PGConnection pg = connection.unwrap(PGConnection.class);
    long quietSince = System.nanoTime();
    while (running) {
      PGNotification[] notes = pg.getNotifications((int) POLL.toMillis());
      if (notes != null && notes.length > 0) {
        quietSince = System.nanoTime();
        for (PGNotification note : notes) {
          deliver(note.getName(), note.getParameter());
        }
      } else if (System.nanoTime() - quietSince > PROBE_AFTER.toNanos()) {
        if (!connection.isValid(2)) {
          throw new SQLException("the LISTEN connection does not answer");
        }
        quietSince = System.nanoTime();
      }
    }
  }

  private void deliver(String topic, String payload) {
    for (Consumer<String> handler : handlers.getOrDefault(topic, List.of())) {
      try {
        handler.accept(payload);
      } catch (RuntimeException e) {
        log.warn("Cluster handler for {} failed on {}", topic, payload, e);
      }
    }
  }

  private void reconnected() {
    for (Runnable callback : reconnectCallbacks) {
      // Off the listener thread: catching up reads the database and must not hold up new notes.
      Thread.ofVirtual()
          .name("courier-cluster-catch-up")
          .start(
              () -> {
                try {
                  callback.run();
                } catch (RuntimeException e) {
                  log.warn("Cluster catch-up failed", e);
                }
              });
    }
  }

  /** Between half and all of {@code backoff}, so nodes cut off together do not retry in step. */
  private static Duration jitter(Duration backoff) {
    long millis = backoff.toMillis();
    return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
  }

  private static boolean sleep(Duration duration) {
    try {
      Thread.sleep(duration);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("Closing the LISTEN connection failed: {}", e.getMessage());
    }
  }
}
