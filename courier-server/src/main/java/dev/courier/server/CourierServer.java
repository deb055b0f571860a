package dev.courier.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.server.config.ServerConfig;
import dev.courier.server.http.ErrorMapping;
import dev.courier.server.http.HealthRoutes;
import dev.courier.server.http.HttpServer;
import dev.courier.server.http.JsonMappers;
import dev.courier.server.http.OpenApiRoutes;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the whole server from its configuration with plain constructors, top
 * to bottom, and stops it in the reverse order (stop accepting, drain, close storage).
 */
public final class CourierServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CourierServer.class);

  private final HttpServer http;

  private CourierServer(HttpServer http) {
    this.http = http;
  }

  public static CourierServer start(ServerConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static CourierServer start(ServerConfig config, Clock clock) {
    long startedAt = System.nanoTime();
    ObjectMapper json = JsonMappers.create();
    ErrorMapping errors = new ErrorMapping(json);
    HttpServer http =
        new HttpServer(
            config.host(),
            config.port(),
            config.maxBodyBytes(),
            config.shutdownTimeout(),
            json,
            errors,
            List.of(new HealthRoutes(List.of(), errors)::register, new OpenApiRoutes()));
    http.start();
    log.info("Courier ready in {} ms", (System.nanoTime() - startedAt) / 1_000_000);
    return new CourierServer(http);
  }

  public int port() {
    return http.port();
  }

  public HttpServer http() {
    return http;
  }

  @Override
  public void close() {
    log.info("Courier stopping");
    http.close();
    log.info("Courier stopped");
  }
}
