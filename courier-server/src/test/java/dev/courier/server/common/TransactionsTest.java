package dev.courier.server.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.common.GroupCommitTest.RecordingTransactions;
import java.util.List;
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
    transactions.inTransaction(
        () -> {
          assertThatThrownBy(
                  () ->
                      transactions.joining(
                          () -> {
                            transactions.write("joined");
                            throw new IllegalStateException("failed after writing");
                          }))
              .hasMessage("failed after writing");
          return null;
        });

    assertThat(transactions.commits).containsExactly(List.of("joined"));
  }

  @Test
  void a_nested_transaction_is_a_savepoint_that_undoes_its_own_writes() {
    transactions.inTransaction(
        () -> {
          assertThatThrownBy(
                  () ->
                      transactions.inTransaction(
                          () -> {
                            transactions.write("nested");
                            throw new IllegalStateException("failed after writing");
                          }))
              .hasMessage("failed after writing");
          return null;
        });

    assertThat(transactions.commits).containsExactly(List.of());
  }
}
