package dev.courier.protocol.http;

/**
 * An {@code application/problem+json} error body (RFC 9457) with Courier's optional {@code field}
 * naming the offending input.
 */
public record Problem(String type, String title, int status, String detail, String field) {

  /** The media type of problem bodies. */
  public static final String MEDIA_TYPE = "application/problem+json";
}
