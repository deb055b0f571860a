package dev.courier.server.http;

import io.javalin.config.RoutesConfig;

/** A group of routes belonging to one concept (health, commands, agents, ...). */
@FunctionalInterface
public interface RouteModule {
  void register(RoutesConfig routes);
}
