package dev.courier.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpgradeOriginsTest {

  private final UpgradeOrigins origins =
      UpgradeOrigins.of(
          Optional.of(URI.create("https://courier.example.com")),
          List.of("http://mirror.example.org:8080"));

  @Test
  void downloads_are_allowed_from_the_servers_origin_and_listed_ones_only() {
    assertThat(origins.allows(URI.create("https://courier.example.com/agent/2.0.jar"))).isTrue();
    assertThat(origins.allows(URI.create("https://courier.example.com:443/a.jar"))).isTrue();
    assertThat(origins.allows(URI.create("http://mirror.example.org:8080/a.jar"))).isTrue();

    assertThat(origins.allows(URI.create("http://courier.example.com/a.jar"))).isFalse();
    assertThat(origins.allows(URI.create("https://courier.example.com:8443/a.jar"))).isFalse();
    assertThat(origins.allows(URI.create("https://evil.example.net/a.jar"))).isFalse();
    assertThat(origins.allows(URI.create("https://user@courier.example.com/a.jar"))).isFalse();
    assertThat(origins.allows(URI.create("file:///tmp/a.jar"))).isFalse();
  }
}
