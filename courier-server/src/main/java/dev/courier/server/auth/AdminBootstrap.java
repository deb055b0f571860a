package dev.courier.server.auth;

import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Transactions;
import dev.courier.server.tenant.Tenant;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.tenant.TenantRepository;
import dev.courier.server.user.Role;
import dev.courier.server.user.User;
import dev.courier.server.user.UserId;
import dev.courier.server.user.UserRepository;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an empty database usable: a {@code default} tenant for agents enrolled by the system admin,
 * and the first account, {@code admin}, whose password comes from the configuration or is generated
 * and printed once.
 */
public final class AdminBootstrap {

  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  public static final String ADMIN_USERNAME = "admin";
  public static final String DEFAULT_TENANT = "default";

  private final Transactions transactions;
  private final TenantRepository tenants;
  private final UserRepository users;
  private final PasswordHasher passwords;
  private final Clock clock;

  public AdminBootstrap(
      Transactions transactions,
      TenantRepository tenants,
      UserRepository users,
      PasswordHasher passwords,
      Clock clock) {
    this.transactions = transactions;
    this.tenants = tenants;
    this.users = users;
    this.passwords = passwords;
    this.clock = clock;
  }

  /** Returns the default tenant, creating it (and the admin, if there are no users) as needed. */
  public TenantId ensure(Optional<String> configuredPassword) {
    TenantId tenant = defaultTenant();
    if (users.count() == 0) {
      String password = configuredPassword.orElseGet(() -> PasswordGenerator.generate(18));
      User admin =
          new User(
              UserId.of(Ids.newId()),
              null,
              ADMIN_USERNAME,
              passwords.hash(password),
              Role.SYSTEM_ADMIN,
              false,
              clock.instant());
      try {
        users.create(admin);
        if (configuredPassword.isEmpty()) {
          // Printed, not logged: it must reach the person starting the server, once.
          System.out.println();
          System.out.println("  Courier created the first user.");
          System.out.println("    username: " + ADMIN_USERNAME);
          System.out.println("    password: " + password);
          System.out.println(
              "  It is shown only this once. Set COURIER_ADMIN_PASSWORD to choose it.");
          System.out.println();
        } else {
          log.info("Created user '{}' with the configured password", ADMIN_USERNAME);
        }
      } catch (DuplicateKeyException anotherNodeWon) {
        log.info("Another server node created the first user");
      }
    }
    return tenant;
  }

  private TenantId defaultTenant() {
    return tenants.list().stream()
        .filter(t -> t.name().equals(DEFAULT_TENANT))
        .findFirst()
        .map(Tenant::id)
        .orElseGet(
            () ->
                transactions.inTransaction(
                    () -> {
                      Tenant created =
                          new Tenant(TenantId.of(Ids.newId()), DEFAULT_TENANT, clock.instant());
                      try {
                        tenants.create(created);
                        return created.id();
                      } catch (DuplicateKeyException anotherNodeWon) {
                        return tenants.list().stream()
                            .filter(t -> t.name().equals(DEFAULT_TENANT))
                            .findFirst()
                            .orElseThrow()
                            .id();
                      }
                    }));
  }
}
