package dev.courier.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.auth.UserService;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.user.User;
import dev.courier.server.user.UserId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Header;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/users}: operator accounts within the caller's tenant scope. Password hashes never
 * leave the server; a generated password is returned once, in the creation response.
 */
public final class UserRoutes implements RouteModule {

  static final int DEFAULT_LIST = 100;

  private final RequestAuth auth;
  private final Bodies bodies;
  private final UserService users;

  public UserRoutes(RequestAuth auth, Bodies bodies, UserService users) {
    this.auth = auth;
    this.bodies = bodies;
    this.users = users;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post(
        "/api/v1/users",
        ctx -> {
          Operator operator = auth.operator(ctx);
          ObjectNode body = bodies.object(ctx);
          UserService.CreatedUser created =
              users.create(
                  operator,
                  Bodies.text(body, "username").orElse(null),
                  Bodies.text(body, "role").orElse(null),
                  Bodies.text(body, "password").orElse(null),
                  Bodies.text(body, "tenant_id").orElse(null));
          Map<String, Object> view = view(created.user());
          created.generatedPassword().ifPresent(password -> view.put("password", password));
          ctx.status(201)
              .header(Header.LOCATION, "/api/v1/users/" + created.user().id().value())
              .json(view);
        },
        Access.operator(Permission.USERS_WRITE));
    routes.get(
        "/api/v1/users",
        ctx -> {
          Operator operator = auth.operator(ctx);
          int limit = QueryParams.integer(ctx, "limit").orElse(DEFAULT_LIST);
          ctx.json(
              Map.of(
                  "users",
                  users.list(operator, ctx.queryParam("tenant_id"), limit).stream()
                      .map(UserRoutes::view)
                      .toList()));
        },
        Access.operator(Permission.USERS_READ));
    routes.get(
        "/api/v1/users/{id}",
        ctx -> ctx.json(view(users.get(auth.operator(ctx), UserId.of(ctx.pathParam("id"))))),
        Access.operator(Permission.USERS_READ));
    routes.patch(
        "/api/v1/users/{id}",
        ctx -> {
          Operator operator = auth.operator(ctx);
          ObjectNode body = bodies.object(ctx);
          User changed =
              users.update(
                  operator,
                  UserId.of(ctx.pathParam("id")),
                  Bodies.text(body, "role").orElse(null),
                  bool(body, "disabled"),
                  Bodies.text(body, "password").orElse(null));
          ctx.json(view(changed));
        },
        Access.operator(Permission.USERS_WRITE));
    routes.delete(
        "/api/v1/users/{id}",
        ctx -> {
          users.disable(auth.operator(ctx), UserId.of(ctx.pathParam("id")));
          ctx.status(204);
        },
        Access.operator(Permission.USERS_WRITE));
  }

  private static Boolean bool(ObjectNode body, String name) {
    return Bodies.field(body, name)
        .map(
            value -> {
              if (!value.isBoolean()) {
                throw new InvalidInputException(name + " must be true or false", name);
              }
              return value.booleanValue();
            })
        .orElse(null);
  }

  private static Map<String, Object> view(User user) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", user.id().value());
    view.put("username", user.username());
    view.put("role", user.role().wireName());
    view.put("tenant_id", user.tenantId() == null ? null : user.tenantId().value());
    view.put("disabled", user.disabled());
    view.put("created_at", user.createdAt());
    return view;
  }
}
