package dev.courier.server.http;

import java.util.Map;
import java.util.Optional;

/**
 * The name the audit trail gives each state-changing endpoint, in one table. Every POST, PUT, PATCH
 * and DELETE route must have an entry unless only agents call it (their protocol traffic is
 * recorded as command events instead); the server refuses to start otherwise.
 */
final class AuditActions {

  /**
   * @param changesState false for a request that only checks something (a login), which then runs
   *     outside a transaction and gets its record afterwards
   * @param onlyInserts true for a change that only inserts new rows besides its record: its
   *     transaction may share a commit with the same audit chain's others (see {@link
   *     dev.courier.server.common.Transactions#inSharedTransaction})
   */
  record AuditAction(String name, boolean changesState, boolean onlyInserts) {}

  private static final Map<String, AuditAction> ACTIONS =
      Map.ofEntries(
          check("POST /api/v1/auth/login", "auth.login"),
          change("POST /api/v1/agents/enroll", "agent.enroll"),
          change("POST /api/v1/agents/{id}/rotate-key", "agent.rotate_key"),
          change("POST /api/v1/agents/{id}/revoke", "agent.revoke"),
          change("DELETE /api/v1/agents/{id}", "agent.decommission"),
          // Inserts the command and its event; reads the agent; nothing it holds blocks others.
          insert("POST /api/v1/commands", "command.create"),
          change("DELETE /api/v1/commands/{id}", "command.cancel"),
          change("POST /api/v1/rollouts", "rollout.create"),
          change("DELETE /api/v1/rollouts/{id}", "rollout.cancel"),
          change("PATCH /api/v1/agents/{id}", "agent.update"),
          change("POST /api/v1/schedules", "schedule.create"),
          change("PATCH /api/v1/schedules/{id}", "schedule.update"),
          change("DELETE /api/v1/schedules/{id}", "schedule.delete"),
          change("POST /api/v1/scan-schedules", "schedule.create"),
          change("POST /api/v1/enrollment-tokens", "enrollment_token.create"),
          change("DELETE /api/v1/enrollment-tokens/{id}", "enrollment_token.revoke"),
          change("POST /api/v1/api-tokens", "api_token.create"),
          change("DELETE /api/v1/api-tokens/{id}", "api_token.revoke"),
          change("POST /api/v1/tenants", "tenant.create"),
          change("POST /api/v1/users", "user.create"),
          change("PATCH /api/v1/users/{id}", "user.update"),
          change("DELETE /api/v1/users/{id}", "user.disable"),
          // Tunnel requests wait for the agent, so they run outside a request transaction; the
          // service records each command line and each close nobody asked for on its own.
          check("POST /api/v1/tunnel/open", "tunnel.open"),
          check("POST /api/v1/tunnel/close", "tunnel.close"),
          check("POST /api/v1/tunnel/{session_id}/command", "tunnel.command"),
          change("PUT /api/v1/tunnel/policy", "tunnel.policy_update"));

  private AuditActions() {}

  /** The action of a route, keyed {@code METHOD /path} in OpenAPI's path syntax. */
  static Optional<AuditAction> of(String route) {
    return Optional.ofNullable(ACTIONS.get(route));
  }

  private static Map.Entry<String, AuditAction> change(String route, String name) {
    return Map.entry(route, new AuditAction(name, true, false));
  }

  private static Map.Entry<String, AuditAction> insert(String route, String name) {
    return Map.entry(route, new AuditAction(name, true, true));
  }

  private static Map.Entry<String, AuditAction> check(String route, String name) {
    return Map.entry(route, new AuditAction(name, false, false));
  }
}
