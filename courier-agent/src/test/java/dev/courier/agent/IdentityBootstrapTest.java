package dev.courier.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.agent.executor.ExecutorSettings;
import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.protocol.AgentId;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityBootstrapTest {

  private static final String SERVER_KEY =
      "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=";

  @TempDir Path temp;

  private LaunchSettings settings(Path stateDir, String token, URI server) {
    return new LaunchSettings(
        Optional.ofNullable(server),
        Optional.ofNullable(token),
        stateDir,
        "host-1",
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(1),
        ExecutorSettings.denyAll(),
        OperatorSettings.defaults());
  }

  @Test
  void a_saved_identity_is_used_and_a_token_given_again_is_ignored() throws Exception {
    Path stateDir = temp.resolve("state");
    Files.createDirectories(stateDir);
    AgentIdentity saved =
        new AgentIdentity(AgentId.of("agent-1"), "secret", SERVER_KEY, URI.create("http://a:1"));
    saved.save(stateDir.resolve("identity.json"));

    AgentIdentity resolved =
        IdentityBootstrap.resolve(settings(stateDir, "tok", unreachableServer()), "1.0");

    assertThat(resolved).isEqualTo(saved);
  }

  @Test
  void a_failed_enrollment_leaves_no_identity_behind() throws IOException {
    Path stateDir = temp.resolve("state");

    LaunchException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            LaunchException.class,
            () -> IdentityBootstrap.resolve(settings(stateDir, "tok", unreachableServer()), "1.0"));

    assertThat(failure.exitCode()).isEqualTo(LaunchException.FAILURE);
    assertThat(stateDir.resolve("identity.json")).doesNotExist();
  }

  @Test
  void a_new_state_directory_is_private_to_the_agents_user() throws IOException {
    Path stateDir = temp.resolve("nested/state");

    StateDirectory.create(stateDir);

    assertThat(stateDir).isDirectory();
    if (Files.getFileStore(stateDir).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateDir)))
          .isEqualTo("rwx------");
    }
  }

  private static URI unreachableServer() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
