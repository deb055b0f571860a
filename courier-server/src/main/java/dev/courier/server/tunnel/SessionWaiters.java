package dev.courier.server.tunnel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.ProtocolJson;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requests on this node waiting for an agent: an open for its {@code tunnel_ready}, a command
 * line for its output. Notices, from this node or another, complete them.
 */
final class SessionWaiters {

  private static final ObjectMapper JSON = ProtocolJson.plainMapper();

  private final Map<String, CompletableFuture<String>> readyWaiters = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<JsonNode>> commandWaiters = new ConcurrentHashMap<>();

  /** Completes with null once the agent is ready, exceptionally with its refusal. */
  CompletableFuture<String> awaitReady(String sessionId) {
    CompletableFuture<String> ready = new CompletableFuture<>();
    readyWaiters.put(sessionId, ready);
    return ready;
  }

  void stopAwaitingReady(String sessionId, CompletableFuture<String> ready) {
    readyWaiters.remove(sessionId, ready);
  }

  /** Completes with the agent's {@code terminal_output} payload for the channel. */
  CompletableFuture<JsonNode> awaitOutput(String channel) {
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    commandWaiters.put(channel, answer);
    return answer;
  }

  void stopAwaitingOutput(String channel, CompletableFuture<JsonNode> answer) {
    commandWaiters.remove(channel, answer);
  }

  void ready(String sessionId) {
    CompletableFuture<String> waiter = readyWaiters.get(sessionId);
    if (waiter != null) {
      waiter.complete(null);
    }
  }

  void output(String channel, String payload) {
    CompletableFuture<JsonNode> waiter = commandWaiters.get(channel);
    if (waiter != null) {
      try {
        waiter.complete(JSON.readTree(payload));
      } catch (IOException e) {
        waiter.completeExceptionally(new IllegalStateException("unreadable output relayed"));
      }
    }
  }

  void failed(String channel, String error) {
    CompletableFuture<JsonNode> waiter = commandWaiters.get(channel);
    if (waiter != null) {
      waiter.completeExceptionally(
          new IllegalStateException("the agent failed the command: " + error));
    }
  }

  /** The session closed: its open and every command line of it fail with the reason. */
  void closed(String sessionId, String reason) {
    CompletableFuture<String> ready = readyWaiters.get(sessionId);
    if (ready != null) {
      ready.completeExceptionally(new IllegalStateException(reason));
    }
    String prefix = sessionId + ":";
    commandWaiters.forEach(
        (channel, waiter) -> {
          if (channel.startsWith(prefix)) {
            waiter.completeExceptionally(
                new IllegalStateException("the tunnel session was closed: " + reason));
          }
        });
  }
}
