package dev.courier.server.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The routes the server registered, as {@code METHOD /path}, in OpenAPI's path syntax. Lets a test
 * hold the published OpenAPI document and the real routes to each other.
 */
public final class RouteCatalog {

  private final List<String> routes = new CopyOnWriteArrayList<>();

  void add(String method, String javalinPath) {
    routes.add(method + " " + javalinPath.replace('<', '{').replace('>', '}'));
  }

  public List<String> routes() {
    return List.copyOf(routes);
  }
}
