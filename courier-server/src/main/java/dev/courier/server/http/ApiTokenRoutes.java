package dev.courier.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.server.auth.ApiToken;
import dev.courier.server.auth.ApiTokenId;
import dev.courier.server.auth.ApiTokenService;
import dev.courier.server.auth.IssuedApiToken;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.error.InvalidInputException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Header;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/api-tokens}: a user's tokens for automation: create (the secret is shown once),
 * list, revoke. Any operator manages their own; what a token may do is checked at creation.
 */
public final class ApiTokenRoutes implements RouteModule {

  private final RequestAuth auth;
  private final Bodies bodies;
  private final ApiTokenService tokens;

  public ApiTokenRoutes(RequestAuth auth, Bodies bodies, ApiTokenService tokens) {
    this.auth = auth;
    this.bodies = bodies;
    this.tokens = tokens;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post(
        "/api/v1/api-tokens",
        ctx -> {
          Operator operator = auth.operator(ctx);
          ObjectNode body = bodies.object(ctx);
          IssuedApiToken issued =
              tokens.create(
                  operator,
                  Bodies.text(body, "name").orElse(null),
                  permissions(body),
                  Bodies.integer(body, "expires_in_seconds").map(Duration::ofSeconds).orElse(null));
          Map<String, Object> view = new LinkedHashMap<>();
          view.put("id", issued.token().id().value());
          view.put("name", issued.token().name());
          view.put("token", issued.secret());
          view.putAll(view(issued.token()));
          ctx.status(201)
              .header(Header.LOCATION, "/api/v1/api-tokens/" + issued.token().id().value())
              .json(view);
        },
        Access.ANY_OPERATOR);
    routes.get(
        "/api/v1/api-tokens",
        ctx -> {
          Operator operator = auth.operator(ctx);
          ctx.json(
              Map.of(
                  "api_tokens", tokens.list(operator).stream().map(ApiTokenRoutes::view).toList()));
        },
        Access.ANY_OPERATOR);
    routes.delete(
        "/api/v1/api-tokens/{id}",
        ctx -> {
          Operator operator = auth.operator(ctx);
          tokens.revoke(operator, ApiTokenId.of(ctx.pathParam("id")));
          ctx.status(204);
        },
        Access.ANY_OPERATOR);
  }

  private static List<String> permissions(ObjectNode body) {
    JsonNode value = body.get("permissions");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw new InvalidInputException("permissions must be an array of strings", "permissions");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new InvalidInputException("permissions must be an array of strings", "permissions");
      }
      names.add(item.asText());
    }
    return names;
  }

  private static Map<String, Object> view(ApiToken token) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", token.id().value());
    view.put("name", token.name());
    view.put(
        "permissions", token.permissions().stream().sorted().map(Permission::wireName).toList());
    view.put("expires_at", token.expiresAt());
    view.put("created_at", token.createdAt());
    view.put("last_used_at", token.lastUsedAt());
    view.put("revoked_at", token.revokedAt());
    return view;
  }
}
