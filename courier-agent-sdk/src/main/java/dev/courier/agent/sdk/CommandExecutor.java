package dev.courier.agent.sdk;

/**
 * Runs one command type. Implementations are registered in an {@link ExecutorRegistry}, directly or
 * as {@link java.util.ServiceLoader} plugins ({@code
 * META-INF/services/dev.courier.agent.sdk.CommandExecutor}).
 *
 * <p>The agent calls {@link #execute(CommandContext)} on its own thread once per command id, after
 * the command's signature, addressee, expiry and the executed-id journal were checked. An executor
 * should poll {@link CommandContext#isCancelled()} in long loops and start processes through {@link
 * CommandContext#processes()}, which kills them on cancel and at the deadline. The thread is
 * interrupted on cancel and timeout.
 */
public interface CommandExecutor {

  /** The command type this executor handles, e.g. {@code "echo"}; unique within a registry. */
  String type();

  /**
   * Runs the command.
   *
   * @return the outcome to report; {@code completed} or {@code failed} normally
   * @throws Exception reported as {@code failed} with the exception's message (or as {@code
   *     cancelled} / {@code timed_out} when the command was cancelled or ran out of time)
   */
  CommandOutcome execute(CommandContext context) throws Exception;
}
