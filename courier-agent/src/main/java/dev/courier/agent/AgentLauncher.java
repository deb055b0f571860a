package dev.courier.agent;

/** Runs an agent with validated settings; a seam so flag parsing is testable without one. */
@FunctionalInterface
interface AgentLauncher {

  /** Runs until stopped; returns the process exit code. */
  int launch(LaunchSettings settings) throws LaunchException, InterruptedException;
}
