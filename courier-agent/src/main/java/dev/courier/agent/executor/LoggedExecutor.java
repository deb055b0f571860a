package dev.courier.agent.executor;

import dev.courier.agent.sdk.CommandContext;
import dev.courier.agent.sdk.CommandExecutor;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.agent.sdk.ExecutorRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each command's start and finish around another executor, so an operator reading the agent's
 * journal sees every command it ran, built-in or plugin.
 */
final class LoggedExecutor implements CommandExecutor {

  private static final Logger LOG = LoggerFactory.getLogger("dev.courier.agent.Commands");

  private final CommandExecutor delegate;

  private LoggedExecutor(CommandExecutor delegate) {
    this.delegate = delegate;
  }

  /** The same types, each wrapped. */
  static ExecutorRegistry wrapAll(ExecutorRegistry registry) {
    ExecutorRegistry wrapped = ExecutorRegistry.of();
    for (String type : registry.capabilities()) {
      wrapped = wrapped.with(new LoggedExecutor(registry.find(type).orElseThrow()));
    }
    return wrapped;
  }

  @Override
  public String type() {
    return delegate.type();
  }

  @Override
  public CommandOutcome execute(CommandContext context) throws Exception {
    LOG.info("command {} {} started", context.commandId(), context.type());
    long started = System.nanoTime();
    try {
      CommandOutcome outcome = delegate.execute(context);
      long millis = (System.nanoTime() - started) / 1_000_000;
      if (outcome == null) {
        LOG.warn(
            "command {} {} returned no outcome after {} ms", context.commandId(), type(), millis);
      } else if (outcome.error() == null) {
        LOG.info(
            "command {} {} {} in {} ms",
            context.commandId(),
            type(),
            outcome.status().wireName(),
            millis);
      } else {
        LOG.info(
            "command {} {} {} in {} ms: {}",
            context.commandId(),
            type(),
            outcome.status().wireName(),
            millis,
            outcome.error());
      }
      return outcome;
    } catch (Exception | Error e) {
      LOG.warn(
          "command {} {} threw after {} ms: {}",
          context.commandId(),
          type(),
          (System.nanoTime() - started) / 1_000_000,
          e.toString());
      throw e;
    }
  }
}
