package dev.courier.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.server.store.DatabaseOptions.SqliteSynchronous;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void defaults_give_sqlite_under_the_data_dir_on_localhost_8080() {
    ServerConfig config = new ConfigLoader(Map.of(), Map.of()).load();

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dbUrl()).isEqualTo("jdbc:sqlite:" + Path.of("./data/courier.db"));
    assertThat(config.usesSqlite()).isTrue();
    assertThat(config.sqliteSynchronous()).isEqualTo(SqliteSynchronous.FULL);
    assertThat(config.adminPassword()).isEmpty();
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void flags_win_over_environment_which_wins_over_the_file() throws IOException {
    Path file = dir.resolve("courier.properties");
    Files.writeString(file, "port=7000\nhost=0.0.0.0\ndb-pool-size=4\n");

    ServerConfig config =
        new ConfigLoader(
                Map.of(Setting.PORT, "9000", Setting.CONFIG, file.toString()),
                Map.of("COURIER_PORT", "8000", "COURIER_HOST", "::1"))
            .load();

    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.host()).isEqualTo("::1");
    assertThat(config.dbPoolSize()).isEqualTo(4);
  }

  @Test
  void data_dir_moves_the_default_database() {
    ServerConfig config =
        new ConfigLoader(Map.of(Setting.DATA_DIR, dir.toString()), Map.of()).load();

    assertThat(config.dbUrl()).isEqualTo("jdbc:sqlite:" + dir.resolve("courier.db"));
  }

  @Test
  void a_bad_number_names_the_setting_its_value_and_where_it_came_from() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of(), Map.of("COURIER_PORT", "eighty")).load())
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "port: 'eighty' is not a whole number (from environment variable COURIER_PORT)");
  }

  @Test
  void a_port_out_of_range_is_refused() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of(Setting.PORT, "70000"), Map.of()).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("port: 70000 is not between 0 and 65535");
  }

  @Test
  void an_unsupported_database_url_is_refused() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of(Setting.DB_URL, "jdbc:mysql://localhost/x"), Map.of())
                    .load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("db-url");
  }

  @Test
  void an_unknown_synchronous_level_lists_the_allowed_ones() {
    assertThatThrownBy(
            () -> new ConfigLoader(Map.of(), Map.of("COURIER_SQLITE_SYNCHRONOUS", "OFF")).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be one of [FULL, NORMAL]");
  }

  @Test
  void an_unknown_key_in_the_file_is_refused_so_typos_do_not_pass_silently() throws IOException {
    Path file = dir.resolve("courier.properties");
    Files.writeString(file, "prot=7000\n");

    assertThatThrownBy(
            () -> new ConfigLoader(Map.of(Setting.CONFIG, file.toString()), Map.of()).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'prot'");
  }

  @Test
  void a_missing_config_file_is_reported_with_its_path() {
    Path missing = dir.resolve("absent.properties");

    assertThatThrownBy(
            () -> new ConfigLoader(Map.of(), Map.of("COURIER_CONFIG", missing.toString())).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config: cannot read '" + missing + "'");
  }

  @Test
  void a_short_admin_password_is_refused() {
    assertThatThrownBy(
            () -> new ConfigLoader(Map.of(), Map.of("COURIER_ADMIN_PASSWORD", "short")).load())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("admin-password");
  }

  @Test
  void secrets_have_no_command_line_flag() {
    assertThat(Setting.ADMIN_PASSWORD.flag()).isEmpty();
    assertThat(Setting.DB_PASSWORD.flag()).isEmpty();
  }

  @Test
  void every_setting_is_documented_in_the_configuration_reference() throws IOException {
    String reference = Files.readString(Path.of("../docs/configuration.md"));

    for (Setting setting : Setting.values()) {
      assertThat(reference).as(setting.name()).contains("`" + setting.envName() + "`");
      setting.flag().ifPresent(flag -> assertThat(reference).contains("`" + flag + "`"));
    }
  }
}
