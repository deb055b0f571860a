package dev.courier.protocol.frame;

import java.util.Optional;

/**
 * A frame could not be read. The receiving side answers with an {@code error} frame whose code is
 * {@link #errorCode()} rather than dropping the connection silently.
 */
public final class FrameDecodeException extends RuntimeException {

  /** What was wrong with the frame. */
  public enum Kind {
    /** Not JSON, or not an object with a string {@code type}. */
    MALFORMED(ServerFrame.ErrorFrame.MALFORMED_FRAME),
    /** A {@code type} this side does not accept. */
    UNKNOWN_TYPE(ServerFrame.ErrorFrame.UNKNOWN_TYPE),
    /** The payload lacks a required field or has a wrong value. */
    INVALID_PAYLOAD(ServerFrame.ErrorFrame.INVALID_PAYLOAD);

    private final String errorCode;

    Kind(String errorCode) {
      this.errorCode = errorCode;
    }
  }

  private final Kind kind;
  private final String frameType;

  FrameDecodeException(Kind kind, String frameType, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.frameType = frameType;
  }

  /** What was wrong. */
  public Kind kind() {
    return kind;
  }

  /** The {@code type} the frame claimed, when it got that far. */
  public Optional<String> frameType() {
    return Optional.ofNullable(frameType);
  }

  /** The {@code code} for the {@code error} frame sent back. */
  public String errorCode() {
    return kind.errorCode;
  }
}
