package dev.courier.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.Priority;
import dev.courier.protocol.envelope.CanonicalJson;
import dev.courier.protocol.http.AcknowledgeResponse;
import dev.courier.protocol.http.PollResponse;
import dev.courier.protocol.http.PolledCommand;
import dev.courier.protocol.http.ResultReport;
import dev.courier.protocol.http.ResultResponse;
import dev.courier.server.agent.Agent;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.command.Command;
import dev.courier.server.command.CommandDelivery;
import dev.courier.server.command.CommandEnvelopes;
import dev.courier.server.command.CommandOutputs;
import dev.courier.server.command.CommandQuery;
import dev.courier.server.command.CommandService;
import dev.courier.server.command.CommandWaiters;
import dev.courier.server.command.CreatedCommand;
import dev.courier.server.command.NewCommand;
import dev.courier.server.command.OutputChunk;
import dev.courier.server.command.ReportOutcome;
import dev.courier.server.command.ReportedResult;
import dev.courier.server.common.Page;
import dev.courier.server.common.Transactions;
import dev.courier.server.error.InvalidInputException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code /api/v1/commands}: operators create, list, read and cancel; agents poll, acknowledge and
 * report (seed 004). The credential decides which side a request is.
 */
public final class CommandRoutes implements RouteModule {

  static final int DEFAULT_POLL_LIMIT = 10;
  static final int OUTPUT_PAGE = 500;
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final RequestAuth auth;
  private final Bodies bodies;
  private final CommandService commands;
  private final CommandDelivery delivery;
  private final CommandEnvelopes envelopes;
  private final CommandWaiters waiters;
  private final CommandOutputs outputs;
  private final Transactions transactions;
  private final CommandViews views;
  private final Duration pollInterval;

  public CommandRoutes(
      RequestAuth auth,
      Bodies bodies,
      CommandService commands,
      CommandDelivery delivery,
      CommandEnvelopes envelopes,
      CommandWaiters waiters,
      CommandOutputs outputs,
      Transactions transactions,
      CommandViews views,
      Duration pollInterval) {
    this.auth = auth;
    this.bodies = bodies;
    this.commands = commands;
    this.delivery = delivery;
    this.envelopes = envelopes;
    this.waiters = waiters;
    this.outputs = outputs;
    this.transactions = transactions;
    this.views = views;
    this.pollInterval = pollInterval;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/commands", this::create, Access.operator(Permission.COMMANDS_WRITE));
    routes.get(
        "/api/v1/commands",
        ctx -> {
          if (auth.isAgent(ctx)) {
            poll(ctx);
          } else {
            list(ctx);
          }
        },
        Access.agentOrOperator(Permission.COMMANDS_READ));
    routes.get("/api/v1/commands/{id}", this::get, Access.operator(Permission.COMMANDS_READ));
    routes.get(
        "/api/v1/commands/{id}/output", this::output, Access.operator(Permission.COMMANDS_READ));
    routes.delete(
        "/api/v1/commands/{id}", this::cancel, Access.operator(Permission.COMMANDS_WRITE));
    routes.post("/api/v1/commands/{id}/acknowledge", this::acknowledge, Access.AGENT);
    routes.post("/api/v1/commands/{id}/status", this::status, Access.AGENT);
    routes.post("/api/v1/commands/{id}/result", this::result, Access.AGENT);
  }

  private void create(Context ctx) {
    Operator operator = auth.operator(ctx);
    Optional<Duration> wait = Waits.parse(ctx.queryParam("wait"));
    CreatedCommand created = commands.create(operator, newCommand(bodies.object(ctx)));
    Command command = created.command();
    ctx.status(created.created() ? 201 : 200)
        .header(Header.LOCATION, "/api/v1/commands/" + command.id().value())
        .json(views.view(command));
    if (wait.isPresent()) {
      // Waits once the creation committed (the request's transaction holds its audit record): an
      // agent cannot start what it cannot yet see.
      transactions.afterCommit(
          () -> ctx.json(views.view(awaitFinal(operator, command.id(), wait.get()))));
    }
  }

  private Command awaitFinal(Operator operator, CommandId id, Duration wait) {
    try {
      return commands.awaitFinal(operator, id, wait, waiters);
    } catch (InterruptedException e) {
      // Shutting down: answer with the command as it is now.
      Thread.currentThread().interrupt();
      return commands.get(operator, id);
    }
  }

  /**
   * The command's output as server-sent events: what is stored from {@code from_seq} (or after
   * {@code Last-Event-ID}) on, then live until the command ends ({@code event: end}). A stream the
   * cap cut says so once ({@code event: truncated}). Readers on another node than the agent's see
   * its chunks within a second.
   */
  private void output(Context ctx) throws Exception {
    Operator operator = auth.operator(ctx);
    Command command = commands.get(operator, commandId(ctx));
    long afterSeq = afterSeq(ctx);
    new SseHandler(client -> stream(client, operator, command.id(), afterSeq)).handle(ctx);
  }

  private static long afterSeq(Context ctx) {
    String lastEventId = ctx.header("Last-Event-ID");
    String from = ctx.queryParam("from_seq");
    try {
      if (lastEventId != null && !lastEventId.isBlank()) {
        return Long.parseLong(lastEventId.trim());
      }
      if (from != null && !from.isBlank()) {
        long seq = Long.parseLong(from.trim());
        if (seq < 0) {
          throw new NumberFormatException();
        }
        return seq - 1;
      }
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          "from_seq (or Last-Event-ID) must be a non-negative whole number", "from_seq");
    }
    return -1;
  }

  private void stream(SseClient client, Operator operator, CommandId id, long afterSeq) {
    Semaphore arrived = new Semaphore(0);
    long last = afterSeq;
    boolean toldTruncated = false;
    long quietSince = System.nanoTime();
    try (AutoCloseable following = outputs.follow(id, arrived::release)) {
      while (!client.terminated()) {
        CommandStatus status = commands.get(operator, id).status();
        List<OutputChunk> chunks;
        do {
          chunks = outputs.after(id, last, OUTPUT_PAGE);
          for (OutputChunk chunk : chunks) {
            client.sendEvent("output", outputEvent(chunk), Long.toString(chunk.seq()));
            last = chunk.seq();
          }
        } while (chunks.size() == OUTPUT_PAGE && !client.terminated());
        if (!toldTruncated && outputs.truncated(id)) {
          toldTruncated = true;
          client.sendEvent(
              "truncated",
              CanonicalJson.emptyObject()
                  .put("cap_bytes", CommandOutputs.CAP_BYTES)
                  .put("message", "the output passed the stored cap; the rest was dropped")
                  .toString());
        }
        if (status.isTerminal()) {
          // Read before the last chunks: a terminal command takes no more output, so none is
          // missed.
          client.sendEvent(
              "end", CanonicalJson.emptyObject().put("status", status.wireName()).toString());
          return;
        }
        if (!arrived.tryAcquire(1, TimeUnit.SECONDS)
            && System.nanoTime() - quietSince > KEEP_ALIVE.toNanos()) {
          client.sendComment("keep-alive");
          quietSince = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("output stream of " + id.value() + " failed", e);
    }
  }

  private static String outputEvent(OutputChunk chunk) {
    return CanonicalJson.emptyObject()
        .put("seq", chunk.seq())
        .put("stream", chunk.stream())
        .put("data", chunk.data())
        .put("at", chunk.at().toString())
        .toString();
  }

  static NewCommand newCommand(ObjectNode body) {
    String agentId = Bodies.requiredText(body, "agent_id", "asset_id");
    String type = Bodies.requiredText(body, "type", "command_type");
    ObjectNode params =
        Bodies.object(body, "params", "payload").orElseGet(CanonicalJson::emptyObject);
    Priority priority = Bodies.priority(body);
    Duration timeout =
        Bodies.integer(body, "timeout_seconds").map(Duration::ofSeconds).orElse(null);
    Optional<String> key = Bodies.text(body, "idempotency_key");
    key.ifPresent(
        value -> {
          if (value.isBlank() || value.length() > 255) {
            throw new InvalidInputException(
                "idempotency_key must be 1 to 255 characters", "idempotency_key");
          }
        });
    return new NewCommand(
        AgentId.of(agentId),
        type,
        params,
        priority,
        timeout,
        Bodies.instant(body, "expires_at").orElse(null),
        key.orElse(null));
  }

  private void list(Context ctx) {
    Operator operator = auth.operator(ctx);
    CommandQuery query = new CommandQuery(null, null, null, null, null);
    String agent =
        Optional.ofNullable(ctx.queryParam("agent_id")).orElse(ctx.queryParam("asset_id"));
    if (agent != null && !agent.isBlank()) {
      query = query.withAgent(AgentId.of(agent));
    }
    String status = ctx.queryParam("status");
    if (status != null && !status.isBlank()) {
      query = query.withStatus(QueryParams.status(status));
    }
    String rollout = ctx.queryParam("rollout_id");
    if (rollout != null && !rollout.isBlank()) {
      query = query.withRollout(rollout);
    }
    String type = ctx.queryParam("type");
    if (type != null && !type.isBlank()) {
      query = query.withType(type);
    }
    query = QueryParams.since(ctx).map(query::withSince).orElse(query);
    Page<Command> page = commands.list(operator, query, QueryParams.page(ctx));
    ctx.json(
        Map.of(
            "commands", page.items().stream().map(views::view).toList(),
            "next_cursor", page.nextCursor().orElse("")));
  }

  private void get(Context ctx) {
    Operator operator = auth.operator(ctx);
    ctx.json(views.view(commands.get(operator, commandId(ctx))));
  }

  private void cancel(Context ctx) {
    Operator operator = auth.operator(ctx);
    Command command = commands.cancel(operator, commandId(ctx));
    ctx.status(command.status() == CommandStatus.CANCELLED ? 200 : 202).json(views.view(command));
  }

  private void poll(Context ctx) {
    Agent agent = auth.agent(ctx);
    String status = ctx.queryParam("status");
    if (status != null
        && !status.isBlank()
        && QueryParams.status(status) != CommandStatus.PENDING) {
      throw new InvalidInputException("agents can only poll status=pending", "status");
    }
    int limit = QueryParams.integer(ctx, "limit").orElse(DEFAULT_POLL_LIMIT);
    List<PolledCommand> pending =
        delivery.pending(agent, limit).stream()
            .map(command -> PolledCommand.from(envelopes.envelopeFor(command), command.createdAt()))
            .toList();
    ctx.json(new PollResponse(pending, (int) pollInterval.toSeconds()));
  }

  private void acknowledge(Context ctx) {
    Agent agent = auth.agent(ctx);
    ReportOutcome outcome = delivery.acknowledge(agent, commandId(ctx));
    ctx.json(new AcknowledgeResponse(true, outcome.commandId()));
  }

  private void status(Context ctx) {
    Agent agent = auth.agent(ctx);
    ObjectNode body = bodies.object(ctx);
    CommandStatus status = QueryParams.status(Bodies.requiredText(body, "status"));
    ReportOutcome outcome =
        switch (status) {
          case ACCEPTED -> delivery.acknowledge(agent, commandId(ctx));
          case RUNNING -> delivery.start(agent, commandId(ctx));
          default ->
              throw new InvalidInputException(
                  "status must be accepted or running here; report results to /result", "status");
        };
    ctx.json(
        Map.of("command_id", outcome.commandId().value(), "status", outcome.status().wireName()));
  }

  private void result(Context ctx) {
    Agent agent = auth.agent(ctx);
    ResultReport report = bodies.as(ctx, ResultReport.class);
    ReportOutcome outcome = delivery.report(agent, commandId(ctx), ReportedResult.from(report));
    ctx.json(new ResultResponse(true, outcome.commandId(), outcome.status()));
  }

  static CommandId commandId(Context ctx) {
    String id = ctx.pathParam("id");
    if (id.isBlank() || id.length() > 64) {
      throw new InvalidInputException("not a command id: " + id, "id");
    }
    return CommandId.of(id);
  }
}
