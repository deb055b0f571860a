package dev.courier.server.http;

import dev.courier.server.audit.AuditChain;
import dev.courier.server.audit.AuditFinding;
import dev.courier.server.audit.AuditOutcome;
import dev.courier.server.audit.AuditQuery;
import dev.courier.server.audit.AuditRecord;
import dev.courier.server.audit.AuditTrail;
import dev.courier.server.audit.AuditVerification;
import dev.courier.server.audit.ChainVerification;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.common.Page;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.tenant.TenantId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/audit}: the audit trail, filtered and newest first, and {@code
 * /api/v1/audit/verify}, which checks the hash chains and names any edited or removed record.
 */
public final class AuditRoutes implements RouteModule {

  private final RequestAuth auth;
  private final AuditTrail trail;

  public AuditRoutes(RequestAuth auth, AuditTrail trail) {
    this.auth = auth;
    this.trail = trail;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/v1/audit", this::list, Access.operator(Permission.AUDIT_READ));
    routes.get("/api/v1/audit/verify", this::verify, Access.operator(Permission.AUDIT_READ));
  }

  private void list(Context ctx) {
    Operator operator = auth.operator(ctx);
    String tenant = QueryParams.text(ctx, "tenant_id");
    String outcome = QueryParams.text(ctx, "outcome");
    AuditQuery query =
        new AuditQuery(
            tenant == null ? null : TenantId.of(tenant),
            QueryParams.text(ctx, "actor"),
            QueryParams.text(ctx, "action"),
            outcome == null ? null : outcome(outcome),
            QueryParams.text(ctx, "target"),
            QueryParams.text(ctx, "request_id"),
            QueryParams.instant(ctx, "from").orElse(null),
            QueryParams.instant(ctx, "to").orElse(null));
    Page<AuditRecord> page = trail.list(operator, query, QueryParams.page(ctx));
    ctx.json(
        Map.of(
            "records",
            page.items().stream().map(AuditRoutes::view).toList(),
            "next_cursor",
            page.nextCursor().orElse("")));
  }

  private void verify(Context ctx) {
    AuditVerification verification = trail.verify(auth.operator(ctx));
    ctx.json(
        Map.of(
            "intact",
            verification.intact(),
            "chains",
            verification.chains().stream().map(AuditRoutes::view).toList()));
  }

  private static AuditOutcome outcome(String raw) {
    try {
      return AuditOutcome.fromWire(raw);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "outcome must be one of succeeded, denied, failed", "outcome");
    }
  }

  private static Map<String, Object> view(AuditRecord record) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("seq", record.seq());
    view.put("occurred_at", record.entry().occurredAt());
    view.put(
        "tenant_id", record.entry().tenantId() == null ? null : record.entry().tenantId().value());
    view.put("actor", record.entry().actor());
    view.put("action", record.entry().action());
    view.put("target", record.entry().target());
    view.put("outcome", record.entry().outcome().wireName());
    view.put("source_address", record.entry().sourceAddress());
    view.put("request_id", record.entry().requestId());
    view.put("details", record.entry().details());
    view.put("prev_hash", record.prevHash());
    view.put("hash", record.hash());
    return view;
  }

  private static Map<String, Object> view(ChainVerification chain) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("tenant_id", AuditChain.NO_TENANT_CHAIN.equals(chain.chain()) ? null : chain.chain());
    view.put("records", chain.records());
    view.put("intact", chain.intact());
    view.put("findings", chain.findings().stream().map(AuditRoutes::view).toList());
    return view;
  }

  private static Map<String, Object> view(AuditFinding finding) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("kind", finding.kind().name().toLowerCase(Locale.ROOT));
    view.put("seq", finding.seq());
    view.put("message", finding.message());
    return view;
  }
}
