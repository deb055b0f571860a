package dev.courier.server.auth;

/** A new API token with its secret, which is shown this once and stored only as a hash. */
public record IssuedApiToken(ApiToken token, String secret) {}
