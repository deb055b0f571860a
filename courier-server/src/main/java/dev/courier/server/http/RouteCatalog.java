package dev.courier.server.http;

import io.javalin.security.RouteRole;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The routes the server registered, as {@code METHOD /path}, in OpenAPI's path syntax, with the
 * {@link Access} each declared. Lets a test hold the published OpenAPI document, the permission
 * matrix and the real routes to each other.
 */
public final class RouteCatalog {

  /** Handler kinds that answer requests, so must say who may call them. */
  private static final Set<String> ENDPOINTS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private final List<String> routes = new CopyOnWriteArrayList<>();
  private final Map<String, Access> access = new ConcurrentHashMap<>();

  /** {@code METHOD /path} with Javalin's path parameters in OpenAPI's syntax. */
  static String route(String method, String javalinPath) {
    return method + " " + javalinPath.replace('<', '{').replace('>', '}');
  }

  void add(String method, String javalinPath, Set<RouteRole> roles) {
    String route = route(method, javalinPath);
    if (ENDPOINTS.contains(method)) {
      // Fails start-up, so a route without a declared access can never be served.
      access.put(route, AccessControl.declared(roles));
    }
    routes.add(route);
  }

  public List<String> routes() {
    return List.copyOf(routes);
  }

  /** The access each endpoint declared, keyed like {@link #routes()}. */
  public Map<String, Access> access() {
    return Map.copyOf(access);
  }
}
