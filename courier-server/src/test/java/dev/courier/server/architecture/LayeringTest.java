package dev.courier.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Pins the server's layering: the domain packages hold rules and types only; HTTP, WebSocket and
 * SQL live at the edges ({@code http}, {@code ws}, {@code store}).
 */
@AnalyzeClasses(
    packages = "dev.courier.server",
    importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  private static final String[] DOMAIN = {
    "dev.courier.server.common..",
    "dev.courier.server.error..",
    "dev.courier.server.tenant..",
    "dev.courier.server.user..",
    "dev.courier.server.agent..",
    "dev.courier.server.command..",
    "dev.courier.server.events..",
    "dev.courier.server.rollout..",
    "dev.courier.server.schedule..",
    "dev.courier.server.tunnel..",
    "dev.courier.server.audit..",
  };

  private static final String[] TRANSPORT_AND_STORAGE = {
    "io.javalin..",
    "org.eclipse.jetty..",
    "jakarta.servlet..",
    "java.net.http..",
    "java.sql..",
    "javax.sql..",
    "com.zaxxer.hikari..",
    "org.flywaydb..",
    "org.postgresql..",
    "org.sqlite..",
  };

  @ArchTest
  static final ArchRule domain_packages_use_no_http_websocket_or_jdbc =
      noClasses()
          .that()
          .resideInAnyPackage(DOMAIN)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(TRANSPORT_AND_STORAGE)
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule domain_packages_do_not_reach_into_the_edges =
      noClasses()
          .that()
          .resideInAnyPackage(DOMAIN)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.courier.server.http..", "dev.courier.server.ws..", "dev.courier.server.store..")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule only_the_store_package_touches_jdbc =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.courier.server.store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer.hikari..", "org.flywaydb..")
          .allowEmptyShould(true);
}
