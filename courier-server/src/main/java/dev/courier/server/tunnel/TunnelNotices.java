package dev.courier.server.tunnel;

import dev.courier.server.cluster.ClusterBus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices of what agents said, applied on this node and, in a cluster, on the others. With several
 * nodes (PostgreSQL), what an agent connected here says reaches the node where its session's
 * operator waits or watches, and the other way round: every notice is applied here and published
 * for the others, which apply it if they hold a waiter or a stream of the session.
 *
 * <p>A notice is {@code <node> <kind> <target> <i>/<n> <text>}: text longer than {@link #PIECE}
 * goes in {@code n} pieces that the receiving node puts together before applying it.
 */
final class TunnelNotices {

  private static final Logger log = LoggerFactory.getLogger(TunnelNotices.class);

  /** The bus topic of what agents said, for the node where the operator waits or watches. */
  static final String NOTICES = "courier_tunnel_notices";

  /** Characters of text per bus message (at most 3 bytes each, under the bus's 7900). */
  static final int PIECE = 2000;

  private final String nodeId;
  private final LocalNotices local;
  private volatile ClusterBus bus;
  private final Map<String, StringBuilder> assembling = new ConcurrentHashMap<>();

  TunnelNotices(String nodeId, LocalNotices local) {
    this.nodeId = nodeId;
    this.local = local;
  }

  void joinCluster(ClusterBus clusterBus) {
    this.bus = clusterBus;
    clusterBus.subscribe(NOTICES, this::onNotice);
  }

  /** Whether this node joined a cluster; a node without one is the only node. */
  boolean inCluster() {
    return bus != null;
  }

  /** Applies the notice here, then publishes it for the other nodes. */
  void publish(String kind, String target, String data) {
    local.apply(kind, target, data);
    ClusterBus cluster = bus;
    if (cluster == null) {
      return;
    }
    String text = data == null ? "" : data;
    List<String> parts = new ArrayList<>();
    int start = 0;
    do {
      int end = Math.min(text.length(), start + PIECE);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      parts.add(text.substring(start, end));
      start = end;
    } while (start < text.length());
    for (int i = 0; i < parts.size(); i++) {
      try {
        cluster.publish(
            NOTICES,
            nodeId
                + " "
                + kind
                + " "
                + target
                + " "
                + (i + 1)
                + "/"
                + parts.size()
                + " "
                + parts.get(i));
      } catch (RuntimeException e) {
        log.warn("Publishing a tunnel notice for {} failed: {}", target, e.toString());
        return;
      }
    }
  }

  private void onNotice(String payload) {
    String[] part = payload.split(" ", 5);
    if (part.length < 4 || part[0].equals(nodeId)) {
      return;
    }
    String kind = part[1];
    String target = part[2];
    String piece = part.length == 5 ? part[4] : "";
    String[] count = part[3].split("/");
    int index = Integer.parseInt(count[0]);
    int total = Integer.parseInt(count[1]);
    String data = piece;
    if (total > 1) {
      String key = part[0] + " " + kind + " " + target;
      StringBuilder built = assembling.computeIfAbsent(key, k -> new StringBuilder());
      if (index == 1) {
        built.setLength(0);
      }
      built.append(piece);
      if (index < total) {
        return;
      }
      assembling.remove(key);
      data = built.toString();
    }
    try {
      local.apply(kind, target, data);
    } catch (RuntimeException e) {
      log.warn("Applying a tunnel notice {} for {} failed: {}", kind, target, e.toString());
    }
  }
}
