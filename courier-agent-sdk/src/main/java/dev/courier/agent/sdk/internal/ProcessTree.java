package dev.courier.agent.sdk.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Kills a process together with everything it started. */
public final class ProcessTree {

  private ProcessTree() {}

  /**
   * Asks the process and all its descendants to terminate, waits up to {@code grace}, then kills
   * whatever is left. Descendants are listed <em>before</em> anything is signalled: once a parent
   * dies its children are re-parented and no longer show up as its descendants.
   */
  public static void kill(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>();
    root.descendants().forEach(tree::add);
    tree.add(root);
    tree.forEach(ProcessHandle::destroy);
    CompletableFuture<?>[] exits =
        tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(exits).get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // fall through to the forced kill
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Anything started during the grace period is caught by a second look at the tree.
    if (root.isAlive()) {
      root.descendants().forEach(tree::add);
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
