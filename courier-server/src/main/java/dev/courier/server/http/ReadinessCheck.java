package dev.courier.server.http;

/** Something {@code /readyz} asks before it says the server can take traffic. */
public interface ReadinessCheck {

  /** A short name shown in the readiness answer, e.g. {@code database}. */
  String name();

  /** Returns normally when ready; throws with a reason when not. */
  void check() throws Exception;
}
