package dev.courier.agent.sdk;

/**
 * Where an executor streams output while it runs. The agent may forward chunks to the server as
 * {@code command_output} frames, or drop them when no socket is open; the final output belongs in
 * the {@link CommandOutcome}. Implementations never block the caller for long.
 */
public interface OutputSink {

  /**
   * Streams one chunk.
   *
   * @param stream {@code "stdout"} or {@code "stderr"}
   * @param text the chunk
   */
  void write(String stream, String text);
}
