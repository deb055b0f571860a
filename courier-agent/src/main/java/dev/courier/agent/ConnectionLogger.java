package dev.courier.agent;

import dev.courier.agent.sdk.CourierAgent;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs when the agent gains or loses contact with the server. The SDK exposes connection state as a
 * query, so a daemon thread looks once a second; a missed flap shorter than that is harmless.
 */
final class ConnectionLogger {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLogger.class);
  private static final long PERIOD_MILLIS = 1000;

  private ConnectionLogger() {}

  static Thread start(CourierAgent agent, URI server) {
    Thread thread = new Thread(() -> watch(agent, server), "courier-agent-connection-log");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void watch(CourierAgent agent, URI server) {
    boolean connected = false;
    String transport = "none";
    try {
      while (!Thread.currentThread().isInterrupted()) {
        boolean now = agent.isConnected();
        String using = agent.transportInUse();
        if (now && (!connected || !using.equals(transport))) {
          LOG.info("connected to {} over {}", server, using);
        } else if (!now && connected) {
          LOG.warn("lost contact with {}; reconnecting", server);
        }
        connected = now;
        transport = using;
        Thread.sleep(PERIOD_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // Logging is a convenience: never let it take the agent down.
      LOG.debug("connection logger stopped", e);
    }
  }
}
