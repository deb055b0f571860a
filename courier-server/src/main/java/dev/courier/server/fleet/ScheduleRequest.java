package dev.courier.server.fleet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.Priority;

/**
 * A schedule's fields as an operator sends them. For a create, null means the default (enabled,
 * {@code UTC}, {@code run_once}); for an edit, null means "unchanged".
 */
public record ScheduleRequest(
    String name,
    String description,
    String cronExpression,
    String timezone,
    String type,
    ObjectNode params,
    TargetSelector selector,
    Priority priority,
    RolloutLimit maxConcurrency,
    RolloutLimit maxErrors,
    Boolean enabled,
    MissedRunPolicy missedRunPolicy) {}
