package dev.courier.server.agent;

import dev.courier.protocol.AgentId;
import dev.courier.server.auth.Operator;
import dev.courier.server.common.Ids;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.error.UnauthorizedException;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.tenant.TenantRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Enrollment tokens and the enrollment of agents with them. */
public final class EnrollmentService {

  static final Duration DEFAULT_VALIDITY = Duration.ofDays(1);
  static final Duration MAX_VALIDITY = Duration.ofDays(365);
  static final int MAX_HOSTNAME = 253;

  private final Transactions transactions;
  private final EnrollmentTokenRepository tokens;
  private final AgentRepository agents;
  private final TenantRepository tenants;
  private final TenantId defaultTenant;
  private final String serverPublicKey;
  private final Clock clock;

  public EnrollmentService(
      Transactions transactions,
      EnrollmentTokenRepository tokens,
      AgentRepository agents,
      TenantRepository tenants,
      TenantId defaultTenant,
      String serverPublicKey,
      Clock clock) {
    this.transactions = transactions;
    this.tokens = tokens;
    this.agents = agents;
    this.tenants = tenants;
    this.defaultTenant = defaultTenant;
    this.serverPublicKey = serverPublicKey;
    this.clock = clock;
  }

  public IssuedEnrollmentToken create(Operator operator, NewEnrollmentToken request) {
    TenantId tenant = tenantFor(operator, request.tenantId());
    Duration validity = request.expiresIn() == null ? DEFAULT_VALIDITY : request.expiresIn();
    if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
      throw new InvalidInputException(
          "expires_in_seconds must be between 1 and " + MAX_VALIDITY.toSeconds(),
          "expires_in_seconds");
    }
    if (request.maxUses() != null && (request.maxUses() < 1 || request.maxUses() > 1_000_000)) {
      throw new InvalidInputException("max_uses must be between 1 and 1000000", "max_uses");
    }
    Map<String, String> labels = Labels.check(request.labels(), "labels");
    String secret = Secrets.generate(Secrets.ENROLLMENT_TOKEN_PREFIX);
    Instant now = clock.instant();
    EnrollmentToken token =
        new EnrollmentToken(
            EnrollmentTokenId.of(Ids.newId()),
            tenant,
            Secrets.hash(secret),
            labels,
            request.maxUses(),
            0,
            operator.userId(),
            now,
            now.plus(validity),
            null);
    tokens.create(token);
    return new IssuedEnrollmentToken(token, secret);
  }

  /**
   * @param tenant the tenant to list; null means the operator's own (the default tenant for a
   *     system admin)
   */
  public List<EnrollmentToken> list(Operator operator, TenantId tenant) {
    return tokens.list(tenantFor(operator, tenant));
  }

  /** A system admin revokes a token of any tenant; other operators only their own tenant's. */
  public void revoke(Operator operator, EnrollmentTokenId id) {
    TenantId tenant =
        operator.tenantScope().isPresent()
            ? operator.tenantScope().get()
            : tokens.find(id).map(EnrollmentToken::tenantId).orElse(defaultTenant);
    if (!tokens.revoke(tenant, id, clock.instant())) {
      throw new NotFoundException("no active enrollment token " + id.value(), "id");
    }
  }

  /**
   * Enrolls an agent: takes one use of the token and creates the agent with a fresh key, in one
   * transaction, so a failed enrollment does not burn a use.
   */
  public EnrolledAgent enroll(Enrollment request) {
    if (request.enrollmentToken() == null || request.enrollmentToken().isBlank()) {
      throw new InvalidInputException("enrollment_token is required", "enrollment_token");
    }
    if (request.hostname() == null
        || request.hostname().isBlank()
        || request.hostname().length() > MAX_HOSTNAME) {
      throw new InvalidInputException("hostname is required (at most 253 characters)", "hostname");
    }
    Map<String, String> ownLabels = Labels.check(request.labels(), "labels");
    Instant now = clock.instant();
    String agentKey = Secrets.generate(Secrets.AGENT_KEY_PREFIX);
    Agent agent =
        transactions.inTransaction(
            () -> {
              EnrollmentToken token =
                  tokens
                      .consume(Secrets.hash(request.enrollmentToken()), now)
                      .orElseThrow(
                          () ->
                              new UnauthorizedException(
                                  "the enrollment token is unknown, expired, revoked or used up"));
              Map<String, String> labels = new HashMap<>(token.defaultLabels());
              labels.putAll(ownLabels);
              Agent enrolled =
                  Agent.enrolled(
                      AgentId.of(Ids.newId()),
                      token.tenantId(),
                      request.hostname().trim(),
                      request.os(),
                      request.arch(),
                      request.version(),
                      labels,
                      Secrets.hash(agentKey),
                      token.id(),
                      now);
              agents.create(enrolled);
              return enrolled;
            });
    return new EnrolledAgent(agent, agentKey, serverPublicKey);
  }

  private TenantId tenantFor(Operator operator, TenantId requested) {
    if (operator.tenantScope().isEmpty()) {
      if (requested == null) {
        return defaultTenant;
      }
      tenants
          .find(requested)
          .orElseThrow(() -> new NotFoundException("no tenant " + requested.value(), "tenant_id"));
      return requested;
    }
    TenantId own = operator.tenantScope().get();
    if (requested != null && !requested.equals(own)) {
      throw new ForbiddenException("you may only manage your own tenant's tokens", "tenant_id");
    }
    return own;
  }
}
