package dev.courier.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.agent.executor.RestartRequests;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.CourierAgent;
import dev.courier.agent.upgrade.UpgradeState;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of an {@code upgrade}, in the run after the restart. The new version reports the
 * command {@code completed} once it reached the server (and confirms the upgrade, so the launcher
 * keeps it); if it cannot within the deadline it asks for a restart, and the launcher, seeing a
 * started but unconfirmed upgrade, puts the previous jar back. The old version, started again after
 * that rollback, reports the command {@code failed}.
 */
final class UpgradeFollowUp {

  private static final Logger LOG = LoggerFactory.getLogger(UpgradeFollowUp.class);

  private final CourierAgent agent;
  private final UpgradeState state;
  private final UpgradeState.Pending pending;
  private final String version;
  private final Duration deadline;
  private final Duration grace;
  private final RestartRequests restarts;

  private UpgradeFollowUp(
      CourierAgent agent,
      UpgradeState state,
      UpgradeState.Pending pending,
      String version,
      Duration deadline,
      Duration grace,
      RestartRequests restarts) {
    this.agent = agent;
    this.state = state;
    this.pending = pending;
    this.version = version;
    this.deadline = deadline;
    this.grace = grace;
    this.restarts = restarts;
  }

  /** Before the agent starts: null when no upgrade is pending. */
  static UpgradeFollowUp prepare(
      CourierAgent agent,
      Path stateDir,
      String version,
      OperatorSettings ops,
      RestartRequests restarts) {
    UpgradeState state = new UpgradeState(stateDir);
    Optional<UpgradeState.Pending> pending;
    try {
      pending = state.pending();
    } catch (IOException e) {
      LOG.error("cannot read the pending upgrade: {}", e.toString());
      return null;
    }
    if (pending.isEmpty()) {
      return null;
    }
    agent.expectLateResult(CommandId.of(pending.get().commandId()));
    return new UpgradeFollowUp(
        agent,
        state,
        pending.get(),
        version,
        ops.upgradeDeadline(),
        Duration.ofSeconds(5),
        restarts);
  }

  void finishInBackground() {
    Thread.ofVirtual().name("courier-upgrade-follow-up").start(this::finish);
  }

  private void finish() {
    CommandId id = CommandId.of(pending.commandId());
    try {
      if (state.rolledBack() || !version.equals(pending.toVersion())) {
        LOG.error(
            "upgrade {} to {} did not come up; running {} again", id, pending.toVersion(), version);
        agent.reportLateResult(
            id,
            CommandOutcome.failed(
                "version "
                    + pending.toVersion()
                    + " did not come up (it could not start, or did not reach the server within "
                    + deadline.toSeconds()
                    + " s); rolled back to "
                    + version));
        state.clear();
        return;
      }
      if (!state.confirmed()) {
        Instant until = Instant.now().plus(deadline);
        while (!agent.isConnected() && Instant.now().isBefore(until)) {
          Thread.sleep(200);
        }
        if (!agent.isConnected()) {
          LOG.error(
              "upgraded to {} but could not reach the server within {} s; restarting so the"
                  + " launcher rolls back to {}",
              version,
              deadline.toSeconds(),
              pending.fromVersion());
          restarts.request("upgrade not confirmed", grace);
          return;
        }
        state.markConfirmed();
      }
      ObjectNode metadata = ProtocolJson.mapper().createObjectNode();
      metadata.put("from_version", pending.fromVersion());
      metadata.put("to_version", pending.toVersion());
      metadata.put("version", version);
      agent.reportLateResult(
          id,
          CommandOutcome.completed(
              0, "upgraded from " + pending.fromVersion() + " to " + version, metadata));
      state.clear();
      LOG.info("upgrade {} from {} to {} confirmed", id, pending.fromVersion(), version);
    } catch (IOException e) {
      LOG.error("upgrade follow-up of {}: {}", id, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
