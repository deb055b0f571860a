package dev.courier.server.cluster;

import dev.courier.server.common.Transactions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus of a single node (SQLite, or tests): a message goes to this process's subscribers, on the
 * publishing thread, once the publishing transaction has committed. It never disconnects, so {@link
 * #onReconnect} callbacks never run.
 */
public final class LocalClusterBus implements ClusterBus {

  private static final Logger log = LoggerFactory.getLogger(LocalClusterBus.class);

  private final Transactions transactions;
  private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public LocalClusterBus(Transactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void publish(String topic, String payload) {
    ClusterBus.check(topic, payload);
    if (closed) {
      throw new IllegalStateException("the cluster bus is closed");
    }
    transactions.afterCommit(() -> deliver(topic, payload));
  }

  @Override
  public void subscribe(String topic, Consumer<String> handler) {
    ClusterBus.check(topic, "");
    handlers.computeIfAbsent(topic, key -> new CopyOnWriteArrayList<>()).add(handler);
  }

  @Override
  public void onReconnect(Runnable catchUp) {
    // Never disconnects.
  }

  @Override
  public boolean connected() {
    return !closed;
  }

  @Override
  public void close() {
    closed = true;
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
}
