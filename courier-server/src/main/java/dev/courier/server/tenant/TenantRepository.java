package dev.courier.server.tenant;

import java.util.List;
import java.util.Optional;

/** Stores tenants. */
public interface TenantRepository {

  /**
   * @throws dev.courier.server.common.DuplicateKeyException if the name is taken
   */
  void create(Tenant tenant);

  Optional<Tenant> find(TenantId id);

  /** Every tenant, oldest first; tenants are few. */
  List<Tenant> list();
}
