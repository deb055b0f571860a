package dev.courier.server.tunnel;

import dev.courier.server.auth.Operator;
import dev.courier.server.tenant.TenantId;
import java.time.Clock;

/** The tenants' command-line policies, read and replaced. */
final class TunnelPolicies {

  private final TunnelRepository sessions;
  private final Clock clock;

  TunnelPolicies(TunnelRepository sessions, Clock clock) {
    this.sessions = sessions;
    this.clock = clock;
  }

  /** The tenant's command-line policy (empty when none was set). */
  TunnelPolicy of(TenantId tenant) {
    return sessions.policy(tenant).orElseGet(TunnelPolicy::none);
  }

  void save(TenantId tenant, TunnelPolicy policy, Operator operator) {
    sessions.savePolicy(tenant, policy, clock.instant(), SessionAccess.actor(operator));
  }
}
