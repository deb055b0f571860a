package dev.courier.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Liveness ({@code /healthz}: the process answers) and readiness ({@code /readyz}: every dependency
 * is usable, e.g. the database reachable and migrated).
 */
public final class HealthRoutes {

  private final List<ReadinessCheck> checks;
  private final ErrorMapping errors;

  public HealthRoutes(List<ReadinessCheck> checks, ErrorMapping errors) {
    this.checks = List.copyOf(checks);
    this.errors = errors;
  }

  public void register(RoutesConfig routes) {
    routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")), Access.PUBLIC);
    routes.get("/readyz", this::ready, Access.PUBLIC);
  }

  private void ready(Context ctx) {
    Map<String, String> results = new LinkedHashMap<>();
    for (ReadinessCheck check : checks) {
      try {
        check.check();
        results.put(check.name(), "ok");
      } catch (Exception e) {
        errors.write(ctx, 503, check.name() + " is not ready: " + e.getMessage(), null);
        return;
      }
    }
    ctx.json(Map.of("status", "ready", "checks", results));
  }
}
