package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import dev.courier.server.common.Transactions;

/**
 * Holds each notification until the transaction that caused it commits: an agent told of a command
 * before its row is visible would acknowledge a command the server cannot yet find, and a waiter
 * woken for a result that is rolled back would answer with a state that never was.
 */
public final class NotifyAfterCommit implements CommandNotifier {
  private final Transactions transactions;
  private final CommandNotifier target;

  public NotifyAfterCommit(Transactions transactions, CommandNotifier target) {
    this.transactions = transactions;
    this.target = target;
  }

  @Override
  public void commandReady(Command command) {
    transactions.afterCommit(() -> target.commandReady(command));
  }

  @Override
  public void cancelRequested(Command command) {
    transactions.afterCommit(() -> target.cancelRequested(command));
  }

  @Override
  public void commandFinished(CommandId command) {
    transactions.afterCommit(() -> target.commandFinished(command));
  }
}
