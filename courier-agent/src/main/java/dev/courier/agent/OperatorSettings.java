package dev.courier.agent;

import dev.courier.agent.config.LocalSchedule;
import dev.courier.agent.config.Mode;
import dev.courier.agent.terminal.TerminalSettings;
import dev.courier.agent.upgrade.UpgradeExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings of the agent as operators deploy it (issue 5): mode and local schedules, the config
 * file {@code config_update} rewrites, the outbox quota, what {@code upgrade} may fetch and how
 * long a new version has to come up, and the terminal.
 *
 * @param installation where the launcher ({@code courier-agent-launch}) runs the agent from; empty
 *     when it was started another way, which makes {@code upgrade} refuse
 * @param terminal whether operators may open a terminal here (issue 9), and its limits
 */
record OperatorSettings(
    Mode mode,
    Optional<Path> configFile,
    List<LocalSchedule> schedules,
    Optional<Long> outboxQuotaBytes,
    List<String> upgradeOrigins,
    Duration upgradeDeadline,
    Optional<UpgradeExecutor.Installation> installation,
    TerminalSettings terminal) {

  static final Duration DEFAULT_UPGRADE_DEADLINE = Duration.ofSeconds(120);

  OperatorSettings {
    schedules = List.copyOf(schedules);
    upgradeOrigins = List.copyOf(upgradeOrigins);
  }

  static OperatorSettings defaults() {
    return new OperatorSettings(
        Mode.MANAGED,
        Optional.empty(),
        List.of(),
        Optional.empty(),
        List.of(),
        DEFAULT_UPGRADE_DEADLINE,
        Optional.empty(),
        TerminalSettings.disabled());
  }
}
