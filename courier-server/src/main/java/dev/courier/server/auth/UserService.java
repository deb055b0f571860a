package dev.courier.server.auth;

import dev.courier.server.common.DuplicateKeyException;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.tenant.TenantRepository;
import dev.courier.server.user.Role;
import dev.courier.server.user.User;
import dev.courier.server.user.UserId;
import dev.courier.server.user.UserRepository;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Account administration within the caller's tenant scope: a tenant admin manages its own tenant's
 * users (never system admins); a system admin manages any tenant's and other system admins. Nobody
 * changes their own role or disables themselves, so an admin cannot lock the last admin out.
 */
public final class UserService {

  static final int MIN_PASSWORD = 12;
  static final int MAX_PASSWORD = 256;
  static final int MAX_LIST = 1000;

  /** Letters, digits and {@code . _ - @}: names people type at a login prompt. */
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,64}");

  private final UserRepository users;
  private final TenantRepository tenants;
  private final PasswordHasher passwords;
  private final TenantId defaultTenant;
  private final Clock clock;

  public UserService(
      UserRepository users,
      TenantRepository tenants,
      PasswordHasher passwords,
      TenantId defaultTenant,
      Clock clock) {
    this.users = users;
    this.tenants = tenants;
    this.passwords = passwords;
    this.defaultTenant = defaultTenant;
    this.clock = clock;
  }

  /** An account and, when the server chose it, the password (shown once, never stored). */
  public record CreatedUser(User user, Optional<String> generatedPassword) {}

  /**
   * @param roleName a role's wire name
   * @param password null to have one generated
   * @param tenantName the tenant's id; null means the caller's own (the default tenant for a system
   *     admin)
   */
  public CreatedUser create(
      Operator operator, String username, String roleName, String password, String tenantName) {
    if (username == null || !USERNAME.matcher(username.trim()).matches()) {
      throw new InvalidInputException(
          "username must be 3 to 64 letters, digits or . _ - @", "username");
    }
    Role role = role(operator, roleName);
    TenantId tenant = tenantFor(operator, role, tenantName);
    Optional<String> generated =
        password == null ? Optional.of(PasswordGenerator.generate(18)) : Optional.empty();
    String chosen = generated.orElse(password);
    checkPolicy(chosen);
    User user =
        new User(
            UserId.random(),
            tenant,
            username.trim(),
            passwords.hash(chosen),
            role,
            false,
            clock.instant());
    try {
      users.create(user);
    } catch (DuplicateKeyException taken) {
      throw new ConflictException("the username '" + user.username() + "' is taken", "username");
    }
    return new CreatedUser(user, generated);
  }

  /**
   * Accounts the operator may see, by username.
   *
   * @param tenantName a system admin's filter (null: every account); others may only name their own
   */
  public List<User> list(Operator operator, String tenantName, int limit) {
    if (limit < 1 || limit > MAX_LIST) {
      throw new InvalidInputException("limit must be between 1 and " + MAX_LIST, "limit");
    }
    TenantId named = tenantName == null ? null : tenantId(tenantName);
    Optional<TenantId> scope = operator.tenantScope();
    if (scope.isPresent() && named != null && !named.equals(scope.get())) {
      throw new ForbiddenException("you may only list your own tenant's users", "tenant_id");
    }
    return users.list(scope.orElse(named), limit);
  }

  /** An account in the operator's scope; another tenant's is not found. */
  public User get(Operator operator, UserId id) {
    return users
        .find(id)
        .filter(user -> operator.tenantScope().map(own -> own.equals(user.tenantId())).orElse(true))
        .orElseThrow(() -> new NotFoundException("no user " + id.value(), "id"));
  }

  /** Changes role, disabled flag or password; each null argument is left alone. */
  public User update(
      Operator operator, UserId id, String roleName, Boolean disabled, String password) {
    User user = get(operator, id);
    boolean self = user.id().equals(operator.userId());
    Role role = user.role();
    if (roleName != null) {
      role = role(operator, roleName);
      if (self && role != user.role()) {
        throw new ConflictException("you cannot change your own role", "role");
      }
      if ((role == Role.SYSTEM_ADMIN) != (user.role() == Role.SYSTEM_ADMIN)) {
        // A system admin has no tenant and every other role has one: a different account.
        throw new InvalidInputException(
            "a user cannot move into or out of system_admin; create a new account", "role");
      }
    }
    if (self && Boolean.TRUE.equals(disabled)) {
      throw new ConflictException("you cannot disable yourself", "disabled");
    }
    String hash = user.passwordHash();
    if (password != null) {
      checkPolicy(password);
      hash = passwords.hash(password);
    }
    User changed =
        new User(
            user.id(),
            user.tenantId(),
            user.username(),
            hash,
            role,
            disabled == null ? user.disabled() : disabled,
            user.createdAt());
    if (!users.update(changed)) {
      throw new NotFoundException("no user " + id.value(), "id");
    }
    return changed;
  }

  /** Accounts are disabled rather than deleted, so audit records keep naming them. */
  public void disable(Operator operator, UserId id) {
    User user = get(operator, id);
    if (user.id().equals(operator.userId())) {
      throw new ConflictException("you cannot disable yourself", "id");
    }
    update(operator, id, null, true, null);
  }

  private static Role role(Operator operator, String roleName) {
    if (roleName == null) {
      throw new InvalidInputException("role is required", "role");
    }
    Role role;
    try {
      role = Role.fromWireName(roleName);
    } catch (IllegalArgumentException unknown) {
      throw new InvalidInputException(
          "role must be one of system_admin, tenant_admin, operator, auditor", "role");
    }
    if (role == Role.SYSTEM_ADMIN && operator.tenantScope().isPresent()) {
      throw new ForbiddenException("only a system admin may grant system_admin", "role");
    }
    return role;
  }

  private TenantId tenantFor(Operator operator, Role role, String tenantName) {
    if (role == Role.SYSTEM_ADMIN) {
      if (tenantName != null) {
        throw new InvalidInputException("a system_admin belongs to no tenant", "tenant_id");
      }
      return null;
    }
    Optional<TenantId> scope = operator.tenantScope();
    if (tenantName == null) {
      return scope.orElse(defaultTenant);
    }
    TenantId named = tenantId(tenantName);
    if (scope.isPresent() && !scope.get().equals(named)) {
      throw new ForbiddenException("you may only create users in your own tenant", "tenant_id");
    }
    if (tenants.find(named).isEmpty()) {
      throw new NotFoundException("no tenant " + tenantName, "tenant_id");
    }
    return named;
  }

  private static TenantId tenantId(String value) {
    try {
      return TenantId.of(value);
    } catch (IllegalArgumentException malformed) {
      throw new InvalidInputException("tenant_id is not a tenant id", "tenant_id");
    }
  }

  private static void checkPolicy(String password) {
    if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw new InvalidInputException(
          "password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters", "password");
    }
  }
}
