package dev.courier.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.server.agent.AgentCredentials;
import dev.courier.server.agent.AgentService;
import dev.courier.server.agent.AgentStatus;
import dev.courier.server.agent.EnrollmentService;
import dev.courier.server.agent.SessionsAfterCommit;
import dev.courier.server.audit.AuditTrail;
import dev.courier.server.auth.AccessTokens;
import dev.courier.server.auth.AdminBootstrap;
import dev.courier.server.auth.ApiTokenService;
import dev.courier.server.auth.LoginService;
import dev.courier.server.auth.PasswordHasher;
import dev.courier.server.auth.ServerKeys;
import dev.courier.server.auth.TenantService;
import dev.courier.server.auth.UserService;
import dev.courier.server.cluster.ClusterBus;
import dev.courier.server.command.CommandDelivery;
import dev.courier.server.command.CommandEnvelopes;
import dev.courier.server.command.CommandNotifier;
import dev.courier.server.command.CommandOutputs;
import dev.courier.server.command.CommandService;
import dev.courier.server.command.CommandSweeper;
import dev.courier.server.command.CommandTransitions;
import dev.courier.server.command.CommandTypeCatalog;
import dev.courier.server.command.CommandWaiters;
import dev.courier.server.command.LocalRuns;
import dev.courier.server.command.NotifyAfterCommit;
import dev.courier.server.common.GroupCommit;
import dev.courier.server.common.Transactions;
import dev.courier.server.config.ServerConfig;
import dev.courier.server.console.ConsoleRoutes;
import dev.courier.server.error.CourierException;
import dev.courier.server.fleet.RolloutDispatcher;
import dev.courier.server.fleet.RolloutService;
import dev.courier.server.fleet.ScheduleRunner;
import dev.courier.server.fleet.ScheduleService;
import dev.courier.server.http.AccessControl;
import dev.courier.server.http.AgentRoutes;
import dev.courier.server.http.ApiTokenRoutes;
import dev.courier.server.http.AuditRoutes;
import dev.courier.server.http.AuditedEndpoints;
import dev.courier.server.http.AuthRoutes;
import dev.courier.server.http.Bodies;
import dev.courier.server.http.CommandRoutes;
import dev.courier.server.http.CommandTypeRoutes;
import dev.courier.server.http.CommandViews;
import dev.courier.server.http.EnrollmentTokenRoutes;
import dev.courier.server.http.ErrorMapping;
import dev.courier.server.http.EventRoutes;
import dev.courier.server.http.HealthRoutes;
import dev.courier.server.http.HttpServer;
import dev.courier.server.http.OpenApiRoutes;
import dev.courier.server.http.ReadinessCheck;
import dev.courier.server.http.RequestAuth;
import dev.courier.server.http.RolloutRoutes;
import dev.courier.server.http.ScheduleRoutes;
import dev.courier.server.http.TenantRoutes;
import dev.courier.server.http.TunnelRoutes;
import dev.courier.server.http.UserRoutes;
import dev.courier.server.ratelimit.RateLimiters;
import dev.courier.server.runtime.PeriodicTasks;
import dev.courier.server.store.Database;
import dev.courier.server.store.DatabaseOptions;
import dev.courier.server.store.JdbcRepositories;
import dev.courier.server.store.JdbcTunnelRepository;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.tunnel.TunnelService;
import dev.courier.server.ws.AgentGateway;
import dev.courier.server.ws.AgentSocket;
import dev.courier.server.ws.AgentTunnelLink;
import dev.courier.server.ws.ClusterRelay;
import dev.courier.server.ws.CoalescedSends;
import dev.courier.server.ws.StaleDeliveries;
import dev.courier.server.ws.TunnelStreamSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the whole server from its configuration with plain constructors, top
 * to bottom, and stops it in the reverse order (stop accepting, close agent sockets, stop
 * background work, close storage).
 */
public final class CourierServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CourierServer.class);

  static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);
  static final Duration SWEEP_PERIOD = Duration.ofSeconds(1);

  private final Database database;
  private final PeriodicTasks periodic;
  private final AgentGateway gateway;
  private final HttpServer http;
  private final ScheduleRunner scheduler;
  private final TunnelService tunnels;
  private final ClusterBus bus;

  private CourierServer(
      Database database,
      PeriodicTasks periodic,
      AgentGateway gateway,
      HttpServer http,
      ScheduleRunner scheduler,
      TunnelService tunnels,
      ClusterBus bus) {
    this.bus = bus;
    this.database = database;
    this.periodic = periodic;
    this.gateway = gateway;
    this.http = http;
    this.scheduler = scheduler;
    this.tunnels = tunnels;
  }

  /** Starts with the system clock, ticking in milliseconds: the precision the database keeps. */
  public static CourierServer start(ServerConfig config) {
    return start(config, Clock.tick(Clock.systemUTC(), Duration.ofMillis(1)));
  }

  public static CourierServer start(ServerConfig config, Clock clock) {
    long startedAt = System.nanoTime();
    Database database =
        Database.open(
            config.dbUrl(),
            DatabaseOptions.defaults()
                .withSqliteSynchronous(config.sqliteSynchronous())
                .withPoolSize(config.dbPoolSize())
                .withCredentials(config.dbUser().orElse(null), config.dbPassword().orElse(null)));
    try {
      return assemble(config, clock, database, startedAt);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static CourierServer assemble(
      ServerConfig config, Clock clock, Database database, long startedAt) {
    ObjectMapper json = ProtocolJson.mapper();
    JdbcRepositories repos = JdbcRepositories.create(database, clock);
    Transactions transactions = repos.transactions();
    // Agents' acknowledgements, status changes, results and heartbeats share transactions; a
    // refusal (a conflict, say) keeps what the item wrote before it, as when it committed alone.
    // The replies a batch's completions send share socket writes per agent.
    GroupCommit agentWrites =
        database.openGroupCommit(e -> e instanceof CourierException, CoalescedSends::around);

    PasswordHasher passwords = new PasswordHasher();
    TenantId defaultTenant =
        new AdminBootstrap(transactions, repos.tenants(), repos.users(), passwords, clock)
            .ensure(config.adminPassword());
    ServerKeys keys = ServerKeys.loadOrCreate(repos.settings());
    RateLimiters limits = RateLimiters.from(config.rateLimits(), clock);
    LoginService logins =
        new LoginService(
            repos.users(),
            passwords,
            new AccessTokens(keys.tokenSecret(), ACCESS_TOKEN_LIFETIME, clock),
            limits.logins());

    CommandTypeCatalog types = CommandTypeCatalog.builtins(json);
    CommandEnvelopes envelopes = new CommandEnvelopes(keys.envelopeSigner(), json, clock);
    CommandWaiters waiters = new CommandWaiters();
    AgentGateway gateway = new AgentGateway(envelopes, waiters);
    // Named per start: only tells this node's LISTEN connection apart in pg_stat_activity.
    String node = UUID.randomUUID().toString().substring(0, 8);
    ClusterBus bus = database.openClusterBus(node);
    ClusterRelay relay =
        new ClusterRelay(
            bus,
            gateway,
            new NotifyAfterCommit(transactions, gateway),
            new SessionsAfterCommit(transactions, gateway),
            repos.commands()::find,
            node);
    CommandNotifier notifier = relay;
    CommandTransitions transitions =
        new CommandTransitions(
            transactions, repos.commands(), repos.events(), repos.agents(), json);
    CommandService commands =
        new CommandService(
            transactions,
            repos.commands(),
            repos.agents(),
            repos.events(),
            types,
            transitions,
            notifier,
            limits.commandsPerTenant(),
            clock);
    CommandDelivery delivery =
        new CommandDelivery(repos.commands(), transitions, notifier, clock, agentWrites);
    relay.catchUpFrom(
        agent -> delivery.pending(agent, CommandDelivery.MAX_BATCH), delivery::cancellingAnywhere);
    CommandOutputs outputs =
        new CommandOutputs(transactions, repos.commands(), repos.outputs(), clock);
    AgentService agents =
        new AgentService(
            transactions,
            repos.agents(),
            repos.events(),
            config.heartbeatInterval(),
            clock,
            agentWrites);
    EnrollmentService enrollment =
        new EnrollmentService(
            transactions,
            repos.enrollmentTokens(),
            repos.agents(),
            repos.tenants(),
            defaultTenant,
            keys.encodedPublicKey(),
            clock);
    RolloutDispatcher dispatcher =
        new RolloutDispatcher(
            transactions,
            repos.rollouts(),
            repos.commands(),
            repos.events(),
            types,
            notifier,
            clock);
    transitions.reportRolloutsTo(dispatcher);
    RolloutService rollouts =
        new RolloutService(
            transactions,
            database.confinement(),
            repos.rollouts(),
            repos.agents(),
            repos.commands(),
            commands,
            repos.events(),
            types,
            dispatcher,
            clock);
    ScheduleRunner scheduler =
        new ScheduleRunner(transactions, repos.schedules(), rollouts, repos.events(), clock);
    AgentCredentials credentials =
        new AgentCredentials(
            transactions, repos.agents(), repos.events(), delivery::cancelQueue, relay, clock);

    PeriodicTasks periodic = new PeriodicTasks();
    CommandSweeper sweeper =
        new CommandSweeper(repos.commands(), transitions, notifier, config.timeoutGrace(), clock);
    periodic.every(SWEEP_PERIOD, "expire commands", sweeper::expireOverdue);
    periodic.every(SWEEP_PERIOD, "time out commands", sweeper::timeOutOverdue);
    periodic.every(SWEEP_PERIOD, "agent presence", agents::markSilentAgentsOffline);
    periodic.every(SWEEP_PERIOD, "rollout dispatch", dispatcher::releaseActive);
    periodic.every(SWEEP_PERIOD, "schedules", scheduler::fireDue);
    periodic.every(
        SWEEP_PERIOD, "expired agent keys", () -> gateway.closeExpiredKeys(clock.instant()));
    StaleDeliveries staleDeliveries =
        new StaleDeliveries(delivery, gateway, config.heartbeatInterval(), clock);
    periodic.every(SWEEP_PERIOD, "stale deliveries", staleDeliveries::redeliver);

    ErrorMapping errors = new ErrorMapping(json);
    Bodies bodies = new Bodies(json);
    ApiTokenService apiTokens = new ApiTokenService(repos.apiTokens(), repos.users(), clock);
    RequestAuth auth = new RequestAuth(logins, apiTokens, agents);
    CommandViews views = new CommandViews(json);
    AuditTrail audit = new AuditTrail(transactions, repos.audit());
    AgentTunnelLink tunnelLink = new AgentTunnelLink(gateway);
    TunnelService tunnels =
        new TunnelService(
            transactions,
            database.confinement(),
            JdbcTunnelRepository.create(database),
            repos.agents(),
            tunnelLink,
            audit,
            config.tunnels(),
            "node-" + UUID.randomUUID(),
            clock);
    if (!config.usesSqlite()) {
      // Issue 9 §6: the operator on one node, the agent's socket on another.
      tunnelLink.joinCluster(
          bus,
          agent ->
              repos.agents().find(agent).map(a -> a.status() == AgentStatus.ONLINE).orElse(false));
      tunnels.joinCluster(bus);
    }
    tunnels.closeLeftovers();
    periodic.every(SWEEP_PERIOD, "tunnel sessions", tunnels::sweep);
    ReadinessCheck databaseReady =
        new ReadinessCheck() {
          @Override
          public String name() {
            return "database";
          }

          @Override
          public void check() {
            if (!database.isReady()) {
              throw new IllegalStateException("the database does not answer or is not migrated");
            }
          }
        };
    HttpServer http =
        new HttpServer(
            config.host(),
            config.port(),
            config.maxBodyBytes(),
            config.shutdownTimeout(),
            json,
            errors,
            new AuditedEndpoints(
                new AccessControl(auth), auth, transactions, database.confinement(), audit, clock),
            List.of(
                new HealthRoutes(List.of(databaseReady, clusterReady(bus)), errors)::register,
                new OpenApiRoutes(),
                new AuthRoutes(logins, bodies),
                new AuditRoutes(auth, audit),
                new EnrollmentTokenRoutes(auth, bodies, enrollment),
                new ApiTokenRoutes(auth, bodies, apiTokens),
                new TenantRoutes(auth, bodies, new TenantService(repos.tenants(), clock)),
                new UserRoutes(
                    auth,
                    bodies,
                    new UserService(
                        repos.users(), repos.tenants(), passwords, defaultTenant, clock)),
                new CommandRoutes(
                    auth,
                    bodies,
                    commands,
                    delivery,
                    envelopes,
                    waiters,
                    outputs,
                    transactions,
                    views,
                    config.pollInterval()),
                new RolloutRoutes(auth, bodies, rollouts, views),
                new TunnelRoutes(auth, bodies, tunnels, errors),
                new TunnelStreamSocket(auth, tunnels, json),
                new CommandTypeRoutes(auth, types),
                new EventRoutes(auth, repos.events(), json),
                new ConsoleRoutes(),
                new ScheduleRoutes(
                    auth, bodies, new ScheduleService(repos.schedules(), types, clock), clock),
                new AgentRoutes(
                    auth,
                    bodies,
                    agents,
                    credentials,
                    enrollment,
                    commands,
                    new LocalRuns(
                        transactions,
                        repos.commands(),
                        repos.events(),
                        repos.agents(),
                        transitions,
                        clock),
                    delivery,
                    envelopes,
                    views,
                    config.pollInterval(),
                    clock),
                new AgentSocket(
                    auth,
                    agents,
                    delivery,
                    outputs,
                    gateway,
                    new FrameCodec(),
                    clock,
                    tunnels,
                    staleDeliveries)));
    try {
      http.start();
    } catch (RuntimeException e) {
      periodic.close();
      bus.close();
      throw e;
    }
    log.info(
        "Courier ready in {} ms on {} (schema {})",
        (System.nanoTime() - startedAt) / 1_000_000,
        config.usesSqlite() ? "SQLite" : "PostgreSQL",
        database.schemaVersion());
    log.info(
        "Node {} on the {} cluster bus",
        node,
        config.usesSqlite() ? "in-process" : "LISTEN/NOTIFY");
    return new CourierServer(database, periodic, gateway, http, scheduler, tunnels, bus);
  }

  /** Not ready while the cluster bus reconnects: agents here would miss other nodes' pushes. */
  private static ReadinessCheck clusterReady(ClusterBus bus) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return "cluster";
      }

      @Override
      public void check() {
        if (!bus.connected()) {
          throw new IllegalStateException("the cluster bus is reconnecting to the database");
        }
      }
    };
  }

  public int port() {
    return http.port();
  }

  public HttpServer http() {
    return http;
  }

  public AgentGateway gateway() {
    return gateway;
  }

  /** The schedule runner, which also runs every second on its own. */
  public ScheduleRunner scheduler() {
    return scheduler;
  }

  @Override
  public void close() {
    log.info("Courier stopping");
    tunnels.closeAll("server_shutdown");
    http.close();
    gateway.closeAll("server shutting down");
    periodic.close();
    bus.close();
    database.close();
    log.info("Courier stopped");
  }
}
