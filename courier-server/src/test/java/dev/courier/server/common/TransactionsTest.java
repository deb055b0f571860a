package dev.courier.server.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.common.GroupCommitTest.RecordingTransactions;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TransactionsTest {

  private final RecordingTransactions transactions = new RecordingTransactions();

  @Test
  void joining_outside_a_transaction_commits_on_its_own() {
    transactions.joining(
        () -> {
          transactions.write("alone");
          return null;
        });

    assertThat(transactions.commits).containsExactly(List.of("alone"));
  }

  @Test
  void joining_inside_a_transaction_takes_no_savepoint_of_its_own() {
    // Only a caller that survives the failure can tell: the joined work's writes are not undone
    // apart from the enclosing transaction's, which is why no such caller may use it.
    surviveInsideTransaction(transactions::joining);

    assertThat(transactions.commits).containsExactly(List.of("written"));
  }

  @Test
  void a_nested_transaction_is_a_savepoint_that_undoes_its_own_writes() {
    surviveInsideTransaction(transactions::inTransaction);

    assertThat(transactions.commits).containsExactly(List.of());
  }

  /**
   * In a transaction, runs work that writes and then fails through {@code nested}, and goes on
   * after the failure.
   */
  private void surviveInsideTransaction(Function<Supplier<Void>, Void> nested) {
    transactions.inTransaction(
        () -> {
          assertThatThrownBy(
                  () ->
                      nested.apply(
                          () -> {
                            transactions.write("written");
                            throw new IllegalStateException("failed after writing");
                          }))
              .hasMessage("failed after writing");
          return null;
        });
  }
}
