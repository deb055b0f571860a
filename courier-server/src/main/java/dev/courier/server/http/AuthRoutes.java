package dev.courier.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.server.auth.LoginService;
import io.javalin.config.RoutesConfig;
import java.util.Map;

/** {@code POST /api/v1/auth/login}: username and password for a bearer access token. */
public final class AuthRoutes implements RouteModule {

  private final LoginService logins;
  private final Bodies bodies;

  public AuthRoutes(LoginService logins, Bodies bodies) {
    this.logins = logins;
    this.bodies = bodies;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post(
        "/api/v1/auth/login",
        ctx -> {
          ObjectNode body = bodies.object(ctx);
          String username = Bodies.text(body, "username").orElse(null);
          if (username != null) {
            AuditedEndpoints.identify(ctx, "user:" + username.strip(), null);
          }
          LoginService.IssuedAccessToken token =
              logins.login(
                  username,
                  Bodies.text(body, "password").orElse(null),
                  // The peer address; behind a reverse proxy this is the proxy's (see
                  // docs/configuration.md, rate limits).
                  ctx.ip());
          AuditedEndpoints.identify(ctx, "user:" + username.strip(), token.tenantId());
          ctx.header("Cache-Control", "no-store")
              .json(
                  Map.of(
                      "access_token", token.accessToken(),
                      "token_type", "Bearer",
                      "expires_in", token.expiresInSeconds()));
        },
        Access.PUBLIC);
  }
}
