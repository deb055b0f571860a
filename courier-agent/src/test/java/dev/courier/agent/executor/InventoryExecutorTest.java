package dev.courier.agent.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.agent.sdk.CommandOutcome;
import dev.courier.protocol.CommandStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InventoryExecutorTest {

  private static final InventoryExecutor INVENTORY = new InventoryExecutor(new LazySystemInfo());

  @Test
  void collects_every_section_with_real_values_by_default() throws Exception {
    CommandOutcome outcome = INVENTORY.execute(FakeContext.of("collect_inventory", "{}"));

    assertThat(outcome.status()).as(outcome.error()).isEqualTo(CommandStatus.COMPLETED);
    JsonNode inventory = outcome.metadata();
    assertThat(inventory.path("hostname").asText()).isNotBlank();
    Path kernelHostname = Path.of("/proc/sys/kernel/hostname");
    if (Files.isReadable(kernelHostname)) {
      assertThat(inventory.path("hostname").asText())
          .isEqualTo(Files.readString(kernelHostname).trim());
    }
    assertThat(inventory.path("sections"))
        .extracting(JsonNode::asText)
        .containsExactlyElementsOf(InventoryExecutor.sectionNames());
    assertThat(inventory.path("os").path("family").asText()).isNotBlank();
    assertThat(inventory.path("os").path("bitness").asInt()).isIn(32, 64);
    assertThat(inventory.path("os").path("kernel").asText())
        .contains(System.getProperty("os.version"));
    assertThat(inventory.path("cpu").path("model").asText()).isNotBlank();
    assertThat(inventory.path("cpu").path("physical_cores").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(inventory.path("cpu").path("logical_cores").asInt())
        .isGreaterThanOrEqualTo(inventory.path("cpu").path("physical_cores").asInt());
    assertThat(inventory.path("memory").path("total_bytes").asLong()).isPositive();
    assertThat(inventory.path("disks").isArray()).isTrue();
    assertThat(inventory.path("file_systems")).isNotEmpty();
    for (JsonNode fileSystem : inventory.path("file_systems")) {
      assertThat(fileSystem.path("total_bytes").asLong()).isPositive();
      assertThat(fileSystem.path("free_bytes").asLong())
          .isBetween(0L, fileSystem.path("total_bytes").asLong());
      assertThat(fileSystem.path("available_bytes").asLong())
          .isBetween(0L, fileSystem.path("free_bytes").asLong());
      assertThat(fileSystem.path("used_percent").asDouble()).isBetween(0.0, 100.0);
    }
    assertThat(inventory.path("network").isArray()).isTrue();
    for (JsonNode nic : inventory.path("network")) {
      assertThat(nic.path("name").asText()).isNotBlank();
      assertThat(nic.path("ipv4").isArray()).isTrue();
    }
    assertThat(inventory.path("uptime").path("uptime_seconds").asLong()).isPositive();
    assertThat(inventory.path("uptime").path("boot_time").asText()).matches("\\d{4}-.*Z");
    assertThat(inventory.path("java").path("version").asText())
        .isEqualTo(Runtime.version().toString());
    assertThat(outcome.output()).startsWith("inventory of " + inventory.path("hostname").asText());
  }

  @Test
  void sections_limits_the_report_to_the_named_sections() {
    CommandOutcome outcome =
        INVENTORY.execute(
            FakeContext.of("collect_inventory", "{\"sections\":[\"memory\",\"cpu\",\"memory\"]}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.COMPLETED);
    assertThat(outcome.metadata().path("sections"))
        .extracting(JsonNode::asText)
        .containsExactly("cpu", "memory");
    assertThat(outcome.metadata().has("network")).isFalse();
    assertThat(outcome.metadata().path("hostname").asText()).isNotBlank();
  }

  @Test
  void an_unknown_section_fails_naming_it() {
    CommandOutcome outcome =
        INVENTORY.execute(FakeContext.of("collect_inventory", "{\"sections\":[\"cpu\",\"gpu\"]}"));

    assertThat(outcome.status()).isEqualTo(CommandStatus.FAILED);
    assertThat(outcome.error()).startsWith("params.sections").contains("unknown section: gpu");
  }

  @Test
  void sections_that_is_not_an_array_of_strings_fails() {
    assertThat(
            INVENTORY
                .execute(FakeContext.of("collect_inventory", "{\"sections\":\"cpu\"}"))
                .error())
        .isEqualTo("params.sections must be an array of strings");
    assertThat(INVENTORY.execute(FakeContext.of("collect_inventory", "{\"sections\":[1]}")).error())
        .isEqualTo("params.sections must be an array of strings");
    assertThat(INVENTORY.execute(FakeContext.of("collect_inventory", "{\"sections\":[]}")).error())
        .isEqualTo("params.sections must name at least one section");
  }

  @Test
  void a_cancelled_command_stops_between_sections() {
    CommandOutcome outcome = INVENTORY.execute(FakeContext.of("collect_inventory", "{}").cancel());

    assertThat(outcome.status()).isEqualTo(CommandStatus.CANCELLED);
  }
}
