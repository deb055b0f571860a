package dev.courier.agent;

import dev.courier.agent.executor.BuiltinExecutors;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.agent.sdk.AgentOptions;
import dev.courier.agent.sdk.CourierAgent;
import dev.courier.agent.sdk.ExecutorRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent until the JVM is asked to stop: resolves the identity, builds the executors,
 * starts the SDK agent, and on SIGTERM or SIGINT stops it within the shutdown grace and exits 0.
 *
 * <p>Shutdown order: the hook stops the SDK agent (no new commands, running ones finish or are
 * cancelled within the grace, pending results flushed or kept in the outbox), then halts with
 * status 0. Halting, rather than returning, is what makes a SIGTERM exit 0 instead of the JVM's
 * 143, so systemd records a clean stop.
 */
final class AgentProcess implements AgentLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(AgentProcess.class);

  /** How long past the grace a stop may take (result flush, disconnect) before the watchdog. */
  private static final Duration STOP_OVERRUN = Duration.ofSeconds(10);

  @Override
  public int launch(LaunchSettings settings) throws LaunchException, InterruptedException {
    String version = AgentVersion.current();
    AgentIdentity identity = IdentityBootstrap.resolve(settings, version);
    URI server = settings.server().orElse(identity.server());
    if (!server.equals(identity.server())) {
      LOG.warn(
          "agent {} enrolled with {} but --server says {}; connecting to {}",
          identity.agentId(),
          identity.server(),
          server,
          server);
    }
    AgentOptions options;
    try {
      options =
          settings.toOptions(AgentOptions.defaults(server, identity, settings.stateDir()), version);
    } catch (IllegalArgumentException e) {
      throw new LaunchException(LaunchException.USAGE, e.getMessage());
    }
    ExecutorRegistry executors;
    try {
      executors =
          BuiltinExecutors.registry(
              version,
              settings.executors(),
              settings.stateDir(),
              AgentProcess.class.getClassLoader());
    } catch (IllegalArgumentException | ServiceConfigurationError e) {
      throw new LaunchException(
          LaunchException.FAILURE, "cannot load executor plugins: " + e.getMessage());
    }

    LOG.info(
        "courier-agent {} starting as agent {} ({}): server {}, transport {}, executors {}",
        version,
        identity.agentId(),
        options.hostname(),
        server,
        options.transport().name().toLowerCase(Locale.ROOT),
        executors.capabilities());
    LOG.info(
        "system executors allow: git roots {}, docker containers {}, scan roots {}, collect roots {}",
        settings.executors().gitRoots(),
        settings.executors().dockerContainers(),
        settings.executors().scanRoots(),
        settings.executors().collectRoots());
    CourierAgent agent;
    try {
      agent = new CourierAgent(options, executors);
      agent.start();
    } catch (RuntimeException e) {
      throw new LaunchException(LaunchException.FAILURE, "cannot start: " + e.getMessage());
    }
    // Registered only once running: from here on the only way out is a signal, which exits 0.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> shutdown(agent, options, stopped), "courier-agent-shutdown"));
    stopped.await();
    return 0;
  }

  private static void shutdown(CourierAgent agent, AgentOptions options, CountDownLatch stopped) {
    LOG.info("stopping (grace {} s)", options.shutdownGrace().toSeconds());
    haltIfStuck(options.shutdownGrace().plus(STOP_OVERRUN));
    try {
      agent.stop(options.shutdownGrace());
      LOG.info("stopped");
    } catch (RuntimeException e) {
      LOG.error("unclean stop: {}", e.toString());
    } finally {
      stopped.countDown();
      Runtime.getRuntime().halt(0);
    }
  }

  /**
   * A safety net: should stopping hang (a wedged socket close, an executor ignoring cancel), the
   * process still ends, with status 1 so the supervisor sees it was not clean. Unconfirmed results
   * stay in the outbox either way.
   */
  private static void haltIfStuck(Duration limit) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(limit);
                LOG.error("stop did not finish within {} s; halting", limit.toSeconds());
                Runtime.getRuntime().halt(1);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "courier-agent-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }
}
