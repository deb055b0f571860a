package dev.courier.server.auth;

import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.tenant.Tenant;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.tenant.TenantRepository;
import java.time.Clock;
import java.util.List;

/** System admins create tenants; everyone else sees only their own. */
public final class TenantService {

  static final int MAX_NAME = 100;

  private final TenantRepository tenants;
  private final Clock clock;

  public TenantService(TenantRepository tenants, Clock clock) {
    this.tenants = tenants;
    this.clock = clock;
  }

  /** Needs {@link Permission#TENANTS_WRITE}, which only a system admin holds. */
  public Tenant create(Operator operator, String name) {
    if (!operator.holds(Permission.TENANTS_WRITE) || operator.tenantScope().isPresent()) {
      throw new ForbiddenException("only a system admin creates tenants", "role");
    }
    if (name == null || name.isBlank() || name.trim().length() > MAX_NAME) {
      throw new InvalidInputException("name is required (at most 100 characters)", "name");
    }
    Tenant tenant = new Tenant(TenantId.random(), name.trim(), clock.instant());
    try {
      tenants.create(tenant);
    } catch (DuplicateKeyException taken) {
      throw new ConflictException("a tenant named '" + tenant.name() + "' exists", "name");
    }
    return tenant;
  }

  /** Every tenant for a system admin, oldest first; the operator's own tenant for anyone else. */
  public List<Tenant> list(Operator operator) {
    return operator
        .tenantScope()
        .map(own -> tenants.find(own).stream().toList())
        .orElseGet(tenants::list);
  }
}
