package dev.courier.server.config;

import dev.courier.server.store.DatabaseOptions.SqliteSynchronous;
import dev.courier.server.tunnel.TunnelSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Resolves every {@link Setting} from, in order of precedence: command-line flags, {@code
 * COURIER_*} environment variables, the optional configuration file, and the defaults. Errors name
 * the setting and where its bad value came from.
 */
public final class ConfigLoader {

  private final Map<Setting, String> flags;
  private final Map<String, String> environment;

  public ConfigLoader(Map<Setting, String> flags, Map<String, String> environment) {
    this.flags = new EnumMap<>(Setting.class);
    this.flags.putAll(flags);
    this.environment = Map.copyOf(environment);
  }

  public ServerConfig load() {
    Map<Setting, String> file = readFile();
    Resolver resolve = new Resolver(file);
    Path dataDir = Path.of(resolve.required(Setting.DATA_DIR));
    String dbUrl =
        resolve
            .optional(Setting.DB_URL)
            .orElseGet(() -> "jdbc:sqlite:" + dataDir.resolve("courier.db"));
    return new ServerConfig(
        resolve.required(Setting.HOST),
        resolve.integer(Setting.PORT),
        dataDir,
        dbUrl,
        resolve.optional(Setting.DB_USER),
        resolve.optional(Setting.DB_PASSWORD),
        resolve.integer(Setting.DB_POOL_SIZE),
        resolve.choice(Setting.SQLITE_SYNCHRONOUS, SqliteSynchronous.class),
        resolve.optional(Setting.ADMIN_PASSWORD),
        resolve.longValue(Setting.MAX_BODY_BYTES),
        Duration.ofSeconds(resolve.integer(Setting.SHUTDOWN_TIMEOUT_SECONDS)),
        Duration.ofSeconds(resolve.integer(Setting.HEARTBEAT_SECONDS)),
        Duration.ofSeconds(resolve.integer(Setting.POLL_INTERVAL_SECONDS)),
        Duration.ofSeconds(resolve.integer(Setting.TIMEOUT_GRACE_SECONDS)),
        new RateLimitSettings(
            resolve.integer(Setting.RATE_COMMANDS_PER_MINUTE),
            resolve.integer(Setting.RATE_COMMANDS_BURST),
            resolve.integer(Setting.RATE_LOGIN_FAILURES_PER_USER),
            resolve.integer(Setting.RATE_LOGIN_FAILURES_PER_ADDRESS),
            Duration.ofSeconds(resolve.integer(Setting.RATE_LOGIN_WINDOW_SECONDS)),
            resolve.integer(Setting.RATE_LIMIT_MAX_KEYS)),
        TunnelSettings.defaults()
            .withLimits(
                Duration.ofSeconds(resolve.integer(Setting.TUNNEL_IDLE_TIMEOUT_SECONDS)),
                Duration.ofSeconds(resolve.integer(Setting.TUNNEL_MAX_DURATION_SECONDS)),
                resolve.integer(Setting.TUNNEL_MAX_SESSIONS_PER_USER),
                resolve.integer(Setting.TUNNEL_COMMANDS_PER_MINUTE),
                resolve.longValue(Setting.TUNNEL_TRANSCRIPT_CAP_BYTES)));
  }

  private Map<Setting, String> readFile() {
    String location =
        Optional.ofNullable(flags.get(Setting.CONFIG))
            .or(() -> Optional.ofNullable(environment.get(Setting.CONFIG.envName())))
            .orElse(null);
    if (location == null) {
      return Map.of();
    }
    Path path = Path.of(location);
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException("config: cannot read '" + path + "': " + e.getMessage());
    }
    Map<String, Setting> byKey =
        Stream.of(Setting.values())
            .filter(setting -> setting != Setting.CONFIG)
            .collect(Collectors.toMap(Setting::fileKey, setting -> setting));
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    for (String key : properties.stringPropertyNames()) {
      Setting setting = byKey.get(key);
      if (setting == null) {
        throw new ConfigException(
            "config: unknown key '" + key + "' in " + path + " (known: " + byKey.keySet() + ")");
      }
      values.put(setting, properties.getProperty(key).trim());
    }
    return values;
  }

  /** Looks a setting up through the sources in precedence order, remembering where it came from. */
  private final class Resolver {
    private final Map<Setting, String> file;

    Resolver(Map<Setting, String> file) {
      this.file = file;
    }

    Optional<String> optional(Setting setting) {
      return source(setting).map(Sourced::value);
    }

    String required(Setting setting) {
      return optional(setting)
          .orElseThrow(() -> new ConfigException(setting.fileKey() + ": is required"));
    }

    int integer(Setting setting) {
      long value = longValue(setting);
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw invalid(setting, "is out of range");
      }
      return (int) value;
    }

    long longValue(Setting setting) {
      String raw = required(setting);
      try {
        return Long.parseLong(raw.trim());
      } catch (NumberFormatException e) {
        throw invalid(setting, "is not a whole number");
      }
    }

    <E extends Enum<E>> E choice(Setting setting, Class<E> type) {
      String raw = required(setting).trim().toUpperCase(Locale.ROOT);
      try {
        return Enum.valueOf(type, raw);
      } catch (IllegalArgumentException e) {
        throw invalid(
            setting, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
      }
    }

    private ConfigException invalid(Setting setting, String problem) {
      Sourced sourced = source(setting).orElseThrow();
      return new ConfigException(
          setting.fileKey()
              + ": '"
              + sourced.value()
              + "' "
              + problem
              + " (from "
              + sourced.origin()
              + ")");
    }

    private Optional<Sourced> source(Setting setting) {
      String flag = flags.get(setting);
      if (flag != null) {
        return Optional.of(new Sourced(flag, "flag " + setting.flag().orElse(setting.fileKey())));
      }
      String env = environment.get(setting.envName());
      if (env != null && !env.isBlank()) {
        return Optional.of(new Sourced(env, "environment variable " + setting.envName()));
      }
      String fromFile = file.get(setting);
      if (fromFile != null && !fromFile.isEmpty()) {
        return Optional.of(new Sourced(fromFile, "configuration file key " + setting.fileKey()));
      }
      return setting.defaultValue().map(value -> new Sourced(value, "default"));
    }
  }

  private record Sourced(String value, String origin) {}
}
