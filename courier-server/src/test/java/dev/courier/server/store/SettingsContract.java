package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

abstract class SettingsContract extends StoreContract {

  @Test
  void a_setting_is_absent_until_put_and_put_replaces_it() {
    assertThat(repos.settings().get("jwt.secret")).isEmpty();

    repos.settings().put("jwt.secret", "one");
    repos.settings().put("jwt.secret", "two");

    assertThat(repos.settings().get("jwt.secret")).contains("two");
  }

  @Test
  void put_if_absent_keeps_the_first_value() {
    String first = repos.settings().putIfAbsent("signing.key", "first");
    String second = repos.settings().putIfAbsent("signing.key", "second");

    assertThat(first).isEqualTo("first");
    assertThat(second).isEqualTo("first");
    assertThat(repos.settings().get("signing.key")).contains("first");
  }
}
