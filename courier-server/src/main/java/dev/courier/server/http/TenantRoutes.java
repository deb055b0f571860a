package dev.courier.server.http;

import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.auth.TenantService;
import dev.courier.server.tenant.Tenant;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/tenants}: a system admin creates tenants and lists them all; any other operator
 * lists only their own.
 */
public final class TenantRoutes implements RouteModule {

  private final RequestAuth auth;
  private final Bodies bodies;
  private final TenantService tenants;

  public TenantRoutes(RequestAuth auth, Bodies bodies, TenantService tenants) {
    this.auth = auth;
    this.bodies = bodies;
    this.tenants = tenants;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post(
        "/api/v1/tenants",
        ctx -> {
          Operator operator = auth.operator(ctx);
          Tenant tenant =
              tenants.create(operator, Bodies.text(bodies.object(ctx), "name").orElse(null));
          AuditedEndpoints.target(ctx, "/api/v1/tenants/" + tenant.id().value());
          ctx.status(201).json(view(tenant));
        },
        Access.operator(Permission.TENANTS_WRITE));
    // Every operator may see the tenant they belong to; the service confines the list.
    routes.get(
        "/api/v1/tenants",
        ctx -> {
          Operator operator = auth.operator(ctx);
          ctx.json(
              Map.of("tenants", tenants.list(operator).stream().map(TenantRoutes::view).toList()));
        },
        Access.ANY_OPERATOR);
  }

  private static Map<String, Object> view(Tenant tenant) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", tenant.id().value());
    view.put("name", tenant.name());
    view.put("created_at", tenant.createdAt());
    return view;
  }
}
