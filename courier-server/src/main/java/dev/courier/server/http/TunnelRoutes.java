package dev.courier.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.tunnel.TranscriptEntry;
import dev.courier.server.tunnel.TunnelPolicy;
import dev.courier.server.tunnel.TunnelService;
import dev.courier.server.tunnel.TunnelSession;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/tunnel}: seed 002's tunnel sessions (open, close, status), seed 001's phase-2
 * command line, the transcript for auditors and the tenant's command-line policy. The interactive
 * stream is {@code ws.TunnelStreamSocket}.
 */
public final class TunnelRoutes implements RouteModule {

  static final int MAX_LIST = 200;
  static final int MAX_TRANSCRIPT = 1000;

  private final RequestAuth auth;
  private final Bodies bodies;
  private final TunnelService tunnels;
  private final ErrorMapping errors;

  public TunnelRoutes(RequestAuth auth, Bodies bodies, TunnelService tunnels, ErrorMapping errors) {
    this.auth = auth;
    this.bodies = bodies;
    this.tunnels = tunnels;
    this.errors = errors;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/tunnel/open", this::open, Access.operator(Permission.TERMINAL_OPEN));
    routes.post("/api/v1/tunnel/close", this::close, Access.operator(Permission.TERMINAL_OPEN));
    routes.get("/api/v1/tunnel/status", this::status, Access.operator(Permission.TERMINAL_OPEN));
    routes.post(
        "/api/v1/tunnel/{session_id}/command",
        this::command,
        Access.operator(Permission.TERMINAL_OPEN));
    routes.get("/api/v1/tunnel/sessions", this::sessions, Access.operator(Permission.AUDIT_READ));
    routes.get(
        "/api/v1/tunnel/{session_id}/transcript",
        this::transcript,
        Access.operator(Permission.AUDIT_READ));
    routes.get("/api/v1/tunnel/policy", this::policy, Access.operator(Permission.AGENTS_READ));
    routes.put("/api/v1/tunnel/policy", this::setPolicy, Access.operator(Permission.AGENTS_WRITE));
  }

  private void open(Context ctx) {
    Operator operator = auth.operator(ctx);
    ObjectNode body = bodies.object(ctx);
    TunnelSession session = tunnels.open(operator, textField(body, "agent_id"));
    AuditedEndpoints.target(ctx, "/api/v1/tunnel/" + session.id());
    ctx.json(view(session));
  }

  private void close(Context ctx) {
    Operator operator = auth.operator(ctx);
    ObjectNode body = bodies.object(ctx);
    String id = textField(body, "session_id");
    AuditedEndpoints.target(ctx, "/api/v1/tunnel/" + id);
    ctx.json(view(tunnels.close(operator, id)));
  }

  /** The caller's sessions (open ones; {@code ?include_closed=true} adds recent closed ones). */
  private void status(Context ctx) {
    Operator operator = auth.operator(ctx);
    String one = QueryParams.text(ctx, "session_id");
    if (one != null) {
      ctx.json(view(tunnels.owned(operator, one, false)));
      return;
    }
    boolean openOnly = !"true".equals(QueryParams.text(ctx, "include_closed"));
    ctx.json(
        Map.of(
            "sessions",
            tunnels.mine(operator, openOnly, MAX_LIST).stream().map(TunnelRoutes::view).toList()));
  }

  /** Every session of the caller's tenant (all tenants for a system admin), for auditors. */
  private void sessions(Context ctx) {
    Operator operator = auth.operator(ctx);
    boolean openOnly = "true".equals(QueryParams.text(ctx, "open"));
    ctx.json(
        Map.of(
            "sessions",
            tunnels.all(operator, openOnly, MAX_LIST).stream().map(TunnelRoutes::view).toList()));
  }

  private void command(Context ctx) {
    Operator operator = auth.operator(ctx);
    String id = ctx.pathParam("session_id");
    AuditedEndpoints.target(ctx, "/api/v1/tunnel/" + id);
    ObjectNode body = bodies.object(ctx);
    JsonNode command = body.get("command");
    if (command == null || !command.isTextual()) {
      throw new InvalidInputException("a command line (text) is required", "command");
    }
    TunnelService.CommandOutcome outcome =
        tunnels.command(operator, id, command.asText(), ctx.ip(), RequestIds.of(ctx));
    if (outcome.timedOut()) {
      errors.write(
          ctx,
          504,
          "the agent did not answer within "
              + tunnels.settings().commandTimeout().toSeconds()
              + " s; the session stays open",
          "command");
      return;
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("session_id", outcome.session().id());
    view.put("command", outcome.command());
    view.put("stdout", outcome.stdout());
    view.put("stderr", outcome.stderr());
    view.put("exit_code", outcome.exitCode());
    view.put("truncated", outcome.truncated());
    view.put("duration_ms", outcome.durationMillis());
    ctx.json(view);
  }

  private void transcript(Context ctx) {
    Operator operator = auth.operator(ctx);
    String id = ctx.pathParam("session_id");
    long after =
        Optional.ofNullable(QueryParams.text(ctx, "after_seq"))
            .map(v -> number(v, "after_seq"))
            .orElse(0L);
    int limit =
        (int)
            Math.min(
                MAX_TRANSCRIPT,
                Optional.ofNullable(QueryParams.text(ctx, "limit"))
                    .map(v -> number(v, "limit"))
                    .orElse((long) MAX_TRANSCRIPT));
    TunnelSession session = tunnels.visible(operator, id);
    List<TranscriptEntry> entries = tunnels.transcript(operator, id, after, Math.max(1, limit));
    List<Map<String, Object>> items = new ArrayList<>();
    for (TranscriptEntry entry : entries) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("seq", entry.seq());
      item.put("at", entry.at().toString());
      item.put("channel", entry.channel());
      item.put("kind", entry.kind());
      item.put("data", entry.data());
      items.add(item);
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("session", view(session));
    view.put("entries", items);
    view.put("truncated", session.transcriptTruncated());
    view.put(
        "next_after_seq",
        entries.size() < Math.max(1, limit) || entries.isEmpty()
            ? null
            : entries.get(entries.size() - 1).seq());
    ctx.json(view);
  }

  private void policy(Context ctx) {
    Operator operator = auth.operator(ctx);
    TenantId tenant = tenantOf(operator, QueryParams.text(ctx, "tenant_id"));
    ctx.json(policyView(tenant, tunnels.policy(tenant)));
  }

  private void setPolicy(Context ctx) {
    Operator operator = auth.operator(ctx);
    ObjectNode body = bodies.object(ctx);
    TenantId tenant = tenantOf(operator, Bodies.text(body, "tenant_id").orElse(null));
    TunnelPolicy policy = TunnelPolicy.of(patterns(body, "allow"), patterns(body, "deny"));
    tunnels.setPolicy(tenant, policy, operator);
    AuditedEndpoints.target(ctx, "/api/v1/tunnel/policy?tenant_id=" + tenant.value());
    ctx.json(policyView(tenant, policy));
  }

  private static Map<String, Object> policyView(TenantId tenant, TunnelPolicy policy) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("tenant_id", tenant.value());
    view.put("allow", policy.allow());
    view.put("deny", policy.deny());
    return view;
  }

  private static List<String> patterns(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidInputException("a list of regular expressions", field);
    }
    List<String> patterns = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual()) {
        throw new InvalidInputException("a regular expression (text)", field + "[" + i + "]");
      }
      patterns.add(node.get(i).asText());
    }
    return patterns;
  }

  private static TenantId tenantOf(Operator operator, String requested) {
    if (operator.tenantScope().isPresent()) {
      TenantId own = operator.tenantScope().get();
      if (requested != null && !requested.equals(own.value())) {
        throw new ForbiddenException("you may only act in your own tenant", "tenant_id");
      }
      return own;
    }
    if (requested == null || requested.isBlank()) {
      throw new InvalidInputException("a system admin names the tenant", "tenant_id");
    }
    return TenantId.of(requested);
  }

  private static String textField(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidInputException(field + " is required", field);
    }
    if (!node.isTextual()) {
      throw new InvalidInputException(field + " must be a UUID string", field);
    }
    return node.asText();
  }

  private static long number(String value, String field) {
    try {
      long number = Long.parseLong(value.trim());
      if (number < 0) {
        throw new InvalidInputException("must not be negative", field);
      }
      return number;
    } catch (NumberFormatException e) {
      throw new InvalidInputException("must be a whole number", field);
    }
  }

  static Map<String, Object> view(TunnelSession s) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("session_id", s.id());
    view.put("agent_id", s.agentId().value());
    view.put("user_id", s.userId().value());
    view.put("tenant_id", s.tenantId().value());
    view.put("status", s.status().wireName());
    view.put("opened_at", s.openedAt().toString());
    view.put("last_activity_at", s.lastActivityAt().toString());
    view.put("expires_at", s.expiresAt() == null ? null : s.expiresAt().toString());
    view.put("closed_at", s.closedAt() == null ? null : s.closedAt().toString());
    view.put("close_reason", s.closeReason());
    view.put("closed_by", s.closedBy());
    view.put("bytes_in", s.bytesIn());
    view.put("bytes_out", s.bytesOut());
    view.put("commands", s.commands());
    view.put("transcript_truncated", s.transcriptTruncated());
    return view;
  }
}
