package dev.courier.agent.terminal;

import java.util.ArrayList;
import java.util.List;

/** Kills a process together with everything it started. */
final class ProcessTrees {

  private ProcessTrees() {}

  /**
   * SIGKILL to the process and all its descendants, listed before anything is signalled (once a
   * parent dies its children are re-parented and no longer show up as its descendants). A terminal
   * that closes takes its jobs with it; an interactive shell ignores the polite SIGTERM anyway. The
   * root dies first, so it cannot react to its children's deaths (a script's next line).
   */
  static void killNow(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    tree.forEach(ProcessHandle::destroyForcibly);
    // Anything forked while we were listing is caught by a second look at what we knew.
    List.copyOf(tree).forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
  }
}
