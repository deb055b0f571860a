package dev.courier.server.agent;

/** A new enrollment token with its secret, which is shown this once and stored only as a hash. */
public record IssuedEnrollmentToken(EnrollmentToken token, String secret) {}
