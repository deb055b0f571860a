package dev.courier.server.http;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Serves the OpenAPI 3.1 description at {@code /openapi.json} and a reader for it at {@code /docs}.
 * The document is maintained by hand next to the code; a test fails when a route is missing from
 * it.
 */
public final class OpenApiRoutes implements RouteModule {

  static final String RESOURCE = "/openapi.json";

  private final String document;
  private final String docsPage;

  public OpenApiRoutes() {
    this.document = load(RESOURCE);
    this.docsPage = DOCS_PAGE.replace("{ui}", "/webjars/swagger-ui/" + swaggerUiVersion());
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get(
        "/openapi.json",
        ctx -> ctx.contentType("application/json").result(document),
        Access.PUBLIC);
    routes.get("/docs", ctx -> ctx.html(docsPage), Access.PUBLIC);
  }

  /** WebJars serve under a versioned path; the version comes from the jar so it cannot drift. */
  private static String swaggerUiVersion() {
    Properties properties = new Properties();
    try (InputStream in =
        OpenApiRoutes.class.getResourceAsStream(
            "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the swagger-ui WebJar is missing from the class path");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  private static String load(String resource) {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the server's resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String DOCS_PAGE =
      """
      <!doctype html>
      <html lang="en">
      <head><meta charset="utf-8"><title>Courier API</title>
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <link rel="stylesheet" href="{ui}/swagger-ui.css"></head>
      <body><div id="api"></div>
      <script src="{ui}/swagger-ui-bundle.js"></script>
      <script>SwaggerUIBundle({url: '/openapi.json', dom_id: '#api'});</script>
      </body></html>
      """;
}
