package dev.courier.server.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is sane, else a new one. It
 * is echoed in the response, written into problem bodies and audit records, and logged.
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final String ATTRIBUTE = "courier.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  public static void assign(Context ctx) {
    String offered = ctx.header(HEADER);
    String id =
        offered != null && SANE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
  }

  public static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id != null ? id : "none";
  }
}
