package dev.courier.agent.sdk.internal;

import java.net.URI;

/** Builds API URLs below a server base URL that may itself carry a path prefix. */
public final class ServerUrls {

  private ServerUrls() {}

  /** {@code base} plus {@code path} (which starts with {@code /}), keeping any prefix of base. */
  public static URI resolve(URI base, String path) {
    String text = base.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text + path);
  }

  /** The WebSocket URL for {@code path}: http becomes ws, https becomes wss. */
  public static URI webSocket(URI base, String path) {
    URI http = resolve(base, path);
    String scheme = "https".equalsIgnoreCase(http.getScheme()) ? "wss" : "ws";
    return URI.create(scheme + http.toString().substring(http.getScheme().length()));
  }
}
