package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.internal.AgentLink.Ack;
import dev.courier.agent.sdk.internal.AgentLink.Delivery;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.CommandStatus;
import dev.courier.protocol.OutputStreamName;
import dev.courier.protocol.frame.AgentFrame;
import dev.courier.protocol.frame.AgentFrame.CommandResult;
import dev.courier.protocol.frame.FrameCodec;
import dev.courier.protocol.frame.ServerFrame;
import java.io.IOException;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the agent sends over one {@link SocketSession}'s WebSocket: frames one at a time, live
 * output through a bounded queue (so a chatty command never waits on the network), and the
 * acknowledge and result frames whose {@code ack}/{@code error} reply the caller waits for. It
 * exists apart from the session so that the connection's lifecycle and the request/reply protocol
 * can each be read on one screen.
 *
 * <p>Locking: {@code sendLock} is held around each {@code sendText}, because the JDK WebSocket
 * accepts only one outstanding send at a time; it is never held while waiting for a reply. {@code
 * replies} is a concurrent map of waiters keyed by frame type and command id: a waiter registers
 * before sending and removes its own entry when done, the {@link ServerFrameDispatcher} removes and
 * completes it when the reply arrives, and {@link #failReplies()} fails all of them when the
 * session closes.
 */
final class SocketSender {

  // Logs under SocketSession's name: these lines were the session's before it was split, and
  // operators' log filters and the agent's log pattern know them by it.
  private static final Logger log = LoggerFactory.getLogger(SocketSession.class);

  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
  private static final int OUTPUT_QUEUE = 256;

  private final SocketSession session;
  private final FrameCodec codec;
  private final Clock clock;
  private final Map<String, CompletableFuture<ServerFrame>> replies = new ConcurrentHashMap<>();
  private final ReentrantLock sendLock = new ReentrantLock();
  private final BlockingQueue<AgentFrame> outputQueue = new ArrayBlockingQueue<>(OUTPUT_QUEUE);
  private final AtomicLong outputSeq = new AtomicLong();

  SocketSender(SocketSession session, FrameCodec codec, Clock clock) {
    this.session = session;
    this.codec = codec;
    this.clock = clock;
  }

  /** Reports {@code accepted} and waits for the server to confirm this agent may run it. */
  Ack acknowledge(CommandId id) {
    CompletableFuture<ServerFrame> reply = expect("command_status", id);
    try {
      send(new AgentFrame.CommandStatusReport(id, CommandStatus.ACCEPTED, clock.instant()));
      ServerFrame answer = reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return switch (answer) {
        case ServerFrame.Ack ignored -> Ack.ACCEPTED;
        case ServerFrame.ErrorFrame error -> {
          log.info("Not executing {}: {} ({})", id, error.message(), error.code());
          yield error.code().equals("internal") ? Ack.UNAVAILABLE : Ack.REFUSED;
        }
        default -> Ack.UNAVAILABLE;
      };
    } catch (IOException | ExecutionException | TimeoutException e) {
      log.warn("Acknowledge of {} got no answer: {}", id, e.toString());
      return Ack.UNAVAILABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Ack.UNAVAILABLE;
    } finally {
      replies.remove(key("command_status", id), reply);
    }
  }

  /** Reports {@code running}; best effort, no reply expected. */
  void reportRunning(CommandId id) {
    try {
      send(new AgentFrame.CommandStatusReport(id, CommandStatus.RUNNING, clock.instant()));
    } catch (IOException e) {
      log.debug("Running report for {} not sent: {}", id, e.toString());
    }
  }

  /** Sends a result and waits for the server to record (or refuse) it. */
  Delivery sendResult(CommandResult result) {
    CommandId id = result.commandId();
    CompletableFuture<ServerFrame> reply = expect("command_result", id);
    try {
      send(result);
      ServerFrame answer = reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return switch (answer) {
        case ServerFrame.Ack ignored -> Delivery.CONFIRMED;
        case ServerFrame.ErrorFrame error
            when error.code().equals(ServerFrame.ErrorFrame.CONFLICT) -> {
          log.info("Result of {} was already recorded: {}", id, error.message());
          yield Delivery.CONFIRMED;
        }
        case ServerFrame.ErrorFrame error
            when error.code().equals("not_found")
                || error.code().equals(ServerFrame.ErrorFrame.INVALID_PAYLOAD) -> {
          log.warn("Server refused the result of {}; dropping it: {}", id, error.message());
          yield Delivery.REJECTED;
        }
        default -> Delivery.RETRY;
      };
    } catch (IOException | ExecutionException | TimeoutException e) {
      log.debug("Result of {} not confirmed over the socket: {}", id, e.toString());
      return Delivery.RETRY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Delivery.RETRY;
    } finally {
      replies.remove(key("command_result", id), reply);
    }
  }

  /** Queues a {@code command_output} chunk; dropped when the queue is full or the socket down. */
  void output(CommandId id, String stream, String text) {
    if (!session.isOpen()) {
      return;
    }
    OutputStreamName name;
    try {
      name = OutputStreamName.fromWire(stream);
    } catch (IllegalArgumentException e) {
      name = OutputStreamName.STDOUT;
    }
    outputQueue.offer(new AgentFrame.CommandOutput(id, outputSeq.getAndIncrement(), name, text));
  }

  /** Drains the output queue until interrupted; runs on the session's output thread. */
  void sendOutput() {
    try {
      while (true) {
        AgentFrame frame = outputQueue.take();
        try {
          send(frame);
        } catch (IOException e) {
          outputQueue.clear();
        }
      }
    } catch (InterruptedException e) {
      // session over
    }
  }

  /** Completes the waiter for {@code of}/{@code id} with the server's answer, if one waits. */
  void replied(String of, CommandId id, ServerFrame frame) {
    if (of == null) {
      return;
    }
    CompletableFuture<ServerFrame> reply = replies.remove(key(of, id));
    if (reply != null) {
      reply.complete(frame);
    }
  }

  private CompletableFuture<ServerFrame> expect(String of, CommandId id) {
    CompletableFuture<ServerFrame> reply = new CompletableFuture<>();
    if (session.isClosed()) {
      reply.completeExceptionally(new IOException("socket closed"));
    } else {
      replies.put(key(of, id), reply);
    }
    return reply;
  }

  /** Fails every waiter: the session is closed and no reply will come. */
  void failReplies() {
    replies.values().forEach(r -> r.completeExceptionally(new IOException("socket closed")));
    replies.clear();
  }

  private static String key(String of, CommandId id) {
    return of + "|" + (id == null ? "" : id.value());
  }

  /** Sends one frame; frames are sent one at a time as the JDK WebSocket requires. */
  void send(AgentFrame frame) throws IOException {
    WebSocket ws = session.socket();
    if (ws == null || session.isClosed()) {
      throw new IOException("socket closed");
    }
    String text = codec.encode(frame);
    sendLock.lock();
    try {
      ws.sendText(text, true).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      session.abort();
      throw new IOException("send failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    } finally {
      sendLock.unlock();
    }
  }
}
