package dev.courier.agent;

import dev.courier.agent.config.UpgradeOrigins;
import dev.courier.agent.executor.BuiltinExecutors;
import dev.courier.agent.executor.ConfigUpdateExecutor;
import dev.courier.agent.executor.RestartExecutor;
import dev.courier.agent.executor.RestartRequests;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.agent.sdk.AgentOptions;
import dev.courier.agent.sdk.AgentStatus;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CourierAgent;
import dev.courier.agent.sdk.ExecutorRegistry;
import dev.courier.agent.sdk.LocalRunner;
import dev.courier.agent.terminal.TerminalTunnels;
import dev.courier.agent.upgrade.UpgradeExecutor;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the agent until the JVM is asked to stop or a command asks for a restart: resolves the
 * identity, builds the executors, starts the SDK agent (managed, hybrid) and the local schedules
 * (standalone, hybrid), finishes an upgrade the previous run installed, and writes the status file.
 *
 * <p>Shutdown order: stop the local schedules, stop the SDK agent (no new commands, running ones
 * finish or are cancelled within the grace, pending results flushed or kept in the outbox), write
 * the status file a last time, then halt: status 0 after SIGTERM or SIGINT (halting, rather than
 * returning, is what makes a SIGTERM exit 0 instead of the JVM's 143, so systemd records a clean
 * stop), {@value RestartRequests#EXIT_CODE} after a restart request.
 */
final class AgentProcess implements AgentLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(AgentProcess.class);

  /** How long past the grace a stop may take (result flush, disconnect) before the watchdog. */
  private static final Duration STOP_OVERRUN = Duration.ofSeconds(10);

  private final Clock clock = Clock.systemUTC();
  private final Object stopLock = new Object();
  private boolean stopped;
  private volatile TerminalTunnels terminal;

  @Override
  public int launch(LaunchSettings settings) throws LaunchException, InterruptedException {
    String version = AgentVersion.current();
    OperatorSettings ops = settings.operations();
    RestartRequests restarts = new RestartRequests();
    try {
      StateDirectory.create(settings.stateDir());
    } catch (IOException e) {
      throw new LaunchException(
          LaunchException.FAILURE, "cannot create " + settings.stateDir() + ": " + e.getMessage());
    }
    Optional<AgentIdentity> identity = identity(settings, version);
    Optional<URI> server = identity.map(i -> settings.server().orElse(i.server()));
    identity.ifPresent(
        i -> {
          if (!server.get().equals(i.server())) {
            LOG.warn(
                "agent {} enrolled with {} but --server says {}; connecting to {}",
                i.agentId(),
                i.server(),
                server.get(),
                server.get());
          }
        });
    ExecutorRegistry executors = executors(settings, version, restarts, server);
    LOG.info(
        "courier-agent {} starting in {} mode{}: executors {}",
        version,
        ops.mode().wireName(),
        identity.map(i -> " as agent " + i.agentId() + " (" + settings.hostname() + ")").orElse(""),
        executors.capabilities());
    LOG.info(
        "system executors allow: git roots {}, docker containers {}, scan roots {}, collect roots {}",
        settings.executors().gitRoots(),
        settings.executors().dockerContainers(),
        settings.executors().scanRoots(),
        settings.executors().collectRoots());

    CourierAgent agent = null;
    AgentOptions options = null;
    UpgradeFollowUp upgrade = null;
    if (identity.isPresent()) {
      try {
        options =
            settings.toOptions(
                AgentOptions.defaults(server.get(), identity.get(), settings.stateDir()), version);
      } catch (IllegalArgumentException e) {
        throw new LaunchException(LaunchException.USAGE, e.getMessage());
      }
      LOG.info(
          "server {}, transport {}, outbox quota {} MiB",
          server.get(),
          options.transport().name().toLowerCase(Locale.ROOT),
          options.outboxQuotaBytes() / (1024 * 1024));
      try {
        if (ops.terminal().enabled()) {
          terminal = new TerminalTunnels(ops.terminal());
          LOG.warn(
              "terminal ENABLED: operators with terminal permission can run {} and command lines"
                  + " as this agent's user ({} session(s) at once, commands time out after {} s)",
              ops.terminal().shell(),
              ops.terminal().maxSessions(),
              ops.terminal().commandTimeout().toSeconds());
          agent = new CourierAgent(options, executors, terminal);
        } else {
          LOG.info("terminal disabled (enable with --enable-terminal or terminal.enabled: true)");
          agent = new CourierAgent(options, executors);
        }
        upgrade = UpgradeFollowUp.prepare(agent, settings.stateDir(), version, ops, restarts);
        agent.start();
      } catch (RuntimeException e) {
        throw new LaunchException(LaunchException.FAILURE, "cannot start: " + e.getMessage());
      }
    }
    Duration grace = settings.shutdownGrace();
    LocalScheduler schedules = null;
    LocalRunUploads uploads = null;
    if (ops.mode().runsLocalSchedules()) {
      if (identity.isPresent()) {
        uploads = new LocalRunUploads(settings.stateDir(), identity.get(), server.get());
        uploads.start();
      } else {
        LOG.info("no server configured: local runs are kept in {}", settings.stateDir());
      }
      int cap = options == null ? 1024 * 1024 : options.outputCapBytes();
      schedules =
          new LocalScheduler(
              ops.schedules(),
              new LocalRunner(executors, cap, clock),
              settings.stateDir(),
              clock,
              uploads);
      schedules.start();
    }
    CourierAgent running = agent;
    LocalScheduler local = schedules;
    LocalRunUploads localUploads = uploads;
    StatusFile status =
        new StatusFile(
            settings.stateDir(),
            new StatusFile.Identity(
                identity.map(i -> i.agentId().value()).orElse(null),
                server.map(URI::toString).orElse(null),
                version,
                ops.mode().wireName()),
            () -> running == null ? idle(ops) : running.status(),
            () -> local == null ? 0 : local.scheduleCount(),
            () -> localUploads == null ? 0 : localUploads.pending(),
            clock);
    status.write();
    // Virtual threads for the loops that mostly wait: a platform thread each would cost the idle
    // agent a native stack and the JVM's per-thread structures for a sleep or a latch.
    Thread.ofVirtual().name("courier-status-file").start(() -> writeEvery(status));
    if (upgrade != null) {
      upgrade.finishInBackground();
    }
    // Registered only once running: from here on the way out is a signal (exit 0) or a restart
    // request (exit 75).
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> stopAndHalt(running, local, localUploads, status, grace, 0, "stopping"),
                "courier-agent-shutdown"));
    Thread.ofVirtual()
        .name("courier-restart")
        .start(
            () -> {
              try {
                RestartRequests.Request request = restarts.await();
                stopAndHalt(
                    running,
                    local,
                    localUploads,
                    status,
                    request.grace(),
                    RestartRequests.EXIT_CODE,
                    "restarting (" + request.reason() + ")");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    forever.await();
    return 0;
  }

  /**
   * Managed and hybrid agents need an identity (saved, or enrolled now). A standalone agent uses
   * one if it has it or can enroll (token and server given), only to upload its local runs;
   * without, it runs on its own.
   */
  private static Optional<AgentIdentity> identity(LaunchSettings settings, String version)
      throws LaunchException {
    if (settings.operations().mode().runsServerCommands()
        || java.nio.file.Files.exists(settings.identityFile())
        || (settings.enrollToken().isPresent() && settings.server().isPresent())) {
      return Optional.of(IdentityBootstrap.resolve(settings, version));
    }
    return Optional.empty();
  }

  private ExecutorRegistry executors(
      LaunchSettings settings, String version, RestartRequests restarts, Optional<URI> server)
      throws LaunchException {
    OperatorSettings ops = settings.operations();
    List<CommandExecutor> lifecycle =
        List.of(
            new ConfigUpdateExecutor(ops.configFile()),
            new RestartExecutor(restarts, settings.shutdownGrace()),
            new UpgradeExecutor(
                version,
                ops.installation(),
                settings.stateDir(),
                UpgradeOrigins.of(server, ops.upgradeOrigins()),
                restarts,
                settings.shutdownGrace(),
                UpgradeExecutor.DEFAULT_MAX_BYTES));
    try {
      return BuiltinExecutors.registry(
          version,
          settings.executors(),
          settings.stateDir(),
          AgentProcess.class.getClassLoader(),
          lifecycle);
    } catch (IllegalArgumentException | ServiceConfigurationError e) {
      throw new LaunchException(
          LaunchException.FAILURE, "cannot load executor plugins: " + e.getMessage());
    }
  }

  private static AgentStatus idle(OperatorSettings ops) {
    return new AgentStatus(
        "running", "none", false, false, 0, 0, 0, 0, ops.outboxQuotaBytes().orElse(0L), false);
  }

  private static void writeEvery(StatusFile status) {
    while (true) {
      try {
        Thread.sleep(StatusFile.INTERVAL);
      } catch (InterruptedException e) {
        return;
      }
      try {
        status.write();
      } catch (RuntimeException e) {
        LOG.warn("status file: {}", e.toString());
      }
    }
  }

  private void stopAndHalt(
      CourierAgent agent,
      LocalScheduler schedules,
      LocalRunUploads uploads,
      StatusFile status,
      Duration grace,
      int exitCode,
      String why) {
    synchronized (stopLock) {
      if (!stopped) {
        stopped = true;
        LOG.info("{} (grace {} s)", why, grace.toSeconds());
        haltIfStuck(grace.plus(STOP_OVERRUN));
        try {
          if (schedules != null) {
            schedules.close();
          }
          if (uploads != null) {
            uploads.close();
          }
          if (agent != null) {
            agent.stop(grace);
          }
          TerminalTunnels tunnels = terminal;
          if (tunnels != null) {
            // The SDK closed the sessions with the connection; this catches any straggler.
            tunnels.close();
          }
          status.write();
          LOG.info("stopped");
        } catch (RuntimeException e) {
          LOG.error("unclean stop: {}", e.toString());
        }
      }
      Runtime.getRuntime().halt(exitCode);
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
