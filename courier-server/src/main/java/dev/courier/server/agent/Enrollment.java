package dev.courier.server.agent;

import java.util.Map;

/** An agent's enrollment request (DESIGN §3 bootstrapping contract). */
public record Enrollment(
    String enrollmentToken,
    String hostname,
    String os,
    String arch,
    String version,
    Map<String, String> labels) {}
