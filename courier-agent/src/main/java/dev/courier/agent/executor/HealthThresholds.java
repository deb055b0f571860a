package dev.courier.agent.executor;

/**
 * When {@code health_check} calls a host unhealthy: memory or any file system used above these
 * percentages.
 */
public record HealthThresholds(double memoryPercent, double diskPercent) {

  public HealthThresholds {
    if (!(memoryPercent >= 0 && memoryPercent <= 100)
        || !(diskPercent >= 0 && diskPercent <= 100)) {
      throw new IllegalArgumentException("health thresholds must be percentages (0..100)");
    }
  }

  /** 95 % memory, 95 % disk. */
  public static HealthThresholds defaults() {
    return new HealthThresholds(95.0, 95.0);
  }
}
