package dev.courier.bench.baseline;

/**
 * The agent-footprint baseline: a JVM with the agent's options that does nothing but stay alive, so
 * the agent's RSS can be read against the cost of the JVM itself.
 */
public final class IdleJvm {

  private IdleJvm() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("idle");
    Thread.currentThread().join();
  }
}
