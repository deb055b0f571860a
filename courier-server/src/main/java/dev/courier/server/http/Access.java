package dev.courier.server.http;

import dev.courier.server.auth.Permission;
import io.javalin.security.RouteRole;

/**
 * What a route requires, declared where the route is registered and enforced by {@link
 * AccessControl} before the handler runs. A route registered without one refuses to start the
 * server.
 */
public sealed interface Access extends RouteRole {

  /** No credential: login, enrollment, health, the OpenAPI document and its page. */
  Access PUBLIC = new Public();

  /** An agent key; the handler authenticates the agent. */
  Access AGENT = new Agent();

  /**
   * Any operator, whatever their permissions: for acts on the caller's own things (their API
   * tokens).
   */
  Access ANY_OPERATOR = new AnyOperator();

  /** An operator whose credential holds {@code permission}. */
  static Access operator(Permission permission) {
    return new OperatorWith(permission);
  }

  /**
   * Either side on one path (DESIGN §3): an agent key goes to the handler, which authenticates it;
   * an operator needs {@code permission}.
   */
  static Access agentOrOperator(Permission permission) {
    return new AgentOrOperator(permission);
  }

  record Public() implements Access {}

  record Agent() implements Access {}

  record AnyOperator() implements Access {}

  record OperatorWith(Permission permission) implements Access {}

  record AgentOrOperator(Permission permission) implements Access {}
}
