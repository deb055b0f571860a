package dev.courier.server.error;

import java.util.Optional;

/**
 * The one exception taxonomy of the server. Domain code throws these; the HTTP edge maps each kind
 * to a status code and a problem+json body in exactly one place.
 */
public abstract sealed class CourierException extends RuntimeException
    permits InvalidInputException,
        UnauthorizedException,
        ForbiddenException,
        NotFoundException,
        ConflictException,
        TooLargeException,
        RateLimitedException,
        UnavailableException {

  private final String field;

  protected CourierException(String message, String field) {
    super(message);
    this.field = field;
  }

  protected CourierException(String message, String field, Throwable cause) {
    super(message, cause);
    this.field = field;
  }

  /**
   * The request field the problem is about, when there is one (for example {@code params.branch}).
   */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }
}
