package dev.courier.agent.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class ServerHttpClientsTest {

  @Test
  void a_client_for_a_plain_http_server_does_not_load_the_default_tls_context() {
    try (HttpClient client =
        ServerHttpClients.newBuilder(URI.create("http://courier.internal:8080")).build()) {
      assertThat(client.sslContext()).isInstanceOf(ServerHttpClients.NoTls.class);
    }
  }

  @Test
  void the_plain_http_client_refuses_tls_instead_of_using_an_unchecked_context() {
    try (HttpClient client =
        ServerHttpClients.newBuilder(URI.create("HTTP://courier.internal")).build()) {
      assertThatThrownBy(() -> client.sslContext().createSSLEngine("courier.internal", 443))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("plain-http");
    }
  }

  @Test
  void a_client_for_an_https_server_uses_the_default_tls_context() throws Exception {
    try (HttpClient client =
        ServerHttpClients.newBuilder(URI.create("https://courier.example.com")).build()) {
      assertThat(client.sslContext()).isSameAs(SSLContext.getDefault());
    }
  }
}
