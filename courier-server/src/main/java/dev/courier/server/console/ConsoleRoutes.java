package dev.courier.server.console;

import dev.courier.server.http.Access;
import dev.courier.server.http.RouteModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The operator console: static pages and ES modules from the class path ({@code /console/}), served
 * at {@code /} by the server itself. The pages are clients of the public JSON API; nothing here
 * reads data. Every response carries a strict Content-Security-Policy: scripts and styles from this
 * origin only, no inline code, no framing.
 */
public final class ConsoleRoutes implements RouteModule {

  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; manifest-src 'self';"
          + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final String ROOT = "/console/";
  private static final java.util.List<String> TERMINAL_WEBJARS =
      java.util.List.of(
          "/META-INF/resources/webjars/xterm/4.9.0/lib/xterm.js",
          "/META-INF/resources/webjars/xterm-addon-fit/0.3.0/lib/xterm-addon-fit.js");
  private static final Pattern FILE = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(js|css|html|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "html", "text/html; charset=utf-8",
          "svg", "image/svg+xml");

  private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

  public ConsoleRoutes() {
    if (read("index.html").isEmpty()) {
      throw new IllegalStateException("the console's index.html is missing from the class path");
    }
    // The terminal page loads these by path (terminal.js names the versions).
    for (String webjar : TERMINAL_WEBJARS) {
      if (ConsoleRoutes.class.getResource(webjar) == null) {
        throw new IllegalStateException(webjar + " is missing from the class path");
      }
    }
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/", ctx -> serve(ctx, "index.html"), Access.PUBLIC);
    routes.get("/console/{file}", ctx -> serve(ctx, ctx.pathParam("file")), Access.PUBLIC);
  }

  private void serve(Context ctx, String name) {
    if (!FILE.matcher(name).matches()) {
      throw new NotFoundResponse("no such console file");
    }
    byte[] body = read(name).orElseThrow(() -> new NotFoundResponse("no such console file"));
    String extension = name.substring(name.lastIndexOf('.') + 1);
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("Cache-Control", "no-cache")
        .contentType(TYPES.get(extension))
        .result(body);
  }

  private Optional<byte[]> read(String name) {
    return files.computeIfAbsent(
        name,
        file -> {
          try (InputStream in = ConsoleRoutes.class.getResourceAsStream(ROOT + file)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
