package dev.courier.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.courier.server.error.ConflictException;
import dev.courier.server.error.CourierException;
import dev.courier.server.error.ForbiddenException;
import dev.courier.server.error.InvalidInputException;
import dev.courier.server.error.NotFoundException;
import dev.courier.server.error.RateLimitedException;
import dev.courier.server.error.TooLargeException;
import dev.courier.server.error.UnauthorizedException;
import dev.courier.server.error.UnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: every exception kind maps to a status code and
 * an {@code application/problem+json} body. Nothing else in the server writes error responses.
 */
public final class ErrorMapping {

  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

  private final ObjectMapper json;

  public ErrorMapping(ObjectMapper json) {
    this.json = json;
  }

  public void register(RoutesConfig routes) {
    routes.exception(CourierException.class, (e, ctx) -> courier(e, ctx));
    routes.exception(HttpResponseException.class, (e, ctx) -> framework(e, ctx));
    routes.exception(JsonProcessingException.class, (e, ctx) -> badJson(e, ctx));
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("Unhandled error in {} {}", ctx.method(), ctx.path(), e);
          write(ctx, 500, "An internal error occurred; see the server log.", null);
        });
    // Requests that reached no route, or a route's status without a body, still get a problem body.
    routes.error(404, "*", ctx -> fillIfEmpty(ctx, "No such resource: " + ctx.path()));
    routes.error(405, "*", ctx -> fillIfEmpty(ctx, "Method not allowed on " + ctx.path()));
  }

  /** Writes a problem document; also used by handlers that answer an error without throwing. */
  public void write(Context ctx, int status, String detail, String field) {
    drainUnreadBody(ctx, status);
    Problem problem = Problem.of(status, detail, field, RequestIds.of(ctx));
    try {
      ctx.status(status).contentType(Problem.CONTENT_TYPE).result(json.writeValueAsString(problem));
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /**
   * A request refused before its handler read the body (authentication, permission) leaves the body
   * unread, and Jetty then answers {@code Connection: close}: the client loses its pooled
   * connection. Reading the body, already capped at the size limit, keeps the connection alive. A
   * body refused for its size is not read again.
   */
  private static void drainUnreadBody(Context ctx, int status) {
    if (status == 413) {
      return;
    }
    try {
      ctx.bodyAsBytes();
    } catch (RuntimeException unreadable) {
      // the connection will be closed; the answer still goes out
    }
  }

  private void courier(CourierException e, Context ctx) {
    int status = statusOf(e);
    if (e instanceof RateLimitedException limited) {
      ctx.header("Retry-After", Long.toString(Math.max(1, limited.retryAfter().toSeconds())));
    }
    if (e instanceof UnauthorizedException) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    if (status >= 500) {
      log.warn("{} {} unavailable: {}", ctx.method(), ctx.path(), e.getMessage(), e.getCause());
    }
    write(ctx, status, e.getMessage(), e.field().orElse(null));
  }

  static int statusOf(CourierException e) {
    return switch (e) {
      case InvalidInputException ignored -> 400;
      case UnauthorizedException ignored -> 401;
      case ForbiddenException ignored -> 403;
      case NotFoundException ignored -> 404;
      case ConflictException ignored -> 409;
      case TooLargeException ignored -> 413;
      case RateLimitedException ignored -> 429;
      case UnavailableException ignored -> 503;
    };
  }

  private void framework(HttpResponseException e, Context ctx) {
    String detail =
        e.getStatus() == 413
            ? "The request body is larger than the server accepts."
            : e.getMessage() == null || e.getMessage().isBlank()
                ? Problem.titleFor(e.getStatus())
                : e.getMessage();
    write(ctx, e.getStatus(), detail, null);
  }

  private void badJson(JsonProcessingException e, Context ctx) {
    String field = null;
    if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      field =
          mismatch.getPath().stream()
              .map(
                  ref ->
                      ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
    }
    String detail =
        "The request body is not valid JSON for this endpoint: " + e.getOriginalMessage();
    write(ctx, 400, detail, field);
  }

  private void fillIfEmpty(Context ctx, String detail) {
    String contentType = ctx.res().getContentType();
    if (contentType == null || !contentType.startsWith(Problem.CONTENT_TYPE)) {
      write(ctx, ctx.statusCode(), detail, null);
    }
  }
}
