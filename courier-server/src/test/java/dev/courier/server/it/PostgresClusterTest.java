package dev.courier.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.Priority;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.frame.ServerFrame;
import dev.courier.server.CourierServer;
import dev.courier.server.command.Command;
import dev.courier.server.config.RateLimitSettings;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.RawAgentSocket;
import dev.courier.server.testing.StoreFixtures;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import dev.courier.server.testing.TestServer.EnrolledTestAgent;
import dev.courier.server.user.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Two server nodes in one JVM on one PostgreSQL (DESIGN §6 scale-out): agents hold sockets to node
 * B while operators talk to node A, and every command, cancel and revocation made on A reaches the
 * agent through B, once. The two nodes serve every test (each test has agents of its own).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresClusterTest {

  private static final int AGENTS = 20;
  private static final int COMMANDS = 5_000;
  private static final int CLIENTS = 4;

  private TestServer nodeA;
  private CourierServer nodeB;

  @BeforeAll
  void startTwoNodes() {
    nodeA = TestServer.start(TestDatabases.Kind.POSTGRES, RateLimitSettings.unlimited());
    nodeB = nodeA.startAnotherNode();
  }

  @AfterAll
  void stop() {
    if (nodeB != null) {
      nodeB.close();
    }
    if (nodeA != null) {
      nodeA.close();
    }
  }

  /**
   * 5,000 commands created through node A's API by concurrent clients, for agents connected only to
   * node B: each is delivered to exactly one connection once, executed once, and stored completed.
   * Each client is an operator of its own tenant: a tenant's audit chain takes its records one at a
   * time, so clients of one tenant would wait for each other's commits.
   */
  // Generous: on the 2-core build machine, with other builds running, creating 5,000 commands
  // through HTTP took 40-55 s; the bus added nothing measurable (agents on node A itself took as
  // long). Delivery and completion follow creation within a few milliseconds.
  @Test
  @Timeout(180)
  void five_thousand_commands_made_on_one_node_reach_agents_on_the_other_exactly_once()
      throws Exception {
    List<TenantId> tenants = new ArrayList<>();
    List<ApiClient> operators = new ArrayList<>();
    for (int client = 0; client < CLIENTS; client++) {
      TenantId tenant = nodeA.createTenant();
      tenants.add(tenant);
      operators.add(nodeA.loginAs(tenant, Role.OPERATOR));
    }
    // Agent i belongs to tenant i % CLIENTS, the tenant of the client that makes its commands.
    List<EnrolledTestAgent> enrolled = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      enrolled.add(nodeA.enrollAgent(tenants.get(i % CLIENTS), "cluster-" + i));
    }
    Fleet fleet = new Fleet();
    try {
      for (EnrolledTestAgent agent : enrolled) {
        fleet.connect(webSocketUrl(nodeB), agent.key());
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> fleet.authenticated.get() == AGENTS);
      for (EnrolledTestAgent agent : enrolled) {
        assertThat(nodeB.gateway().isConnected(AgentId.of(agent.id()))).isTrue();
        assertThat(nodeA.server().gateway().isConnected(AgentId.of(agent.id()))).isFalse();
      }

      long started = System.nanoTime();
      Queue<String> created = new ConcurrentLinkedQueue<>();
      try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
        List<Future<?>> runs = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
          int first = client;
          ApiClient operator = operators.get(client);
          runs.add(
              clients.submit(
                  () -> {
                    for (int i = first; i < COMMANDS; i += CLIENTS) {
                      String agent = enrolled.get(i % AGENTS).id();
                      ApiClient.Response response =
                          operator.post(
                              "/api/v1/commands",
                              Map.of("agent_id", agent, "type", "echo", "args", Map.of("n", i)));
                      assertThat(response.status()).as(response.toString()).isEqualTo(201);
                      created.add(response.text("id"));
                    }
                  }));
        }
        for (Future<?> run : runs) {
          run.get(150, TimeUnit.SECONDS);
        }
      }
      long createdAfter = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> fleet.completed.get() >= COMMANDS);
      long finished = System.nanoTime();

      int deliveries = fleet.deliveries.values().stream().mapToInt(AtomicInteger::get).sum();
      int duplicates = deliveries - fleet.deliveries.size();
      System.out.printf(
          "Cluster: %d commands created on node A in %d ms, all completed via node B after %d ms;"
              + " %d deliveries, %d duplicates, %d stray frames%n",
          created.size(),
          (createdAfter - started) / 1_000_000,
          (finished - started) / 1_000_000,
          deliveries,
          duplicates,
          fleet.errors.get());

      Set<String> ids = new HashSet<>(created);
      assertThat(ids).hasSize(COMMANDS);
      assertThat(fleet.deliveries.keySet()).isEqualTo(ids);
      assertThat(fleet.deliveries.values()).allSatisfy(count -> assertThat(count).hasValue(1));
      assertThat(fleet.deliveredOn.values()).allSatisfy(sockets -> assertThat(sockets).hasSize(1));
      assertThat(fleet.executions.values()).allSatisfy(count -> assertThat(count).hasValue(1));
      assertThat(fleet.errors).hasValue(0);
      assertThat(countCompleted(ids)).isEqualTo(COMMANDS);
    } finally {
      fleet.close();
    }
  }

  @Test
  @Timeout(60)
  void a_cancel_made_on_one_node_reaches_the_agent_on_the_other() {
    EnrolledTestAgent agent = nodeA.enrollAgent("cluster-cancel");
    try (RawAgentSocket socket = RawAgentSocket.connect(webSocketUrl(nodeB), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      String id = create(agent);
      CommandId commandId = CommandId.of(id);
      assertThat(socket.next(ServerFrame.CommandDelivery.class).envelope().id())
          .isEqualTo(commandId);
      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.ACCEPTED, Instant.now()));
      socket.next(ServerFrame.Ack.class);
      socket.send(
          new AgentFrame.CommandStatusReport(commandId, CommandStatus.RUNNING, Instant.now()));
      socket.next(ServerFrame.Ack.class);

      ApiClient.Response cancel = nodeA.admin().delete("/api/v1/commands/" + id);

      assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
      assertThat(socket.next(ServerFrame.Cancel.class).commandId()).isEqualTo(commandId);
    }
  }

  @Test
  @Timeout(60)
  void a_rollout_made_on_one_node_reaches_its_agent_on_the_other() {
    EnrolledTestAgent agent = nodeA.enrollAgent("cluster-rollout");
    try (RawAgentSocket socket = RawAgentSocket.connect(webSocketUrl(nodeB), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);

      ApiClient.Response rollout =
          nodeA
              .admin()
              .post(
                  "/api/v1/rollouts",
                  Map.of(
                      "tenant_id",
                      nodeA.admin().get("/api/v1/agents/" + agent.id()).text("tenant_id"),
                      "selector",
                      Map.of("agent_ids", List.of(agent.id())),
                      "type",
                      "echo",
                      "params",
                      Map.of("message", "hello")));

      assertThat(rollout.status()).as(rollout.toString()).isEqualTo(201);
      ServerFrame.CommandDelivery delivery = socket.next(ServerFrame.CommandDelivery.class);
      assertThat(delivery.envelope().type()).isEqualTo("echo");
    }
  }

  /**
   * The agent's old socket on node A is still open when it connects to node B: A closes the stale
   * one (the agent replaced it), the agent stays online, and A's next command goes to B.
   */
  @Test
  @Timeout(60)
  void an_agent_reconnecting_to_another_node_closes_its_stale_socket_and_stays_online() {
    EnrolledTestAgent agent = nodeA.enrollAgent("cluster-moving");
    try (RawAgentSocket old = RawAgentSocket.connect(nodeA.webSocketUrl(), agent.key())) {
      old.next(ServerFrame.AuthAck.class);
      old.send(new AgentFrame.Heartbeat(null, null, null, null, null));
      old.next(ServerFrame.Ack.class);
      // Only now: the new connection must be the later one.
      try (RawAgentSocket fresh = RawAgentSocket.connect(webSocketUrl(nodeB), agent.key())) {
        fresh.next(ServerFrame.AuthAck.class);

        assertThat(old.closeCode()).isEqualTo(4000);
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> !nodeA.server().gateway().isConnected(AgentId.of(agent.id())));
        assertThat(nodeB.gateway().isConnected(AgentId.of(agent.id()))).isTrue();
        fresh.send(new AgentFrame.Heartbeat(null, null, null, null, null));
        fresh.next(ServerFrame.Ack.class);
        assertThat(nodeA.admin().get("/api/v1/agents/" + agent.id()).text("status"))
            .isEqualTo("online");

        String id = create(agent);
        assertThat(fresh.next(ServerFrame.CommandDelivery.class).envelope().id().value())
            .isEqualTo(id);
      }
    }
  }

  @Test
  @Timeout(60)
  void revoking_on_one_node_closes_the_socket_the_other_holds() {
    EnrolledTestAgent agent = nodeA.enrollAgent("cluster-revoked");
    try (RawAgentSocket socket = RawAgentSocket.connect(webSocketUrl(nodeB), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);

      ApiClient.Response revoked =
          nodeA.admin().post("/api/v1/agents/" + agent.id() + "/revoke", Map.of());

      assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
      assertThat(socket.next(ServerFrame.ErrorFrame.class).code()).isEqualTo("revoked");
      assertThat(socket.closeCode()).isEqualTo(4401);
    }
  }

  /**
   * A note sent while a node's listening connection was down is lost; once it reconnects, the node
   * pushes its agents' pending commands again. The command here is written without any note at all,
   * so only that catch-up can deliver it.
   */
  @Test
  @Timeout(60)
  void after_the_listening_connection_drops_pending_commands_are_pushed_again() throws Exception {
    EnrolledTestAgent agent = nodeA.enrollAgent("cluster-catch-up");
    try (RawAgentSocket socket = RawAgentSocket.connect(webSocketUrl(nodeB), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      TenantId tenant =
          TenantId.of(nodeA.admin().get("/api/v1/agents/" + agent.id()).text("tenant_id"));
      Command silent =
          new StoreFixtures(nodeA.database().repositories(Clock.systemUTC()), Clock.systemUTC())
              .pending(tenant, AgentId.of(agent.id()), Priority.NORMAL, Instant.now());
      assertThat(socket.quietFor(Duration.ofMillis(300))).isTrue();

      assertThat(terminateListeners()).isEqualTo(2);

      assertThat(socket.next(ServerFrame.CommandDelivery.class).envelope().id())
          .isEqualTo(silent.id());
      ApiClient nodeBApi =
          new ApiClient(ApiClient.newHttpClient(), "http://127.0.0.1:" + nodeB.port(), null);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  nodeA.api().get("/readyz").status() == 200
                      && nodeBApi.get("/readyz").status() == 200);
    }
  }

  /**
   * A cancel note lost while the listening connection was down: once it reconnects, the node sends
   * the cancels its agents have not confirmed again. The command here is moved to {@code
   * cancelling} without any note, so only that catch-up can send the cancel.
   */
  @Test
  @Timeout(60)
  void after_the_listening_connection_drops_unconfirmed_cancels_are_sent_again() throws Exception {
    EnrolledTestAgent agent = nodeA.enrollAgent("cluster-cancel-catch-up");
    try (RawAgentSocket socket = RawAgentSocket.connect(webSocketUrl(nodeB), agent.key())) {
      socket.next(ServerFrame.AuthAck.class);
      CommandId id = CommandId.of(create(agent));
      assertThat(socket.next(ServerFrame.CommandDelivery.class).envelope().id()).isEqualTo(id);
      socket.send(new AgentFrame.CommandStatusReport(id, CommandStatus.ACCEPTED, Instant.now()));
      socket.next(ServerFrame.Ack.class);
      moveSilentlyToCancelling(id);
      assertThat(socket.quietFor(Duration.ofMillis(300))).isTrue();

      assertThat(terminateListeners()).isEqualTo(2);

      assertThat(socket.next(ServerFrame.Cancel.class).commandId()).isEqualTo(id);
    }
  }

  /** What an operator's cancel writes, without the note that would announce it. */
  private void moveSilentlyToCancelling(CommandId id) throws Exception {
    try (Connection connection = DriverManager.getConnection(nodeA.database().jdbcUrl());
        PreparedStatement statement =
            connection.prepareStatement(
                "UPDATE commands SET status = 'cancelling' WHERE id = ? AND status = 'accepted'")) {
      statement.setString(1, id.value());
      assertThat(statement.executeUpdate()).isEqualTo(1);
    }
  }

  private String create(EnrolledTestAgent agent) {
    ApiClient.Response created =
        nodeA.admin().post("/api/v1/commands", Map.of("agent_id", agent.id(), "type", "echo"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.text("id");
  }

  private static String webSocketUrl(CourierServer node) {
    return "ws://127.0.0.1:" + node.port() + "/api/v1/agents/ws";
  }

  /** How many of {@code ids} the database holds as completed. */
  private int countCompleted(Set<String> ids) throws Exception {
    try (Connection connection = DriverManager.getConnection(nodeA.database().jdbcUrl());
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FROM commands WHERE status = 'completed' AND id = ANY (?)")) {
      statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /** Cuts every node's LISTEN connection, as a network blip or a database restart would. */
  private int terminateListeners() throws Exception {
    try (Connection connection = DriverManager.getConnection(nodeA.database().jdbcUrl());
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database()"
                    + " AND application_name LIKE 'courier-cluster %'")) {
      int terminated = 0;
      while (rows.next()) {
        terminated += rows.getBoolean(1) ? 1 : 0;
      }
      return terminated;
    }
  }

  /**
   * Raw WebSocket agents that accept and complete every command they are sent, counting deliveries
   * per command id and per socket. One virtual thread per socket answers, so sends never overlap.
   */
  private static final class Fleet implements AutoCloseable {
    private static final FrameCodec CODEC = new FrameCodec();

    final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    final Map<String, Set<Integer>> deliveredOn = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    final AtomicInteger authenticated = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final List<Thread> workers = new ArrayList<>();

    void connect(String url, String key) {
      int socketNumber = sockets.size();
      BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
      WebSocket socket =
          http.newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .header("Authorization", "Bearer " + key)
              .buildAsync(URI.create(url), new Inbox(inbox))
              .join();
      sockets.add(socket);
      workers.add(Thread.ofVirtual().start(() -> answer(socketNumber, socket, inbox)));
    }

    private void answer(int socketNumber, WebSocket socket, BlockingQueue<String> inbox) {
      try {
        while (true) {
          switch (CODEC.decodeFromServer(inbox.take())) {
            case ServerFrame.AuthAck ignored -> authenticated.incrementAndGet();
            case ServerFrame.CommandDelivery delivery -> {
              CommandId id = delivery.envelope().id();
              deliveries.computeIfAbsent(id.value(), k -> new AtomicInteger()).incrementAndGet();
              deliveredOn
                  .computeIfAbsent(id.value(), k -> ConcurrentHashMap.newKeySet())
                  .add(socketNumber);
              send(
                  socket,
                  new AgentFrame.CommandStatusReport(id, CommandStatus.ACCEPTED, Instant.now()));
              executions.computeIfAbsent(id.value(), k -> new AtomicInteger()).incrementAndGet();
              send(
                  socket,
                  new AgentFrame.CommandResult(
                      id,
                      CommandStatus.COMPLETED,
                      Instant.now(),
                      1L,
                      0,
                      "ok",
                      null,
                      null,
                      null,
                      null));
            }
            case ServerFrame.Ack ack -> {
              if ("command_result".equals(ack.of()) && ack.status() == CommandStatus.COMPLETED) {
                completed.incrementAndGet();
              }
            }
            default -> errors.incrementAndGet();
          }
        }
      } catch (InterruptedException stopped) {
        Thread.currentThread().interrupt();
      }
    }

    private static void send(WebSocket socket, AgentFrame frame) {
      socket.sendText(CODEC.encode(frame), true).join();
    }

    @Override
    public void close() {
      workers.forEach(Thread::interrupt);
      sockets.forEach(WebSocket::abort);
      http.close();
    }
  }

  private static final class Inbox implements WebSocket.Listener {
    private final BlockingQueue<String> inbox;
    private final StringBuilder partial = new StringBuilder();

    Inbox(BlockingQueue<String> inbox) {
      this.inbox = inbox;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        inbox.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
