package dev.courier.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.server.agent.EnrollmentService;
import dev.courier.server.agent.EnrollmentToken;
import dev.courier.server.agent.EnrollmentTokenId;
import dev.courier.server.agent.IssuedEnrollmentToken;
import dev.courier.server.agent.NewEnrollmentToken;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.tenant.TenantId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Header;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/enrollment-tokens}: create (the secret is shown once), list, revoke. */
public final class EnrollmentTokenRoutes implements RouteModule {

  private final RequestAuth auth;
  private final Bodies bodies;
  private final EnrollmentService enrollment;

  public EnrollmentTokenRoutes(RequestAuth auth, Bodies bodies, EnrollmentService enrollment) {
    this.auth = auth;
    this.bodies = bodies;
    this.enrollment = enrollment;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post(
        "/api/v1/enrollment-tokens",
        ctx -> {
          Operator operator = auth.operator(ctx);
          ObjectNode body = ctx.body().isBlank() ? null : bodies.object(ctx);
          NewEnrollmentToken request =
              body == null
                  ? new NewEnrollmentToken(null, null, null, Map.of())
                  : new NewEnrollmentToken(
                      Bodies.text(body, "tenant_id").map(TenantId::of).orElse(null),
                      Bodies.integer(body, "expires_in_seconds")
                          .map(Duration::ofSeconds)
                          .orElse(null),
                      Bodies.integer(body, "max_uses").map(Math::toIntExact).orElse(null),
                      Bodies.stringMap(body, "labels").orElse(Map.of()));
          IssuedEnrollmentToken issued = enrollment.create(operator, request);
          Map<String, Object> view = view(issued.token());
          view.put("token", issued.secret());
          ctx.status(201)
              .header(Header.LOCATION, "/api/v1/enrollment-tokens/" + issued.token().id().value())
              .json(view);
        },
        Access.operator(Permission.ENROLLMENT_WRITE));
    routes.get(
        "/api/v1/enrollment-tokens",
        ctx -> {
          Operator operator = auth.operator(ctx);
          String tenant = ctx.queryParam("tenant_id");
          List<EnrollmentToken> tokens =
              enrollment.list(
                  operator, tenant == null || tenant.isBlank() ? null : TenantId.of(tenant));
          ctx.json(
              Map.of(
                  "enrollment_tokens", tokens.stream().map(EnrollmentTokenRoutes::view).toList()));
        },
        Access.operator(Permission.ENROLLMENT_READ));
    routes.delete(
        "/api/v1/enrollment-tokens/{id}",
        ctx -> {
          Operator operator = auth.operator(ctx);
          enrollment.revoke(operator, EnrollmentTokenId.of(ctx.pathParam("id")));
          ctx.status(204);
        },
        Access.operator(Permission.ENROLLMENT_WRITE));
  }

  private static Map<String, Object> view(EnrollmentToken token) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", token.id().value());
    view.put("tenant_id", token.tenantId().value());
    view.put("expires_at", token.expiresAt());
    view.put("max_uses", token.maxUses());
    view.put("uses", token.uses());
    view.put("labels", token.defaultLabels());
    view.put("created_at", token.createdAt());
    view.put("revoked_at", token.revokedAt());
    return view;
  }
}
