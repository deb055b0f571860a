package dev.courier.server.http;

import dev.courier.server.auth.Permission;
import dev.courier.server.command.CommandType;
import dev.courier.server.command.CommandTypeCatalog;
import dev.courier.server.error.NotFoundException;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v1/command-types}: the command types the server accepts, with the JSON Schema of
 * their parameters. The console builds its command forms from these schemas.
 */
public final class CommandTypeRoutes implements RouteModule {

  private final RequestAuth auth;
  private final CommandTypeCatalog types;

  public CommandTypeRoutes(RequestAuth auth, CommandTypeCatalog types) {
    this.auth = auth;
    this.types = types;
  }

  @Override
  public void register(RoutesConfig routes) {
    Access read = Access.operator(Permission.COMMANDS_READ);
    routes.get(
        "/api/v1/command-types",
        ctx -> {
          auth.operator(ctx);
          ctx.json(
              Map.of("command_types", types.all().stream().map(CommandTypeRoutes::view).toList()));
        },
        read);
    routes.get(
        "/api/v1/command-types/{name}",
        ctx -> {
          auth.operator(ctx);
          String name = ctx.pathParam("name");
          ctx.json(
              view(
                  types
                      .find(name)
                      .orElseThrow(
                          () -> new NotFoundException("no command type " + name, "name"))));
        },
        read);
  }

  static Map<String, Object> view(CommandType type) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", type.name());
    view.put("version", type.version());
    view.put("description", type.description());
    view.put("params_schema", type.paramsSchema());
    view.put("default_timeout_seconds", type.defaultTimeout().toSeconds());
    view.put("default_expiry_seconds", type.defaultExpiry().toSeconds());
    view.put("retry_safe", type.retrySafe());
    return view;
  }
}
