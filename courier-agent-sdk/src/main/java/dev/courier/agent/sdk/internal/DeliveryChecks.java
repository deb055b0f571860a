package dev.courier.agent.sdk.internal;

import dev.courier.agent.sdk.ExecutorRegistry;
import dev.courier.protocol.CommandId;
import dev.courier.protocol.envelope.EnvelopeVerifier;
import dev.courier.protocol.envelope.SignedEnvelope;
import dev.courier.protocol.envelope.VerificationResult;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks a delivered command must pass before {@link CommandIntake} gives it a slot, and what
 * happens to one that fails them: a badly signed, misaddressed or expired envelope, or one of a
 * type no executor handles, is refused (reported {@code failed} without running); a redelivery of
 * one this agent already executed resends its stored result, is ignored once confirmed, or is
 * refused, because nothing runs twice. It exists apart from the intake so that "may this run?"
 * reads on its own, away from the slot and queue bookkeeping.
 *
 * <p>It holds no state and no lock of its own: the intake calls {@link #refusalOf} and {@link
 * #replayed} while holding its monitor, exactly as when they were its own methods.
 */
final class DeliveryChecks {

  // Logs under CommandIntake's name: these lines were the intake's before it was split, and
  // operators' log filters and the agent's log pattern know them by it.
  private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);

  private final ExecutorRegistry executors;
  private final EnvelopeVerifier verifier;
  private final ExecutedJournal journal;
  private final Outbox outbox;
  private final CommandIntake.Callbacks callbacks;
  private final ResultShaper shaper;
  private final Clock clock;

  DeliveryChecks(
      ExecutorRegistry executors,
      EnvelopeVerifier verifier,
      ExecutedJournal journal,
      Outbox outbox,
      CommandIntake.Callbacks callbacks,
      ResultShaper shaper,
      Clock clock) {
    this.executors = executors;
    this.verifier = verifier;
    this.journal = journal;
    this.outbox = outbox;
    this.callbacks = callbacks;
    this.shaper = shaper;
    this.clock = clock;
  }

  /** Why {@code envelope} must not run, or null when it may. */
  String refusalOf(SignedEnvelope envelope) {
    VerificationResult verdict = verifier.verify(envelope);
    if (verdict instanceof VerificationResult.Rejected rejected) {
      return "refused: " + rejected.detail();
    }
    if (executors.find(envelope.type()).isEmpty()) {
      return "unsupported command type " + envelope.type();
    }
    return null;
  }

  /** Handles a redelivery of {@code id}, which the journal says this agent already started. */
  void replayed(CommandId id) {
    if (outbox.contains(id)) {
      log.debug("{} delivered again; resending its stored result", id);
      callbacks.resendStored();
    } else if (journal.isConfirmed(id)) {
      log.info("{} delivered again after its result was confirmed; ignoring the replay", id);
    } else {
      // Journaled but no result: the agent stopped during execution. Never run it twice.
      Thread.ofVirtual()
          .start(
              () ->
                  refuse(
                      id,
                      "command "
                          + id
                          + " was already started by this agent; it is never executed twice"));
    }
  }

  /** Reports {@code id} failed without running it. */
  void refuse(CommandId id, String reason) {
    log.warn("Refusing command {}: {}", id, reason);
    callbacks.result(shaper.refused(id, reason, clock.instant()));
  }
}
