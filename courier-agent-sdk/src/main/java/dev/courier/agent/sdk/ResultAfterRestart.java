package dev.courier.agent.sdk;

/**
 * Thrown by an executor whose command is finished by the agent's next run, not this one (an
 * upgrade: only the new version can tell whether it came up). No result is reported now; the
 * command stays journaled as started, so it never runs again. The next run must announce it with
 * {@link CourierAgent#expectLateResult} before {@link CourierAgent#start()} (else it is reported
 * {@code failed} as interrupted) and report it with {@link CourierAgent#reportLateResult}.
 */
public final class ResultAfterRestart extends Exception {

  private static final long serialVersionUID = 1L;

  public ResultAfterRestart(String message) {
    super(message);
  }
}
