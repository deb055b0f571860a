package dev.courier.server.http;

import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.error.ForbiddenException;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Set;

/**
 * The one place an operator's permission is checked: before every endpoint's handler (called by
 * {@link AuditedEndpoints}, so refusals are recorded), from the {@link Access} the route declared.
 * Handlers then take the already authorised operator from {@link RequestAuth#operator(Context)};
 * which rows it may see is the services' tenant scoping.
 */
public final class AccessControl {

  private final RequestAuth auth;

  public AccessControl(RequestAuth auth) {
    this.auth = auth;
  }

  void check(Context ctx) {
    switch (declared(ctx.routeRoles())) {
      case Access.Public ignored -> {}
      case Access.Agent ignored -> {}
      case Access.AnyOperator ignored -> auth.operator(ctx);
      case Access.OperatorWith(Permission permission) -> authorize(ctx, permission);
      case Access.AgentOrOperator(Permission permission) -> {
        if (!auth.isAgent(ctx)) {
          authorize(ctx, permission);
        }
      }
    }
  }

  private void authorize(Context ctx, Permission permission) {
    Operator operator = auth.operator(ctx);
    // The credential's permissions: the role's for a login, the token's scope for an API token.
    if (!operator.holds(permission)) {
      if (operator.viaApiToken()) {
        throw new ForbiddenException(
            "the API token does not have the permission " + permission.wireName(), "permissions");
      }
      throw new ForbiddenException(
          "the role "
              + operator.role().wireName()
              + " does not have the permission "
              + permission.wireName(),
          "role");
    }
  }

  /** Exactly one {@link Access}; anything else is a programming error caught at registration. */
  static Access declared(Set<RouteRole> roles) {
    Access found = null;
    for (RouteRole role : roles) {
      if (role instanceof Access access) {
        if (found != null) {
          throw new IllegalStateException("a route declares more than one access: " + roles);
        }
        found = access;
      }
    }
    if (found == null) {
      throw new IllegalStateException("a route declares no access: " + roles);
    }
    return found;
  }
}
