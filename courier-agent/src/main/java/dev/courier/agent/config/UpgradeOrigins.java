package dev.courier.agent.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where {@code upgrade} may download from: the origin (scheme, host, port) of the server the agent
 * talks to, plus the origins the operator lists in {@code upgrade_origins}. Nothing else.
 */
public record UpgradeOrigins(List<String> origins) {

  public UpgradeOrigins {
    origins = List.copyOf(origins);
  }

  /** The server's origin and the extra ones (which must already be valid origins). */
  public static UpgradeOrigins of(Optional<URI> server, List<String> extra) {
    List<String> all = new ArrayList<>();
    server.flatMap(uri -> parseOrigin(uri.toString())).ifPresent(all::add);
    for (String origin : extra) {
      parseOrigin(origin).filter(o -> !all.contains(o)).ifPresent(all::add);
    }
    return new UpgradeOrigins(all);
  }

  /** True when {@code url} is http(s) and its origin is one of these. */
  public boolean allows(URI url) {
    return parseOrigin(url.toString()).map(origins::contains).orElse(false);
  }

  /** {@code scheme://host:port} with the default port made explicit, or empty if not http(s). */
  public static Optional<String> parseOrigin(String text) {
    URI uri;
    try {
      uri = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      return Optional.empty();
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.empty();
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
  }
}
