package dev.courier.server.ratelimit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The limiters are used by domain services (commands, logins), so they take plain values: no HTTP,
 * WebSocket or JDBC type reaches them, and only this package sees Bucket4j.
 */
@AnalyzeClasses(
    packages = "dev.courier.server",
    importOptions = ImportOption.DoNotIncludeTests.class)
class RateLimitLayeringTest {

  @ArchTest
  static final ArchRule rate_limits_use_no_transport_or_storage =
      noClasses()
          .that()
          .resideInAPackage("dev.courier.server.ratelimit..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.javalin..",
              "org.eclipse.jetty..",
              "jakarta.servlet..",
              "java.sql..",
              "dev.courier.server.http..",
              "dev.courier.server.ws..",
              "dev.courier.server.store..");

  @ArchTest
  static final ArchRule only_the_rate_limit_package_knows_bucket4j =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.courier.server.ratelimit..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.github.bucket4j..");
}
