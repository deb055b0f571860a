package dev.courier.server.it;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.protocol.AgentId;
import dev.courier.server.auth.Permission;
import dev.courier.server.auth.RolePermissions;
import dev.courier.server.common.Ids;
import dev.courier.server.http.Access;
import dev.courier.server.store.JdbcRepositories;
import dev.courier.server.store.JdbcTunnelRepository;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import dev.courier.server.tunnel.TunnelRepository;
import dev.courier.server.tunnel.TunnelSession;
import dev.courier.server.tunnel.TunnelStatus;
import dev.courier.server.user.Role;
import dev.courier.server.user.User;
import dev.courier.server.user.UserId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every route the server registers × every role × a resource of the caller's own tenant and of
 * another tenant. A route the server registers without an entry here fails the test, so a new
 * endpoint cannot ship without deciding who may call it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionMatrixTest {

  /** Who may call each route, as this test expects it; keyed like the server's route catalog. */
  private static final Map<String, Access> EXPECTED =
      Map.ofEntries(
          entry("GET /healthz", Access.PUBLIC),
          entry("GET /readyz", Access.PUBLIC),
          entry("GET /openapi.json", Access.PUBLIC),
          entry("GET /docs", Access.PUBLIC),
          entry("GET /", Access.PUBLIC),
          entry("GET /console/{file}", Access.PUBLIC),
          entry("GET /api/v1/events", Access.operator(Permission.COMMANDS_READ)),
          entry("GET /api/v1/command-types", Access.operator(Permission.COMMANDS_READ)),
          entry("GET /api/v1/command-types/{name}", Access.operator(Permission.COMMANDS_READ)),
          entry("GET /api/v1/agents/summary", Access.operator(Permission.AGENTS_READ)),
          entry("GET /api/v1/schedules/preview", Access.operator(Permission.SCHEDULES_READ)),
          entry("POST /api/v1/auth/login", Access.PUBLIC),
          entry("POST /api/v1/agents/enroll", Access.PUBLIC),
          entry("POST /api/v1/agents/heartbeat", Access.AGENT),
          entry("POST /api/v1/agents/local-runs", Access.AGENT),
          entry("WEBSOCKET_BEFORE_UPGRADE /api/v1/agents/ws", Access.AGENT),
          entry("POST /api/v1/commands/{id}/acknowledge", Access.AGENT),
          entry("POST /api/v1/commands/{id}/status", Access.AGENT),
          entry("POST /api/v1/commands/{id}/result", Access.AGENT),
          entry("POST /api/v1/commands", Access.operator(Permission.COMMANDS_WRITE)),
          entry("GET /api/v1/commands", Access.agentOrOperator(Permission.COMMANDS_READ)),
          entry("GET /api/v1/commands/{id}", Access.operator(Permission.COMMANDS_READ)),
          entry("GET /api/v1/commands/{id}/output", Access.operator(Permission.COMMANDS_READ)),
          entry("DELETE /api/v1/commands/{id}", Access.operator(Permission.COMMANDS_WRITE)),
          entry("GET /api/v1/agents", Access.operator(Permission.AGENTS_READ)),
          entry("GET /api/v1/agents/{id}", Access.operator(Permission.AGENTS_READ)),
          entry("GET /api/v1/agents/{id}/commands", Access.operator(Permission.COMMANDS_READ)),
          entry(
              "POST /api/v1/agents/{id}/rotate-key",
              Access.agentOrOperator(Permission.AGENTS_WRITE)),
          entry("POST /api/v1/agents/{id}/revoke", Access.operator(Permission.AGENTS_WRITE)),
          entry("DELETE /api/v1/agents/{id}", Access.operator(Permission.AGENTS_WRITE)),
          entry("POST /api/v1/enrollment-tokens", Access.operator(Permission.ENROLLMENT_WRITE)),
          entry("GET /api/v1/enrollment-tokens", Access.operator(Permission.ENROLLMENT_READ)),
          entry(
              "DELETE /api/v1/enrollment-tokens/{id}",
              Access.operator(Permission.ENROLLMENT_WRITE)),
          // Any operator manages their own API tokens; the token's scope is checked at creation.
          entry("POST /api/v1/api-tokens", Access.ANY_OPERATOR),
          entry("GET /api/v1/api-tokens", Access.ANY_OPERATOR),
          entry("DELETE /api/v1/api-tokens/{id}", Access.ANY_OPERATOR),
          entry("POST /api/v1/tenants", Access.operator(Permission.TENANTS_WRITE)),
          // Any operator sees the tenant they belong to; only a system admin sees the others.
          entry("GET /api/v1/tenants", Access.ANY_OPERATOR),
          entry("POST /api/v1/users", Access.operator(Permission.USERS_WRITE)),
          entry("GET /api/v1/users", Access.operator(Permission.USERS_READ)),
          entry("GET /api/v1/users/{id}", Access.operator(Permission.USERS_READ)),
          entry("PATCH /api/v1/users/{id}", Access.operator(Permission.USERS_WRITE)),
          entry("DELETE /api/v1/users/{id}", Access.operator(Permission.USERS_WRITE)),
          entry("GET /api/v1/audit", Access.operator(Permission.AUDIT_READ)),
          entry("POST /api/v1/rollouts", Access.operator(Permission.COMMANDS_WRITE)),
          entry("GET /api/v1/rollouts", Access.operator(Permission.COMMANDS_READ)),
          entry("GET /api/v1/rollouts/preview", Access.operator(Permission.COMMANDS_READ)),
          entry("GET /api/v1/rollouts/{id}", Access.operator(Permission.COMMANDS_READ)),
          entry("DELETE /api/v1/rollouts/{id}", Access.operator(Permission.COMMANDS_WRITE)),
          entry("PATCH /api/v1/agents/{id}", Access.operator(Permission.AGENTS_WRITE)),
          entry("POST /api/v1/schedules", Access.operator(Permission.SCHEDULES_WRITE)),
          entry("GET /api/v1/schedules", Access.operator(Permission.SCHEDULES_READ)),
          entry("GET /api/v1/schedules/{id}", Access.operator(Permission.SCHEDULES_READ)),
          entry("PATCH /api/v1/schedules/{id}", Access.operator(Permission.SCHEDULES_WRITE)),
          entry("DELETE /api/v1/schedules/{id}", Access.operator(Permission.SCHEDULES_WRITE)),
          entry("POST /api/v1/scan-schedules", Access.operator(Permission.SCHEDULES_WRITE)),
          entry("GET /api/v1/scan-schedules", Access.operator(Permission.SCHEDULES_READ)),
          entry("GET /api/v1/scan-schedules/{id}", Access.operator(Permission.SCHEDULES_READ)),
          entry("GET /api/v1/audit/verify", Access.operator(Permission.AUDIT_READ)),
          entry("POST /api/v1/tunnel/open", Access.operator(Permission.TERMINAL_OPEN)),
          entry("POST /api/v1/tunnel/close", Access.operator(Permission.TERMINAL_OPEN)),
          entry("GET /api/v1/tunnel/status", Access.operator(Permission.TERMINAL_OPEN)),
          entry(
              "POST /api/v1/tunnel/{session_id}/command",
              Access.operator(Permission.TERMINAL_OPEN)),
          entry("GET /api/v1/tunnel/sessions", Access.operator(Permission.AUDIT_READ)),
          entry(
              "GET /api/v1/tunnel/{session_id}/transcript", Access.operator(Permission.AUDIT_READ)),
          entry("GET /api/v1/tunnel/policy", Access.operator(Permission.AGENTS_READ)),
          entry("PUT /api/v1/tunnel/policy", Access.operator(Permission.AGENTS_WRITE)),
          // The upgrade checks terminal:open and the session's ownership itself (TunnelContract).
          entry(
              "WEBSOCKET_BEFORE_UPGRADE /api/v1/tunnel/{session_id}/stream", Access.ANY_OPERATOR));

  /** Javalin handler kinds that are filters around routes, not routes. */
  private static final Set<String> FILTERS =
      Set.of("BEFORE", "BEFORE_MATCHED", "AFTER_MATCHED", "AFTER", "WEBSOCKET_AFTER_UPGRADE");

  private static final List<Role> SCOPED_ROLES =
      List.of(Role.TENANT_ADMIN, Role.OPERATOR, Role.AUDITOR);

  private TestServer server;
  private JdbcRepositories repos;
  private Fixture tenantA;
  private Fixture tenantB;
  private final List<Actor> actors = new ArrayList<>();

  /** One tenant's resources the matrix aims at. */
  private record Fixture(
      TenantId tenant,
      String agentId,
      String commandId,
      String finishedCommandId,
      String rolloutId,
      String scheduleId,
      String tunnelSessionId) {}

  /** A logged-in user; {@code home} is null for the system admin. */
  private record Actor(Role role, Fixture home, ApiClient client) {
    String name() {
      return role.wireName() + (home == null ? "" : "@" + home.tenant().value());
    }
  }

  /** How a route is called on a target tenant's resource. */
  private record Probe(
      String route,
      BiFunction<ApiClient, Fixture, ApiClient.Response> call,
      boolean collection,
      int otherTenantStatus,
      int systemAdminStatus,
      int ownStatus) {

    Probe(
        String route,
        BiFunction<ApiClient, Fixture, ApiClient.Response> call,
        boolean collection,
        int otherTenantStatus) {
      this(route, call, collection, otherTenantStatus, 0, 0);
    }

    Probe(
        String route,
        BiFunction<ApiClient, Fixture, ApiClient.Response> call,
        boolean collection,
        int otherTenantStatus,
        int systemAdminStatus) {
      this(route, call, collection, otherTenantStatus, systemAdminStatus, 0);
    }
  }

  @BeforeAll
  void start() {
    server = TestServer.start(TestDatabases.Kind.SQLITE);
    repos = server.database().repositories(Clock.systemUTC());
    tenantA = fixture();
    tenantB = fixture();
    actors.add(new Actor(Role.SYSTEM_ADMIN, null, server.admin()));
    for (Fixture home : List.of(tenantA, tenantB)) {
      for (Role role : SCOPED_ROLES) {
        actors.add(new Actor(role, home, server.loginAs(home.tenant(), role)));
      }
    }
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void every_registered_route_has_an_entry_and_declares_exactly_that_access() {
    Set<String> registered = new TreeSet<>();
    for (String route : server.server().http().routes().routes()) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1);
      if (!FILTERS.contains(method) && !path.startsWith("/webjars/")) {
        registered.add(route);
      }
    }
    assertThat(registered)
        .as("registered routes must each have a matrix entry (and no stale entries)")
        .isEqualTo(new TreeSet<>(EXPECTED.keySet()));
    Map<String, Access> declared = server.server().http().routes().access();
    for (String route : registered) {
      if (declared.containsKey(route)) {
        assertThat(declared.get(route)).as(route).isEqualTo(EXPECTED.get(route));
      }
    }
  }

  @Test
  void every_operator_route_answers_each_role_in_its_own_and_another_tenant_as_the_table_says() {
    List<Probe> probes = probes();
    Set<String> probed = new TreeSet<>();
    probes.forEach(probe -> probed.add(probe.route()));
    Set<String> operatorRoutes = new TreeSet<>();
    EXPECTED.forEach(
        (route, access) -> {
          if (access instanceof Access.OperatorWith || access instanceof Access.AgentOrOperator) {
            operatorRoutes.add(route);
          }
        });
    assertThat(probed).as("every operator route is probed").isEqualTo(operatorRoutes);

    Map<String, String> wrong = new TreeMap<>();
    int cells = 0;
    for (Probe probe : probes) {
      Permission needed = permission(EXPECTED.get(probe.route()));
      for (Actor actor : actors) {
        for (Fixture target : List.of(tenantA, tenantB)) {
          cells++;
          boolean own = actor.home() == null || actor.home() == target;
          ApiClient.Response response = probe.call().apply(actor.client(), target);
          String cell =
              probe.route()
                  + " | "
                  + actor.name()
                  + " | "
                  + (own ? "own " : "other ")
                  + target.tenant().value();
          String problem = check(probe, actor, target, own, needed, response);
          if (problem != null) {
            wrong.put(cell, problem + ": " + response);
          }
        }
      }
    }
    assertThat(cells).isEqualTo(probes.size() * actors.size() * 2);
    assertThat(wrong).as("matrix cells that answered wrongly").isEmpty();
  }

  @Test
  void every_operator_route_answers_401_without_a_credential() {
    for (Probe probe : probes()) {
      ApiClient.Response response = probe.call().apply(server.api(), tenantA);
      assertThat(response.status()).as(probe.route() + " " + response).isEqualTo(401);
    }
  }

  @Test
  void agent_only_routes_refuse_every_operator() {
    String command = "/api/v1/commands/" + tenantA.commandId();
    for (Actor actor : actors) {
      for (ApiClient.Response response :
          List.of(
              actor.client().post("/api/v1/agents/heartbeat", Map.of()),
              actor.client().post("/api/v1/agents/local-runs", Map.of("runs", List.of())),
              actor.client().post(command + "/acknowledge", Map.of()),
              actor.client().post(command + "/status", Map.of("status", "running")),
              actor.client().post(command + "/result", Map.of("status", "completed")))) {
        assertThat(response.status()).as(actor.name() + " " + response).isIn(401, 403);
      }
    }
  }

  /** Null when the cell is right, else what was expected. */
  private String check(
      Probe probe,
      Actor actor,
      Fixture target,
      boolean own,
      Permission needed,
      ApiClient.Response response) {
    int status = response.status();
    if (!RolePermissions.allows(actor.role(), needed)) {
      if (status != 403) {
        return "expected 403 (role lacks " + needed.wireName() + ")";
      }
      return "role".equals(response.text("field")) ? null : "expected a 403 naming field role";
    }
    if (probe.route().equals("POST /api/v1/agents/{id}/rotate-key")) {
      // Operators never rotate: told to revoke in their tenant, not found in another.
      int expected = own ? 403 : 404;
      return status == expected && "id".equals(response.text("field"))
          ? null
          : "expected " + expected + " on field id";
    }
    if (probe.collection()) {
      if (status / 100 != 2) {
        return "expected 2xx";
      }
      Fixture other = actor.home() == tenantA ? tenantB : tenantA;
      boolean leaks =
          actor.home() != null
              && (response.body().contains(other.agentId())
                  || response.body().contains(other.commandId())
                  || response.body().contains(other.tenant().value()));
      return leaks ? "lists another tenant's resource" : null;
    }
    if (actor.home() == null && probe.systemAdminStatus() != 0) {
      return status == probe.systemAdminStatus() ? null : "expected " + probe.systemAdminStatus();
    }
    if (own && probe.ownStatus() != 0) {
      return status == probe.ownStatus() ? null : "expected " + probe.ownStatus();
    }
    if (own) {
      return status / 100 == 2 ? null : "expected 2xx";
    }
    return status == probe.otherTenantStatus() ? null : "expected " + probe.otherTenantStatus();
  }

  private List<Probe> probes() {
    return List.of(
        new Probe(
            "POST /api/v1/commands",
            (client, t) -> client.post("/api/v1/commands", echo(t.agentId())),
            false,
            403),
        new Probe("GET /api/v1/commands", (client, t) -> client.get("/api/v1/commands"), true, 0),
        new Probe(
            "GET /api/v1/commands/{id}/output",
            (client, t) -> client.get("/api/v1/commands/" + t.finishedCommandId() + "/output"),
            false,
            404),
        // Succeeded records only: a refused attempt on another tenant's id rightly names that id
        // in the attempter's own trail.
        new Probe(
            "GET /api/v1/audit",
            (client, t) -> client.get("/api/v1/audit?outcome=succeeded&limit=1000"),
            true,
            0),
        new Probe(
            "GET /api/v1/audit/verify", (client, t) -> client.get("/api/v1/audit/verify"), true, 0),
        new Probe(
            "GET /api/v1/commands/{id}",
            (client, t) -> client.get("/api/v1/commands/" + t.commandId()),
            false,
            404),
        new Probe(
            "DELETE /api/v1/commands/{id}",
            (client, t) -> client.delete("/api/v1/commands/" + command(t.agentId())),
            false,
            404),
        new Probe("GET /api/v1/agents", (client, t) -> client.get("/api/v1/agents"), true, 0),
        new Probe(
            "PATCH /api/v1/agents/{id}",
            (client, t) ->
                client.patch("/api/v1/agents/" + t.agentId(), Map.of("labels", Map.of("k", "v"))),
            false,
            404),
        new Probe(
            "POST /api/v1/rollouts",
            (client, t) -> client.post("/api/v1/rollouts", rolloutBody(t.tenant(), t.agentId())),
            false,
            403),
        new Probe("GET /api/v1/rollouts", (client, t) -> client.get("/api/v1/rollouts"), true, 0),
        new Probe(
            "POST /api/v1/schedules",
            (client, t) -> client.post("/api/v1/schedules", scheduleBody(t.tenant(), t.agentId())),
            false,
            403),
        new Probe("GET /api/v1/schedules", (client, t) -> client.get("/api/v1/schedules"), true, 0),
        new Probe(
            "GET /api/v1/schedules/{id}",
            (client, t) -> client.get("/api/v1/schedules/" + t.scheduleId()),
            false,
            404),
        new Probe(
            "PATCH /api/v1/schedules/{id}",
            (client, t) ->
                client.patch("/api/v1/schedules/" + t.scheduleId(), Map.of("enabled", true)),
            false,
            404),
        new Probe(
            "DELETE /api/v1/schedules/{id}",
            (client, t) ->
                client.delete("/api/v1/schedules/" + scanSchedule(t.tenant(), t.agentId())),
            false,
            404),
        new Probe(
            "POST /api/v1/scan-schedules",
            (client, t) ->
                client.post("/api/v1/scan-schedules", scanScheduleBody(t.tenant(), t.agentId())),
            false,
            403),
        new Probe(
            "GET /api/v1/scan-schedules",
            (client, t) -> client.get("/api/v1/scan-schedules"),
            true,
            0),
        new Probe(
            "GET /api/v1/scan-schedules/{id}",
            (client, t) -> client.get("/api/v1/scan-schedules/" + t.scheduleId()),
            false,
            404),
        // Replays every stored event and ends: a tenant's reader must see none of the other's.
        new Probe(
            "GET /api/v1/events",
            (client, t) -> client.get("/api/v1/events?after=0&follow=false"),
            true,
            0),
        new Probe(
            "GET /api/v1/command-types",
            (client, t) -> client.get("/api/v1/command-types"),
            true,
            0),
        new Probe(
            "GET /api/v1/command-types/{name}",
            (client, t) -> client.get("/api/v1/command-types/echo"),
            true,
            0),
        new Probe(
            "GET /api/v1/agents/summary",
            (client, t) -> client.get("/api/v1/agents/summary?tenant_id=" + t.tenant().value()),
            false,
            403),
        new Probe(
            "GET /api/v1/schedules/preview",
            (client, t) -> client.get("/api/v1/schedules/preview?cron_expression=0+3+*+*+*"),
            true,
            0),
        // Tunnels: the fixture agent is offline without the tunnel capability (409 in the own
        // tenant), and the fixture session is another operator's (403 in the own tenant).
        new Probe(
            "POST /api/v1/tunnel/open",
            (client, t) -> client.post("/api/v1/tunnel/open", Map.of("agent_id", t.agentId())),
            false,
            403,
            409,
            409),
        new Probe(
            "POST /api/v1/tunnel/close",
            (client, t) ->
                client.post("/api/v1/tunnel/close", Map.of("session_id", t.tunnelSessionId())),
            false,
            404,
            403,
            403),
        new Probe(
            "GET /api/v1/tunnel/status",
            (client, t) -> client.get("/api/v1/tunnel/status?include_closed=true"),
            true,
            0),
        new Probe(
            "POST /api/v1/tunnel/{session_id}/command",
            (client, t) ->
                client.post(
                    "/api/v1/tunnel/" + t.tunnelSessionId() + "/command",
                    Map.of("command", "uptime")),
            false,
            404,
            403,
            403),
        new Probe(
            "GET /api/v1/tunnel/sessions",
            (client, t) -> client.get("/api/v1/tunnel/sessions"),
            true,
            0),
        new Probe(
            "GET /api/v1/tunnel/{session_id}/transcript",
            (client, t) -> client.get("/api/v1/tunnel/" + t.tunnelSessionId() + "/transcript"),
            false,
            404),
        new Probe(
            "GET /api/v1/tunnel/policy",
            (client, t) -> client.get("/api/v1/tunnel/policy?tenant_id=" + t.tenant().value()),
            false,
            403),
        new Probe(
            "PUT /api/v1/tunnel/policy",
            (client, t) ->
                client.put(
                    "/api/v1/tunnel/policy",
                    Map.of("tenant_id", t.tenant().value(), "deny", List.of("^rm -rf /$"))),
            false,
            403),
        new Probe(
            "GET /api/v1/rollouts/preview",
            (client, t) ->
                client.get("/api/v1/rollouts/preview?all=true&tenant_id=" + t.tenant().value()),
            false,
            403),
        new Probe(
            "GET /api/v1/rollouts/{id}",
            (client, t) -> client.get("/api/v1/rollouts/" + t.rolloutId()),
            false,
            404),
        new Probe(
            "DELETE /api/v1/rollouts/{id}",
            (client, t) -> client.delete("/api/v1/rollouts/" + rollout(t.tenant(), t.agentId())),
            false,
            404),
        new Probe(
            "GET /api/v1/agents/{id}",
            (client, t) -> client.get("/api/v1/agents/" + t.agentId()),
            false,
            404),
        new Probe(
            "GET /api/v1/agents/{id}/commands",
            (client, t) -> client.get("/api/v1/agents/" + t.agentId() + "/commands"),
            false,
            404),
        new Probe(
            "POST /api/v1/agents/{id}/rotate-key",
            (client, t) -> client.post("/api/v1/agents/" + t.agentId() + "/rotate-key", Map.of()),
            false,
            404),
        new Probe(
            "POST /api/v1/agents/{id}/revoke",
            (client, t) -> client.post("/api/v1/agents/" + agent(t.tenant()) + "/revoke", Map.of()),
            false,
            404),
        new Probe(
            "DELETE /api/v1/agents/{id}",
            (client, t) -> client.delete("/api/v1/agents/" + agent(t.tenant())),
            false,
            404),
        new Probe(
            "POST /api/v1/enrollment-tokens",
            (client, t) ->
                client.post(
                    "/api/v1/enrollment-tokens",
                    Map.of("tenant_id", t.tenant().value(), "max_uses", 1)),
            false,
            403),
        new Probe(
            "GET /api/v1/enrollment-tokens",
            (client, t) -> client.get("/api/v1/enrollment-tokens"),
            true,
            0),
        new Probe(
            "DELETE /api/v1/enrollment-tokens/{id}",
            (client, t) -> client.delete("/api/v1/enrollment-tokens/" + token(t.tenant())),
            false,
            404),
        new Probe(
            "POST /api/v1/tenants",
            (client, t) -> client.post("/api/v1/tenants", Map.of("name", "m-" + UserId.random())),
            false,
            403),
        new Probe(
            "POST /api/v1/users",
            (client, t) ->
                client.post(
                    "/api/v1/users",
                    Map.of(
                        "username",
                        "m-" + UserId.random(),
                        "role",
                        "operator",
                        "tenant_id",
                        t.tenant().value())),
            false,
            403),
        new Probe("GET /api/v1/users", (client, t) -> client.get("/api/v1/users"), true, 0),
        new Probe(
            "GET /api/v1/users/{id}",
            (client, t) -> client.get("/api/v1/users/" + user(t.tenant())),
            false,
            404),
        new Probe(
            "PATCH /api/v1/users/{id}",
            (client, t) ->
                client.patch("/api/v1/users/" + user(t.tenant()), Map.of("role", "auditor")),
            false,
            404),
        new Probe(
            "DELETE /api/v1/users/{id}",
            (client, t) -> client.delete("/api/v1/users/" + user(t.tenant())),
            false,
            404));
  }

  private static Permission permission(Access access) {
    return switch (access) {
      case Access.OperatorWith(Permission permission) -> permission;
      case Access.AgentOrOperator(Permission permission) -> permission;
      default -> throw new IllegalArgumentException("not an operator route: " + access);
    };
  }

  private static Map<String, Object> echo(String agentId) {
    return Map.of("agent_id", agentId, "type", "echo", "params", Map.of("message", "hi"));
  }

  /** A tenant with an enrolled agent and one pending command for it. */
  private Fixture fixture() {
    TenantId tenant = server.createTenant();
    String agent = agent(tenant);
    return new Fixture(
        tenant,
        agent,
        command(agent),
        cancelled(command(agent)),
        rollout(tenant, agent),
        scanSchedule(tenant, agent),
        tunnelSession(tenant, agent));
  }

  /** A closed tunnel session of another operator of {@code tenant} with its agent. */
  private String tunnelSession(TenantId tenant, String agentId) {
    UserId owner = UserId.random();
    repos
        .users()
        .create(
            new User(
                owner,
                tenant,
                "tunnel-owner-" + owner.value(),
                "unused-hash",
                Role.OPERATOR,
                false,
                Clock.systemUTC().instant()));
    TunnelRepository tunnels = JdbcTunnelRepository.create(server.database().database());
    Instant now = Clock.systemUTC().instant();
    TunnelSession session =
        TunnelSession.opened(
            Ids.newId(), tenant, owner, AgentId.of(agentId), now, now.plusSeconds(3600), "matrix");
    tunnels.insert(session);
    tunnels.close(session.id(), TunnelStatus.CLOSED, "matrix fixture", "system", now);
    return session.id();
  }

  /** A fresh nightly scan schedule of {@code tenant}, created by the system admin. */
  private String scanSchedule(TenantId tenant, String agentId) {
    ApiClient.Response created =
        server.admin().post("/api/v1/scan-schedules", scanScheduleBody(tenant, agentId));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private static Map<String, Object> scanScheduleBody(TenantId tenant, String agentId) {
    return Map.of(
        "tenant_id", tenant.value(),
        "name", "matrix scan",
        "scanner", "gitleaks",
        "target", "/srv/matrix",
        "cron_expression", "0 3 * * *",
        "selector", Map.of("agent_ids", List.of(agentId)));
  }

  private static Map<String, Object> scheduleBody(TenantId tenant, String agentId) {
    return Map.of(
        "tenant_id",
        tenant.value(),
        "name",
        "matrix echo",
        "type",
        "echo",
        "params",
        Map.of("message", "matrix"),
        "cron_expression",
        "0 3 * * *",
        "selector",
        Map.of("agent_ids", List.of(agentId)));
  }

  /** The command, cancelled by the system admin: final, so its output stream ends at once. */
  private String cancelled(String commandId) {
    ApiClient.Response cancelled = server.admin().delete("/api/v1/commands/" + commandId);
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    return commandId;
  }

  /** A fresh rollout over one agent of {@code tenant}, created by the system admin. */
  private String rollout(TenantId tenant, String agentId) {
    ApiClient.Response created =
        server.admin().post("/api/v1/rollouts", rolloutBody(tenant, agentId));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private static Map<String, Object> rolloutBody(TenantId tenant, String agentId) {
    return Map.of(
        "tenant_id",
        tenant.value(),
        "selector",
        Map.of("agent_ids", List.of(agentId)),
        "type",
        "echo",
        "params",
        Map.of("message", "matrix"));
  }

  /** A fresh agent of {@code tenant}, so a destructive cell never depends on an earlier one. */
  private String agent(TenantId tenant) {
    ApiClient.Response enrolled =
        server
            .api()
            .post(
                "/api/v1/agents/enroll",
                Map.of("enrollment_token", tokenSecret(tenant), "hostname", "matrix-host"));
    assertThat(enrolled.status()).as(enrolled.toString()).isEqualTo(201);
    return enrolled.text("agent_id");
  }

  /** A fresh pending command for {@code agentId}, created by the system admin. */
  private String command(String agentId) {
    ApiClient.Response created = server.admin().post("/api/v1/commands", echo(agentId));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  /** A fresh operator account of {@code tenant}, written directly (its password never matters). */
  private String user(TenantId tenant) {
    UserId id = UserId.random();
    repos
        .users()
        .create(
            new User(
                id, tenant, "matrix-" + id.value(), "unused", Role.OPERATOR, false, Instant.now()));
    return id.value();
  }

  private String token(TenantId tenant) {
    return issueToken(tenant).text("id");
  }

  private String tokenSecret(TenantId tenant) {
    return issueToken(tenant).text("token");
  }

  private ApiClient.Response issueToken(TenantId tenant) {
    ApiClient.Response token =
        server
            .admin()
            .post("/api/v1/enrollment-tokens", Map.of("tenant_id", tenant.value(), "max_uses", 1));
    assertThat(token.status()).as(token.toString()).isEqualTo(201);
    return token;
  }
}
