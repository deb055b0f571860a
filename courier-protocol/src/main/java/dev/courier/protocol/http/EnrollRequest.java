package dev.courier.protocol.http;

import java.util.Map;
import java.util.Objects;

/** Body of {@code POST /api/v1/agents/enroll}; only the token and hostname are required. */
public record EnrollRequest(
    String enrollmentToken,
    String hostname,
    String os,
    String arch,
    String version,
    Map<String, String> labels) {

  /** Requires token and hostname. */
  public EnrollRequest {
    Objects.requireNonNull(enrollmentToken, "enrollment_token");
    Objects.requireNonNull(hostname, "hostname");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
