package dev.courier.server.http;

import dev.courier.server.agent.Agent;
import dev.courier.server.agent.AgentService;
import dev.courier.server.agent.Secrets;
import dev.courier.server.auth.ApiTokenService;
import dev.courier.server.auth.LoginService;
import dev.courier.server.auth.Operator;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.UnauthorizedException;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Who is calling: an operator (access token or API token {@code cat_…}) or an agent (agent key).
 * The same path can serve both (DESIGN §3: {@code /api/v1/commands}), so the credential decides;
 * agent keys are recognisable by their prefix.
 */
public final class RequestAuth {

  /** Courier's agent-id header, and seed 004's name for it. */
  static final String[] AGENT_ID_HEADERS = {"X-Courier-Agent-Id", "X-Rediver-Source-ID"};

  private static final String OPERATOR = "courier.operator";
  private static final String AGENT = "courier.agent";

  private final LoginService logins;
  private final ApiTokenService apiTokens;
  private final AgentService agents;

  public RequestAuth(LoginService logins, ApiTokenService apiTokens, AgentService agents) {
    this.logins = logins;
    this.apiTokens = apiTokens;
    this.agents = agents;
  }

  public static Optional<String> bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  public boolean isAgent(Context ctx) {
    return bearer(ctx).map(token -> token.startsWith(Secrets.AGENT_KEY_PREFIX)).orElse(false);
  }

  /**
   * The operator the request's access token or API token proves. {@link AccessControl} has already
   * checked the route's permission with it; handlers call this for the identity and its tenant
   * scope.
   */
  public Operator operator(Context ctx) {
    Operator known = ctx.attribute(OPERATOR);
    if (known != null) {
      return known;
    }
    String token =
        bearer(ctx)
            .orElseThrow(
                () ->
                    new UnauthorizedException(
                        "log in first: Authorization: Bearer <access token>"));
    return operator(ctx, token);
  }

  /**
   * The operator {@code token} proves, for requests that carry it elsewhere than the header (a
   * browser's WebSocket cannot set one: {@code ?access_token=}).
   */
  public Operator operator(Context ctx, String token) {
    if (token.startsWith(Secrets.AGENT_KEY_PREFIX)) {
      throw new ForbiddenException("agent keys cannot use the operator API");
    }
    Operator operator =
        token.startsWith(Secrets.API_TOKEN_PREFIX)
            ? apiTokens.authenticate(token)
            : logins.authenticate(token);
    ctx.attribute(OPERATOR, operator);
    return operator;
  }

  /** The agent whose key the request carries; the request also counts as a sign of life. */
  public Agent agent(Context ctx) {
    Agent known = ctx.attribute(AGENT);
    if (known != null) {
      return known;
    }
    Agent agent = agents.authenticate(bearer(ctx).orElse(null), claimedAgentId(ctx));
    agents.seen(agent);
    ctx.attribute(AGENT, agent);
    return agent;
  }

  /** The operator this request already proved to be, without authenticating anew. */
  Optional<Operator> authenticatedOperator(Context ctx) {
    return Optional.ofNullable(ctx.attribute(OPERATOR));
  }

  /** The agent this request already proved to be, without authenticating anew. */
  Optional<Agent> authenticatedAgent(Context ctx) {
    return Optional.ofNullable(ctx.attribute(AGENT));
  }

  private static String claimedAgentId(Context ctx) {
    for (String header : AGENT_ID_HEADERS) {
      String value = ctx.header(header);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }
}
