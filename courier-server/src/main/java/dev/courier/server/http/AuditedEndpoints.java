package dev.courier.server.http;

import dev.courier.server.agent.Agent;
import dev.courier.server.audit.AuditChain;
import dev.courier.server.audit.AuditEntry;
import dev.courier.server.audit.AuditOutcome;
import dev.courier.server.audit.AuditTrail;
import dev.courier.server.auth.Operator;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.CourierException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.RateLimitedException;
import dev.courier.server.error.UnauthorizedException;
import dev.courier.server.http.AuditActions.AuditAction;
import dev.courier.server.tenant.TenantConfinement;
import dev.courier.server.tenant.TenantId;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.Endpoint;
import io.javalin.router.HandlerWrapper;
import io.javalin.security.Roles;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Around every endpoint: the access check, the tenant confinement of the database, and the audit
 * record. A state-changing request runs in one transaction that also appends its record, so the
 * change and its trace commit together or not at all; a request that fails or is denied (on any
 * route) is recorded afterwards in a transaction of its own. Reads that succeed leave no record.
 */
public final class AuditedEndpoints implements HandlerWrapper {

  private static final Logger log = LoggerFactory.getLogger(AuditedEndpoints.class);
  private static final String ACTOR = "courier.audit.actor";
  private static final String TENANT = "courier.audit.tenant";
  private static final String TARGET = "courier.audit.target";
  private static final Set<String> ENDPOINTS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final AccessControl access;
  private final RequestAuth auth;
  private final Transactions transactions;
  private final TenantConfinement confinement;
  private final AuditTrail trail;
  private final Clock clock;

  public AuditedEndpoints(
      AccessControl access,
      RequestAuth auth,
      Transactions transactions,
      TenantConfinement confinement,
      AuditTrail trail,
      Clock clock) {
    this.access = access;
    this.auth = auth;
    this.transactions = transactions;
    this.confinement = confinement;
    this.trail = trail;
    this.clock = clock;
  }

  /**
   * Names who a request without a bearer credential turned out to be (login, enrollment), for its
   * record; called by the handler as soon as it knows.
   *
   * @param tenant the tenant whose chain gets the record; null for none
   */
  public static void identify(Context ctx, String actor, TenantId tenant) {
    ctx.attribute(ACTOR, actor);
    ctx.attribute(TENANT, tenant);
  }

  /** Names the resource a request acted on when no path parameter or Location header does. */
  public static void target(Context ctx, String target) {
    ctx.attribute(TARGET, target);
  }

  @Override
  public Handler wrap(Endpoint endpoint) {
    String method = endpoint.method.name();
    if (!ENDPOINTS.contains(method)) {
      return endpoint.handler;
    }
    String route = RouteCatalog.route(method, endpoint.path);
    Optional<AuditAction> action = AuditActions.of(route);
    if (WRITES.contains(method) && action.isEmpty() && !agentOnly(endpoint)) {
      // Fails start-up, so a state-changing route can never go unaudited.
      throw new IllegalStateException(
          "the state-changing route " + route + " has no entry in AuditActions");
    }
    Handler handler = endpoint.handler;
    Recording recording =
        new Recording(
            action.map(AuditAction::name).orElse(route),
            action.isPresent(),
            action.map(AuditAction::changesState).orElse(false),
            action.map(AuditAction::onlyInserts).orElse(false));
    return ctx -> handle(ctx, recording, handler);
  }

  /** How a route's requests are recorded and committed. */
  private record Recording(String action, boolean audited, boolean changes, boolean onlyInserts) {}

  private void handle(Context ctx, Recording recording, Handler handler) throws Exception {
    String action = recording.action();
    if (WRITES.contains(ctx.method().name())) {
      // Read (and cache) the body whether or not the handler wants it: Jetty drops a keep-alive
      // connection whose request body is still unread when the response completes, and the
      // client's next request on it then fails (seen with bodiless acknowledges).
      ctx.bodyAsBytes();
    }
    try {
      access.check(ctx);
    } catch (CourierException denied) {
      recordFailure(ctx, action, denied);
      throw denied;
    }
    Optional<TenantId> confinedTo = confinementOf(ctx);
    Supplier<Void> request = () -> run(ctx, recording, handler);
    try {
      if (confinedTo.isPresent()) {
        confinement.confinedTo(confinedTo.get(), request);
      } else {
        request.get();
      }
    } catch (HandlerFailure failure) {
      throw failure.exception;
    }
  }

  private Void run(Context ctx, Recording recording, Handler handler) {
    String action = recording.action();
    boolean audited = recording.audited();
    boolean recorded = false;
    try {
      if (audited && recording.changes()) {
        Supplier<Void> change =
            () -> {
              call(handler, ctx);
              trail.append(entry(ctx, action, outcomeOf(ctx.statusCode()), Map.of()));
              return null;
            };
        if (recording.onlyInserts()) {
          // Requests on one audit chain queue for its head row anyway: they may as well share
          // their commit.
          transactions.inSharedTransaction(chainOf(ctx), change);
        } else {
          transactions.inTransaction(change);
        }
        recorded = true;
      } else {
        call(handler, ctx);
        if (audited) {
          recorded = true;
          trail.append(entry(ctx, action, outcomeOf(ctx.statusCode()), Map.of()));
        }
      }
      return null;
    } catch (HandlerFailure failure) {
      // A failure after the record committed (a waiter, say) was the request's, not the change's.
      if (!recorded && (audited || isDenial(failure.exception))) {
        recordFailure(ctx, action, failure.exception);
      }
      throw failure;
    } catch (RuntimeException failure) {
      if (!recorded && (audited || isDenial(failure))) {
        recordFailure(ctx, action, failure);
      }
      throw failure;
    }
  }

  private static void call(Handler handler, Context ctx) {
    try {
      handler.handle(ctx);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new HandlerFailure(e);
    }
  }

  private void recordFailure(Context ctx, String action, Exception failure) {
    int status = failure instanceof CourierException known ? ErrorMapping.statusOf(known) : 500;
    Map<String, String> details = new LinkedHashMap<>();
    if (failure instanceof CourierException known) {
      details.put("reason", known.getMessage());
      known.field().ifPresent(field -> details.put("field", field));
    }
    AuditOutcome outcome = isDenial(failure) ? AuditOutcome.DENIED : outcomeOf(status);
    Map<String, String> withStatus = new LinkedHashMap<>(details);
    withStatus.put("status", Integer.toString(status));
    // Outside the request's transaction, which rolled back. A refusal still goes out if its record
    // cannot be written (the change it refused did not happen); the loss is logged loudly.
    try {
      trail.append(entry(ctx, action, outcome, withStatus));
    } catch (RuntimeException unrecorded) {
      log.error(
          "could not record the {} request {} ({}) in the audit trail",
          outcome.wireName(),
          RequestIds.of(ctx),
          action,
          unrecorded);
      failure.addSuppressed(unrecorded);
    }
  }

  private AuditEntry entry(
      Context ctx, String action, AuditOutcome outcome, Map<String, String> extra) {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("method", ctx.method().name());
    details.put("path", ctx.path());
    details.putIfAbsent("status", Integer.toString(ctx.statusCode()));
    String actor = "anonymous";
    Optional<Operator> operator = auth.authenticatedOperator(ctx);
    Optional<Agent> agent = auth.authenticatedAgent(ctx);
    if (operator.isPresent()) {
      actor = "user:" + operator.get().username();
      details.put("user_id", operator.get().userId().value());
      details.put("role", operator.get().role().wireName());
      if (operator.get().viaApiToken()) {
        details.put("api_token", operator.get().apiTokenId().value());
      }
    } else if (agent.isPresent()) {
      actor = "agent:" + agent.get().id().value();
    } else if (ctx.attribute(ACTOR) != null) {
      actor = ctx.attribute(ACTOR);
    }
    details.putAll(extra);
    return new AuditEntry(
        clock.instant(),
        tenantOf(ctx),
        actor,
        action,
        targetOf(ctx),
        outcome,
        ctx.ip(),
        RequestIds.of(ctx),
        details);
  }

  /** The resource: what the handler named, the one it created, or the one the path names. */
  private static String targetOf(Context ctx) {
    String named = ctx.attribute(TARGET);
    if (named != null) {
      return named;
    }
    String location = ctx.res().getHeader("Location");
    if (location != null && ctx.statusCode() < 300) {
      return location;
    }
    String id = ctx.pathParamMap().get("id");
    if (id == null) {
      return null;
    }
    String path = ctx.path();
    int end = path.indexOf("/" + id);
    return end < 0 ? path : path.substring(0, end + id.length() + 1);
  }

  /**
   * The tenant whose chain gets a request's record: its operator's, its agent's, or the one the
   * handler named; null for none.
   */
  private TenantId tenantOf(Context ctx) {
    Optional<Operator> operator = auth.authenticatedOperator(ctx);
    if (operator.isPresent()) {
      return operator.get().tenantId();
    }
    Optional<Agent> agent = auth.authenticatedAgent(ctx);
    if (agent.isPresent()) {
      return agent.get().tenantId();
    }
    return ctx.attribute(ACTOR) != null ? ctx.attribute(TENANT) : null;
  }

  /** The audit chain a request's record goes to. */
  private String chainOf(Context ctx) {
    TenantId tenant = tenantOf(ctx);
    return tenant == null ? AuditChain.NO_TENANT_CHAIN : tenant.value();
  }

  private Optional<TenantId> confinementOf(Context ctx) {
    return auth.authenticatedOperator(ctx).flatMap(Operator::tenantScope);
  }

  private static boolean agentOnly(Endpoint endpoint) {
    Roles roles = endpoint.metadata(Roles.class);
    return roles != null && roles.getRoles().contains(Access.AGENT);
  }

  private static boolean isDenial(Exception failure) {
    return failure instanceof UnauthorizedException
        || failure instanceof ForbiddenException
        || failure instanceof RateLimitedException;
  }

  private static AuditOutcome outcomeOf(int status) {
    if (status == 401 || status == 403 || status == 429) {
      return AuditOutcome.DENIED;
    }
    return status < 400 ? AuditOutcome.SUCCEEDED : AuditOutcome.FAILED;
  }

  /** Carries a handler's checked exception through the transaction's {@link Supplier}. */
  private static final class HandlerFailure extends RuntimeException {
    private final Exception exception;

    HandlerFailure(Exception exception) {
      super(exception);
      this.exception = exception;
    }
  }
}
