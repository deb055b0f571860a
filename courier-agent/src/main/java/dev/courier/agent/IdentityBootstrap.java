package dev.courier.agent;

import dev.courier.agent.sdk.AgentIdentity;
import dev.courier.agent.sdk.Enrollment;
import dev.courier.agent.sdk.EnrollmentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the agent's identity: the one saved in the state directory, or a new one from enrolling
 * with a token (saved before the agent connects, because the server shows the key only once).
 */
final class IdentityBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(IdentityBootstrap.class);

  private IdentityBootstrap() {}

  static AgentIdentity resolve(LaunchSettings settings, String version) throws LaunchException {
    Path file = settings.identityFile();
    Optional<AgentIdentity> saved = load(file);
    if (saved.isPresent()) {
      if (settings.enrollToken().isPresent()) {
        LOG.info(
            "already enrolled as agent {} ({}); ignoring the enrollment token",
            saved.get().agentId(),
            file);
      }
      return saved.get();
    }
    if (settings.enrollToken().isEmpty()) {
      throw new LaunchException(
          LaunchException.USAGE,
          "no agent identity in "
              + file
              + " and no enrollment token: run once with --enroll TOKEN"
              + " (or COURIER_AGENT_ENROLL_TOKEN) and --server URL");
    }
    if (settings.server().isEmpty()) {
      throw new LaunchException(
          LaunchException.USAGE, "--server URL (or COURIER_AGENT_SERVER) is required to enroll");
    }
    return enroll(settings, version, file);
  }

  private static Optional<AgentIdentity> load(Path file) throws LaunchException {
    try {
      return AgentIdentity.load(file);
    } catch (IllegalStateException | UncheckedIOException e) {
      throw new LaunchException(LaunchException.FAILURE, e.getMessage());
    }
  }

  private static AgentIdentity enroll(LaunchSettings settings, String version, Path file)
      throws LaunchException {
    AgentIdentity identity;
    try {
      identity =
          new Enrollment(settings.server().orElseThrow())
              .enroll(
                  settings.enrollToken().orElseThrow(),
                  settings.hostname(),
                  version,
                  settings.labels());
    } catch (EnrollmentException e) {
      throw new LaunchException(LaunchException.FAILURE, "enrollment failed: " + e.getMessage());
    }
    try {
      StateDirectory.create(settings.stateDir());
      identity.save(file);
    } catch (IOException | UncheckedIOException e) {
      throw new LaunchException(
          LaunchException.FAILURE,
          "enrolled as agent "
              + identity.agentId()
              + " but cannot save the identity to "
              + file
              + ": "
              + e.getMessage()
              + " (the token is used up; create a new one)");
    }
    LOG.info(
        "enrolled with {} as agent {} ({}); identity saved to {}",
        identity.server(),
        identity.agentId(),
        settings.hostname(),
        file);
    return identity;
  }
}
