package dev.courier.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.courier.agent.sdk.internal.DurableFiles;
import dev.courier.protocol.AgentId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentIdentityTest {

  private static final AgentIdentity IDENTITY =
      new AgentIdentity(
          AgentId.of("agent-1"),
          "ck_agent_secret",
          "cHVibGlj",
          URI.create("http://localhost:8080"));

  @TempDir Path dir;

  @Test
  void a_saved_identity_loads_back_equal() {
    Path file = dir.resolve("nested/identity.json");

    IDENTITY.save(file);

    assertThat(AgentIdentity.load(file)).contains(IDENTITY);
  }

  @Test
  void the_saved_file_is_readable_by_the_owner_only() throws IOException {
    assumeThat(DurableFiles.posix()).isTrue();
    Path file = dir.resolve("identity.json");

    IDENTITY.save(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void saving_again_replaces_the_file_and_leaves_no_temporary_file() throws IOException {
    Path file = dir.resolve("identity.json");
    IDENTITY.save(file);
    AgentIdentity rotated =
        new AgentIdentity(
            IDENTITY.agentId(), "ck_new", IDENTITY.serverPublicKey(), IDENTITY.server());

    rotated.save(file);

    assertThat(AgentIdentity.load(file)).contains(rotated);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void a_missing_file_loads_as_empty() {
    assertThat(AgentIdentity.load(dir.resolve("absent.json"))).isEmpty();
  }

  @Test
  void a_corrupt_file_fails_with_a_message_naming_it() throws IOException {
    Path file = dir.resolve("identity.json");
    Files.writeString(file, "{\"agent_id\": \"a\", \"agent_key\": ");

    assertThatThrownBy(() -> AgentIdentity.load(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt");
  }

  @Test
  void a_file_missing_a_field_is_corrupt() throws IOException {
    Path file = dir.resolve("identity.json");
    Files.writeString(file, "{\"agent_id\": \"a\", \"server\": \"http://x\"}");

    assertThatThrownBy(() -> AgentIdentity.load(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  void blank_fields_are_refused_and_the_key_never_shows_in_text() {
    assertThatThrownBy(() -> new AgentIdentity(AgentId.of("a"), " ", "k", URI.create("http://x")))
        .hasMessageContaining("agentKey");
    assertThatThrownBy(() -> new AgentIdentity(AgentId.of("a"), "k", "", URI.create("http://x")))
        .hasMessageContaining("serverPublicKey");
    assertThat(IDENTITY.toString()).doesNotContain("ck_agent_secret");
  }
}
