package dev.courier.server.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.Priority;
import java.time.Duration;

/**
 * A rollout as requested. Null means the default: every target at once, no error limit, no canary,
 * {@code normal} priority, the type's timeout.
 */
public record NewRollout(
    TargetSelector selector,
    String type,
    ObjectNode params,
    RolloutLimit maxConcurrency,
    RolloutLimit maxErrors,
    Integer canary,
    Priority priority,
    Duration timeout) {}
