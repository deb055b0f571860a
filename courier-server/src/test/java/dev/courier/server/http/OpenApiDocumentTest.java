package dev.courier.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.server.testing.ApiClient;
import dev.courier.server.testing.TestDatabases;
import dev.courier.server.testing.TestServer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Holds the hand-maintained {@code openapi.json} to the server: it must be valid OpenAPI 3.1,
 * describe exactly the routes the server registers, and say who may call each one and how errors
 * look.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {

  /**
   * Registered but deliberately not described: the Swagger UI page that renders the document, and
   * the operator console's pages (a client of the API, not part of it).
   */
  private static final Set<String> UNDOCUMENTED_ROUTES =
      Set.of("GET /docs", "GET /", "GET /console/{file}");

  /** Static files (Swagger UI's WebJar) are served under this prefix and are not routes. */
  private static final String WEBJARS = "/webjars/";

  /** Javalin handler kinds that are filters around routes, not routes. */
  private static final Set<String> FILTERS =
      Set.of("BEFORE", "BEFORE_MATCHED", "AFTER_MATCHED", "AFTER", "WEBSOCKET_AFTER_UPGRADE");

  /** Operations anyone may call without a credential. */
  private static final Set<String> PUBLIC_OPERATIONS =
      Set.of(
          "POST /api/v1/auth/login",
          "POST /api/v1/agents/enroll",
          "GET /healthz",
          "GET /readyz",
          "GET /openapi.json");

  private static final Set<String> SCHEMES = Set.of("operatorJwt", "agentKey");
  private static final String PROBLEM_REF = "#/components/schemas/Problem";

  private TestServer server;
  private String document;
  private SwaggerParseResult parsed;
  private OpenAPI api;

  @BeforeAll
  void startServerAndParse() throws IOException {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(OpenApiRoutes.RESOURCE)) {
      assertThat(in).as("openapi.json on the class path").isNotNull();
      document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    parsed = new OpenAPIV3Parser().readContents(document, null, new ParseOptions());
    api = parsed.getOpenAPI();
    server = TestServer.start(TestDatabases.Kind.SQLITE);
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void the_document_is_openapi_3_1_that_parses_without_errors_or_warnings() {
    assertThat(parsed.getMessages()).as("parser messages").isEmpty();
    assertThat(api).isNotNull();
    assertThat(api.getSpecVersion()).isEqualTo(SpecVersion.V31);
    assertThat(api.getOpenapi()).startsWith("3.1.");
    assertThat(api.getInfo().getTitle()).isEqualTo("Courier");
    assertThat(api.getInfo().getVersion()).isEqualTo("0.1.0");
  }

  @Test
  void the_document_describes_exactly_the_routes_the_server_registers() {
    Set<String> registered = new TreeSet<>();
    for (String route : server.server().http().routes().routes()) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1);
      if (FILTERS.contains(method)
          || UNDOCUMENTED_ROUTES.contains(route)
          || path.startsWith(WEBJARS)) {
        continue;
      }
      // The agent WebSocket is registered as its upgrade handler; on the wire it is a GET.
      registered.add(
          normalize(("WEBSOCKET_BEFORE_UPGRADE".equals(method) ? "GET" : method) + " " + path));
    }
    Set<String> documented =
        operations().keySet().stream()
            .map(OpenApiDocumentTest::normalize)
            .collect(Collectors.toCollection(TreeSet::new));

    assertThat(registered).as("routes the server registers").isNotEmpty();
    assertThat(documented).as("documented operations").isEqualTo(registered);
  }

  @Test
  void the_server_serves_this_document_as_json_at_openapi_json() {
    ApiClient.Response response = server.api().get("/openapi.json");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.body()).isEqualTo(document);
  }

  @Test
  void every_operation_has_an_id_a_summary_and_says_which_credential_it_accepts() {
    List<String> operationIds = new ArrayList<>();
    operations()
        .forEach(
            (route, operation) -> {
              assertThat(operation.getOperationId()).as(route + " operationId").isNotBlank();
              assertThat(operation.getSummary()).as(route + " summary").isNotBlank();
              operationIds.add(operation.getOperationId());
              assertThat(operation.getSecurity())
                  .as(route + " must declare its security explicitly")
                  .isNotNull();
              if (PUBLIC_OPERATIONS.contains(route)) {
                assertThat(operation.getSecurity()).as(route + " is public").isEmpty();
              } else {
                assertThat(operation.getSecurity()).as(route + " needs a credential").isNotEmpty();
                Set<String> schemes = new TreeSet<>();
                operation
                    .getSecurity()
                    .forEach(requirement -> schemes.addAll(requirement.keySet()));
                assertThat(schemes).as(route + " schemes").isNotEmpty().isSubsetOf(SCHEMES);
              }
            });
    assertThat(operationIds).as("operationIds are unique").doesNotHaveDuplicates();
    assertThat(api.getComponents().getSecuritySchemes()).containsOnlyKeys(SCHEMES);
  }

  @Test
  void every_error_response_is_a_problem_document() {
    operations()
        .forEach(
            (route, operation) ->
                operation
                    .getResponses()
                    .forEach(
                        (code, response) -> {
                          if (code.startsWith("4") || code.startsWith("5")) {
                            Map<String, MediaType> content = response.getContent();
                            assertThat(content)
                                .as(route + " " + code + " content")
                                .isNotNull()
                                .containsOnlyKeys("application/problem+json");
                            assertThat(
                                    content.get("application/problem+json").getSchema().get$ref())
                                .as(route + " " + code + " schema")
                                .isEqualTo(PROBLEM_REF);
                          }
                        }));
  }

  @Test
  void the_problem_schema_names_every_field_the_server_writes() {
    Schema<?> problem = api.getComponents().getSchemas().get("Problem");
    Set<String> described = problem.getProperties().keySet();
    for (ApiClient.Response response :
        List.of(
            server.api().get("/no-such-path"),
            server.admin().get("/api/v1/commands?limit=0"),
            server.api().get("/api/v1/agents"))) {
      assertThat(response.contentType()).startsWith("application/problem+json");
      Set<String> written = new TreeSet<>();
      Iterator<String> names = response.json().fieldNames();
      names.forEachRemaining(written::add);
      assertThat(described).as(response.toString()).containsAll(written);
      assertThat(written).as(response.toString()).containsAll(problem.getRequired());
    }
  }

  @Test
  void documented_success_shapes_name_the_fields_real_responses_carry() {
    JsonNode login =
        server
            .api()
            .post(
                "/api/v1/auth/login",
                Map.of("username", "admin", "password", TestServer.ADMIN_PASSWORD))
            .json();
    assertDescribed("TokenResponse", login);
    assertDescribed("Health", server.api().get("/healthz").json());
    assertDescribed("Readiness", server.api().get("/readyz").json());

    TestServer.EnrolledTestAgent agent = server.enrollAgent("openapi-shapes");
    JsonNode created =
        server
            .admin()
            .post(
                "/api/v1/commands",
                Map.of("asset_id", agent.id(), "command_type", "echo", "payload", Map.of()))
            .json();
    assertDescribed("Command", created);
    assertDescribed("Agent", server.admin().get("/api/v1/agents/" + agent.id()).json());
    assertDescribed("CommandPage", server.admin().get("/api/v1/commands").json());
    assertDescribed("AgentList", server.admin().get("/api/v1/agents").json());
    JsonNode poll = server.api().as(agent.key()).get("/api/v1/commands?status=pending").json();
    assertDescribed("PollResponse", poll);
    assertDescribed("PolledCommand", poll.path("commands").get(0));

    TestServer.EnrolledTestAgent retiring = server.enrollAgent("openapi-credentials");
    assertDescribed(
        "RotatedKey",
        server
            .api()
            .as(retiring.key())
            .post("/api/v1/agents/" + retiring.id() + "/rotate-key", Map.of())
            .json());
    JsonNode decommissioned = server.admin().delete("/api/v1/agents/" + retiring.id()).json();
    assertDescribed("DecommissionResponse", decommissioned);
    assertDescribed("Agent", decommissioned.path("agent"));

    JsonNode apiToken =
        server
            .admin()
            .post(
                "/api/v1/api-tokens",
                Map.of("name", "openapi-shapes", "permissions", List.of("commands:read")))
            .json();
    assertDescribed("ApiTokenCreated", apiToken);
    server.api().as(apiToken.path("token").asText()).get("/api/v1/commands");
    JsonNode apiTokens = server.admin().get("/api/v1/api-tokens").json();
    assertDescribed("ApiTokenList", apiTokens);
    assertDescribed("ApiToken", apiTokens.path("api_tokens").get(0));

    JsonNode tenant =
        server.admin().post("/api/v1/tenants", Map.of("name", "openapi-shapes")).json();
    assertDescribed("Tenant", tenant);
    assertDescribed("TenantList", server.admin().get("/api/v1/tenants").json());
    JsonNode user =
        server
            .admin()
            .post(
                "/api/v1/users",
                Map.of(
                    "username",
                    "openapi-shapes",
                    "role",
                    "auditor",
                    "tenant_id",
                    tenant.path("id").asText()))
            .json();
    assertDescribed("UserCreated", user);
    assertDescribed("User", server.admin().get("/api/v1/users/" + user.path("id").asText()).json());
    assertDescribed("UserList", server.admin().get("/api/v1/users").json());
  }

  /** Every field of {@code actual} is a documented property, and every required one is there. */
  private void assertDescribed(String schemaName, JsonNode actual) {
    Schema<?> schema = api.getComponents().getSchemas().get(schemaName);
    assertThat(schema).as(schemaName).isNotNull();
    Set<String> written = new TreeSet<>();
    actual.fieldNames().forEachRemaining(written::add);
    assertThat(schema.getProperties().keySet())
        .as(schemaName + " vs " + actual)
        .containsAll(written);
    assertThat(written).as(schemaName + " vs " + actual).containsAll(schema.getRequired());
  }

  private Map<String, Operation> operations() {
    Map<String, Operation> operations = new LinkedHashMap<>();
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, operation) -> operations.put(method + " " + path, operation)));
    return operations;
  }

  /** Path parameter names may differ between Javalin and the document; their places may not. */
  private static String normalize(String route) {
    return route.replaceAll("\\{[^}/]+}", "{}");
  }
}
