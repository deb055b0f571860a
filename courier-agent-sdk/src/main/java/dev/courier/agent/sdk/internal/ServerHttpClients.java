package dev.courier.agent.sdk.internal;

import java.net.URI;
import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * Builders for the HTTP clients that talk to the Courier server.
 *
 * <p>Building a JDK {@link HttpClient} loads the default TLS context whether or not a request ever
 * uses TLS: the JSSE provider, its cipher suites and the JDK's trust store (about 150 parsed
 * certificates), some 300 classes and a megabyte of heap that stay with the agent for good. For a
 * server reached over plain {@code http} the client is given a context that refuses all TLS
 * instead; nothing else changes (the client follows no redirects, so it never leaves that server).
 * An {@code https} server gets the JDK's default context as before.
 */
public final class ServerHttpClients {

  private ServerHttpClients() {}

  /** A client builder for requests to {@code server} (and its WebSocket) only. */
  public static HttpClient.Builder newBuilder(URI server) {
    HttpClient.Builder builder = HttpClient.newBuilder();
    if ("http".equalsIgnoreCase(server.getScheme())) {
      builder.sslContext(new NoTls()).sslParameters(new SSLParameters());
    }
    return builder;
  }

  /** A TLS context for a client that must never need one. */
  static final class NoTls extends SSLContext {
    NoTls() {
      super(new Refusing(), null, "none");
    }
  }

  private static final class Refusing extends SSLContextSpi {

    private static UnsupportedOperationException refused() {
      return new UnsupportedOperationException(
          "this client talks to a plain-http Courier server and has no TLS");
    }

    @Override
    protected void engineInit(
        javax.net.ssl.KeyManager[] km,
        javax.net.ssl.TrustManager[] tm,
        java.security.SecureRandom random) {
      throw refused();
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw refused();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw refused();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw refused();
    }
  }
}
