package dev.courier.server.testing;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.Priority;
import dev.courier.server.agent.Agent;
import dev.courier.server.command.Command;
import dev.courier.server.common.Ids;
import dev.courier.server.store.JdbcRepositories;
import dev.courier.server.tenant.Tenant;
import dev.courier.server.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Creates valid rows with sensible defaults, so a test states only what it is about. */
public final class StoreFixtures {
  private final JdbcRepositories repositories;
  private final Clock clock;

  public StoreFixtures(JdbcRepositories repositories, Clock clock) {
    this.repositories = repositories;
    this.clock = clock;
  }

  /** A stored tenant with a unique name. */
  public TenantId tenant() {
    TenantId id = TenantId.random();
    repositories.tenants().create(new Tenant(id, "tenant-" + id.value(), clock.instant()));
    return id;
  }

  /** A stored, offline agent of {@code tenantId} whose key hash is unique. */
  public AgentId agent(TenantId tenantId) {
    AgentId id = AgentId.of(Ids.newId());
    repositories.agents().create(agent(tenantId, id, "key-" + id.value()));
    return id;
  }

  /** An unsaved agent with the given key hash. */
  public Agent agent(TenantId tenantId, AgentId id, String keyHash) {
    return Agent.enrolled(
        id,
        tenantId,
        "host-" + id.value().substring(0, 8),
        "linux",
        "amd64",
        "1.0.0",
        Map.of("env", "test"),
        keyHash,
        null,
        clock.instant());
  }

  /** An unsaved pending command created now, normal priority, no expiry. */
  public Command command(TenantId tenantId, AgentId agentId) {
    return command(tenantId, agentId, Priority.NORMAL, clock.instant());
  }

  /** An unsaved pending command with the given priority and creation time. */
  public Command command(TenantId tenantId, AgentId agentId, Priority priority, Instant createdAt) {
    return command(tenantId, agentId, priority, createdAt, null);
  }

  private static Command command(
      TenantId tenantId, AgentId agentId, Priority priority, Instant createdAt, Instant expiresAt) {
    return Command.pending(
        CommandId.of(Ids.newId()),
        tenantId,
        agentId,
        "echo",
        "{\"message\": \"hello\"}",
        priority,
        Duration.ofSeconds(60),
        createdAt,
        expiresAt);
  }

  /** Stores a pending command that expires at {@code expiresAt} and returns it. */
  public Command expiring(
      TenantId tenantId, AgentId agentId, Priority priority, Instant createdAt, Instant expiresAt) {
    Command command = command(tenantId, agentId, priority, createdAt, expiresAt);
    repositories.commands().insert(command);
    return command;
  }

  /** Stores a pending command and returns it. */
  public Command pending(TenantId tenantId, AgentId agentId, Priority priority, Instant createdAt) {
    Command command = command(tenantId, agentId, priority, createdAt);
    repositories.commands().insert(command);
    return command;
  }
}
