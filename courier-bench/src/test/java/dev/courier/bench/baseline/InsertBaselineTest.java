package dev.courier.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class InsertBaselineTest {

  @Test
  void busy_and_its_extended_codes_count_as_busy_and_other_failures_do_not() {
    assertThat(InsertBaseline.isBusy(new SQLException("busy", null, 5))).isTrue();
    assertThat(InsertBaseline.isBusy(new SQLException("busy snapshot", null, 517))).isTrue();
    assertThat(InsertBaseline.isBusy(new SQLException("locked", null, 6))).isFalse();
    assertThat(InsertBaseline.isBusy(new SQLException("full", null, 13))).isFalse();
  }
}
