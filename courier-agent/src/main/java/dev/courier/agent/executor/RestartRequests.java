package dev.courier.agent.executor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * How {@code restart} and {@code upgrade} ask the agent process to restart: the process waits for
 * the first request, stops gracefully (the asking command's result is reported first, other running
 * commands get the grace) and exits with {@link #EXIT_CODE}, which the systemd unit restarts.
 */
public final class RestartRequests {

  /** The agent's exit status for "restart me" (EX_TEMPFAIL); distinct from 0, 1 and 2. */
  public static final int EXIT_CODE = 75;

  /** One request: why, and how long running commands may take to finish. */
  public record Request(String reason, Duration grace) {}

  private final CompletableFuture<Request> request = new CompletableFuture<>();

  /** Asks for a restart; later requests while one is pending are ignored. */
  public void request(String reason, Duration grace) {
    request.complete(new Request(reason, grace));
  }

  public boolean requested() {
    return request.isDone();
  }

  /** Blocks until a restart is requested. */
  public Request await() throws InterruptedException {
    try {
      return request.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }
}
