package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileSystemUsageTest {

  @Test
  void used_percent_matches_df_and_ignores_blocks_reserved_for_root() {
    // 100 blocks: 20 used, 80 free of which 5 are reserved for root: df says 20 / (20 + 75).
    FileSystemUsage.Usage usage = new FileSystemUsage.Usage("/", "ext4", "/dev/sda1", 100, 80, 75);

    assertThat(usage.usedBytes()).isEqualTo(20);
    assertThat(Json.percent(usage.usedFraction())).isEqualTo(21.1);
    assertThat(usage.toJson().path("available_bytes").asLong()).isEqualTo(75);
  }

  @Test
  void an_empty_file_system_is_zero_percent_used() {
    assertThat(new FileSystemUsage.Usage("/x", "tmpfs", null, 0, 0, 0).usedFraction()).isZero();
  }
}
