package dev.courier.server.store;

import dev.courier.server.common.SettingsRepository;
import java.time.Clock;
import java.util.Optional;

final class JdbcSettingsRepository implements SettingsRepository {
  private final Jdbc jdbc;
  private final Clock clock;

  JdbcSettingsRepository(Jdbc jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public Optional<String> get(String key) {
    return jdbc.queryOne(
        "SELECT value FROM system_settings WHERE key = ?",
        p -> p.string(key),
        row -> row.string("value"));
  }

  @Override
  public void put(String key, String value) {
    jdbc.update(
        "INSERT INTO system_settings (key, value, updated_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
            + " updated_at = excluded.updated_at",
        p -> p.string(key).string(value).instant(clock.instant()));
  }

  @Override
  public String putIfAbsent(String key, String value) {
    jdbc.update(
        "INSERT INTO system_settings (key, value, updated_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (key) DO NOTHING",
        p -> p.string(key).string(value).instant(clock.instant()));
    return get(key).orElseThrow();
  }
}
