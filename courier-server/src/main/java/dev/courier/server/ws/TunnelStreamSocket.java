package dev.courier.server.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.server.auth.Operator;
import dev.courier.server.auth.Permission;
import dev.courier.server.error.CourierException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.UnauthorizedException;
import dev.courier.server.http.RequestAuth;
import dev.courier.server.http.RouteModule;
import dev.courier.server.tunnel.TunnelListener;
import dev.courier.server.tunnel.TunnelService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/tunnel/{session_id}/stream}: an operator's interactive terminal on their own
 * open tunnel session. Authenticated on the upgrade request by {@code Authorization: Bearer} or
 * {@code ?access_token=} (browsers cannot set headers on WebSockets), with the {@code
 * terminal:open} permission and the session's ownership checked before any WebSocket exists (401,
 * 403, 404, 409 as problem JSON). Messages are JSON text: {@code input} and {@code resize} from the
 * client; {@code output}, {@code status} and {@code error} from the server (docs/tunnels.md).
 */
public final class TunnelStreamSocket implements RouteModule {

  private static final Logger log = LoggerFactory.getLogger(TunnelStreamSocket.class);

  static final String PATH = "/api/v1/tunnel/{session_id}/stream";
  private static final String OPERATOR = "courier.tunnel.operator";
  private static final String STREAM = "courier.tunnel.stream";
  private static final String LOCK = "courier.tunnel.send-lock";
  private static final int DEFAULT_COLS = 80;
  private static final int DEFAULT_ROWS = 24;

  /** Close code when the session ends (closed by anyone, timed out, the agent gone). */
  static final int SESSION_ENDED = 4000;

  private final RequestAuth auth;
  private final TunnelService tunnels;
  private final ObjectMapper json;

  public TunnelStreamSocket(RequestAuth auth, TunnelService tunnels, ObjectMapper json) {
    this.auth = auth;
    this.tunnels = tunnels;
    this.json = json;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.wsBeforeUpgrade(PATH, this::beforeUpgrade);
    routes.ws(
        PATH,
        ws -> {
          ws.onConnect(this::connected);
          ws.onMessage(ctx -> message(ctx, ctx.message()));
          ws.onClose(
              ctx -> {
                TunnelService.Stream stream = ctx.attribute(STREAM);
                if (stream != null) {
                  tunnels.detach(stream);
                }
              });
          ws.onError(ctx -> log.debug("Tunnel stream error: {}", String.valueOf(ctx.error())));
        });
  }

  private void beforeUpgrade(Context ctx) {
    String token =
        RequestAuth.bearer(ctx)
            .or(() -> java.util.Optional.ofNullable(ctx.queryParam("access_token")))
            .filter(value -> !value.isBlank())
            .orElseThrow(
                () ->
                    new UnauthorizedException(
                        "log in first: Authorization: Bearer <access token> or ?access_token="));
    Operator operator = auth.operator(ctx, token);
    if (!operator.holds(Permission.TERMINAL_OPEN)) {
      throw new ForbiddenException(
          "the "
              + (operator.viaApiToken() ? "API token" : "role " + operator.role().wireName())
              + " does not have the permission terminal:open",
          operator.viaApiToken() ? "permissions" : "role");
    }
    tunnels.owned(operator, ctx.pathParam("session_id"), true);
    ctx.attribute(OPERATOR, operator);
  }

  private void connected(WsContext ctx) {
    ctx.enableAutomaticPings();
    ctx.attribute(LOCK, new ReentrantLock());
    Operator operator = ctx.attribute(OPERATOR);
    Listener listener = new Listener(ctx);
    try {
      TunnelService.Stream stream =
          tunnels.attach(
              operator,
              ctx.pathParam("session_id"),
              listener,
              size(ctx.queryParam("cols"), DEFAULT_COLS),
              size(ctx.queryParam("rows"), DEFAULT_ROWS),
              ctx.session.getRemoteSocketAddress() == null
                  ? null
                  : String.valueOf(ctx.session.getRemoteSocketAddress()));
      ctx.attribute(STREAM, stream);
    } catch (CourierException e) {
      listener.status("error", e.getMessage());
    }
  }

  private void message(WsContext ctx, String text) {
    TunnelService.Stream stream = ctx.attribute(STREAM);
    Listener listener = new Listener(ctx);
    if (stream == null) {
      listener.error("the stream is not attached to a session");
      return;
    }
    JsonNode message;
    try {
      message = json.readTree(text);
    } catch (JsonProcessingException e) {
      listener.error("messages are JSON objects: {\"type\":\"input\",\"data\":\"...\"}");
      return;
    }
    try {
      switch (message.path("type").asText("")) {
        case "input" -> {
          JsonNode data = message.get("data");
          if (data == null || !data.isTextual()) {
            listener.error("input needs a text field data");
            return;
          }
          tunnels.input(stream, data.asText());
        }
        case "resize" ->
            tunnels.resize(
                stream,
                size(message.path("cols").asText(null), DEFAULT_COLS),
                size(message.path("rows").asText(null), DEFAULT_ROWS));
        default -> listener.error("unknown message type; send input or resize");
      }
    } catch (CourierException e) {
      listener.error(e.getMessage());
    } catch (RuntimeException e) {
      log.error("Tunnel stream message failed", e);
      listener.error("the server failed to handle the message");
    }
  }

  private static int size(String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      int size = Integer.parseInt(value.trim());
      return size < 1 || size > 1000 ? fallback : size;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** Sends to one operator's socket; Jetty allows one send at a time. */
  private final class Listener implements TunnelListener {
    private final WsContext ctx;

    Listener(WsContext ctx) {
      this.ctx = ctx;
    }

    private ReentrantLock lock() {
      ReentrantLock lock = ctx.attribute(LOCK);
      return lock == null ? new ReentrantLock() : lock;
    }

    private void send(Map<String, Object> message) {
      ReentrantLock lock = lock();
      lock.lock();
      try {
        if (ctx.session.isOpen()) {
          ctx.send(json.writeValueAsString(message));
        }
      } catch (JsonProcessingException | RuntimeException e) {
        log.debug("Sending to a tunnel stream failed: {}", e.toString());
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void output(String data) {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("type", "output");
      message.put("data", data);
      send(message);
    }

    @Override
    public void status(String status, String reason) {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("type", "status");
      message.put("status", status);
      if (reason != null) {
        message.put("reason", reason);
      }
      send(message);
      if (status.equals("closed") || status.equals("error")) {
        try {
          ctx.closeSession(SESSION_ENDED, reason == null ? status : truncate(reason));
        } catch (RuntimeException e) {
          log.debug("Closing a tunnel stream failed: {}", e.toString());
        }
      }
    }

    @Override
    public void error(String error) {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("type", "error");
      message.put("error", error);
      send(message);
    }
  }

  /** A close reason fits in 123 bytes. */
  private static String truncate(String reason) {
    return reason.length() <= 100 ? reason : reason.substring(0, 100);
  }
}
