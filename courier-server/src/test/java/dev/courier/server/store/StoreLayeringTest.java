package dev.courier.server.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Pins the storage seam: the domain sees repository interfaces, never JDBC or HTTP. */
@AnalyzeClasses(
    packages = "dev.courier.server",
    importOptions = ImportOption.DoNotIncludeTests.class)
class StoreLayeringTest {

  @ArchTest
  static final ArchRule domain_packages_import_no_jdbc_or_http =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.courier.server.tenant..",
              "dev.courier.server.user..",
              "dev.courier.server.agent..",
              "dev.courier.server.command..",
              "dev.courier.server.events..",
              "dev.courier.server.common..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.sql..",
              "javax.sql..",
              "com.zaxxer..",
              "org.flywaydb..",
              "io.javalin..",
              "org.eclipse.jetty..");

  @ArchTest
  static final ArchRule only_the_store_touches_jdbc_flyway_or_the_pool =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.courier.server.store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer..", "org.flywaydb..");
}
