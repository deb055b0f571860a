package dev.courier.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP and WebSocket edge: Javalin on Jetty 12 with virtual threads. Owns request ids, the body
 * size limit, access control, audit and error mapping; features contribute routes as {@link
 * RouteModule}s.
 */
public final class HttpServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  private final Javalin app;
  private final RouteCatalog catalog = new RouteCatalog();
  private final String host;
  private final int requestedPort;

  public HttpServer(
      String host,
      int port,
      long maxBodyBytes,
      Duration shutdownTimeout,
      ObjectMapper json,
      ErrorMapping errors,
      AuditedEndpoints endpoints,
      List<RouteModule> modules) {
    this.host = host;
    this.requestedPort = port;
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.concurrency.useVirtualThreads = true;
              config.http.maxRequestSize = maxBodyBytes;
              config.http.defaultContentType = "application/json";
              // A known path with the wrong method says so, rather than claiming the path is
              // absent.
              config.http.prefer405over404 = true;
              config.jsonMapper(new JavalinJackson(json, true));
              config.staticFiles.enableWebjars();
              config.events.handlerAdded(
                  meta ->
                      catalog.add(meta.getHttpMethod().name(), meta.getPath(), meta.getRoles()));
              config.jetty.modifyServer(
                  server -> {
                    server.setStopTimeout(shutdownTimeout.toMillis());
                    server.setStopAtShutdown(false);
                  });
              config.routes.before(RequestIds::assign);
              errors.register(config.routes);
              config.router.handlerWrapper(endpoints);
              modules.forEach(module -> module.register(config.routes));
              // Modules holding open streams (server-sent events) end them before Jetty waits
              // for in-flight requests, so a console left open does not hold up a shutdown.
              config.events.serverStopping(
                  () ->
                      modules.stream()
                          .filter(AutoCloseable.class::isInstance)
                          .forEach(module -> closeQuietly((AutoCloseable) module)));
            });
  }

  private static void closeQuietly(AutoCloseable module) {
    try {
      module.close();
    } catch (Exception e) {
      log.warn("{} did not close cleanly", module.getClass().getSimpleName(), e);
    }
  }

  public HttpServer start() {
    app.start(host, requestedPort);
    log.info("HTTP listening on http://{}:{}", host, app.port());
    return this;
  }

  public int port() {
    return app.port();
  }

  public RouteCatalog routes() {
    return catalog;
  }

  /** Stops accepting connections and waits (up to the shutdown timeout) for in-flight requests. */
  @Override
  public void close() {
    app.stop();
  }
}
