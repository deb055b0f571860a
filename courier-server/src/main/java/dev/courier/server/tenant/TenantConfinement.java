package dev.courier.server.tenant;

import java.util.function.Supplier;

/**
 * Defence in depth beneath the services' own tenant filters: while work runs confined to a tenant,
 * the database itself (PostgreSQL row-level security) hides every other tenant's rows, so a query
 * that forgot its filter still returns nothing foreign. Where the database cannot enforce it
 * (SQLite, or a PostgreSQL user that bypasses row-level security) the services' filters stand
 * alone.
 */
public interface TenantConfinement {

  /** Runs {@code work} with the database confined to {@code tenant}'s rows, on this thread. */
  <T> T confinedTo(TenantId tenant, Supplier<T> work);

  /** Same as {@link #confinedTo(TenantId, Supplier)} for work that returns nothing. */
  default void confinedTo(TenantId tenant, Runnable work) {
    confinedTo(
        tenant,
        () -> {
          work.run();
          return null;
        });
  }

  /**
   * Lifts the confinement for a deliberate look across tenants, such as telling "another tenant's
   * agent" (403, seed 000) from "no such agent". Keep such work to the one read that needs it.
   */
  <T> T acrossTenants(Supplier<T> work);
}
