package dev.courier.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.protocol.AgentId;
import dev.courier.server.command.Command;
import dev.courier.server.common.StorageException;
import dev.courier.server.tenant.TenantConfinement;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.testing.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database's own tenant isolation beneath the services' filters: each query here deliberately
 * leaves out the tenant condition (the unscoped {@code find(id)} the agent path uses), and the test
 * database's user is a superuser, the case where row-level security would be skipped unless the
 * confined transaction switches role.
 */
class PostgresRowLevelSecurityTest extends StoreContract {

  private TenantConfinement confinement;
  private TenantId ours;
  private TenantId theirs;
  private AgentId ourAgent;
  private AgentId theirAgent;
  private Command theirCommand;

  @Override
  TestDatabases.Kind kind() {
    return TestDatabases.Kind.POSTGRES;
  }

  @BeforeAll
  void twoTenants() {
    confinement = db.database().confinement();
    ours = fixtures.tenant();
    theirs = fixtures.tenant();
    ourAgent = fixtures.agent(ours);
    theirAgent = fixtures.agent(theirs);
    theirCommand = fixtures.command(theirs, theirAgent);
    repos.commands().insert(theirCommand);
  }

  @Test
  void a_query_without_a_tenant_filter_sees_nothing_of_another_tenant_while_confined() {
    confinement.confinedTo(
        ours,
        () -> {
          assertThat(repos.agents().find(ourAgent)).isPresent();
          assertThat(repos.agents().find(theirAgent)).isEmpty();
          assertThat(repos.commands().find(theirCommand.id())).isEmpty();
          assertThat(repos.tenants().find(theirs)).isEmpty();
          return null;
        });
  }

  @Test
  void the_confinement_holds_inside_an_explicit_transaction_too() {
    confinement.confinedTo(
        ours,
        () ->
            db.transactions()
                .inTransaction(
                    () -> {
                      assertThat(repos.agents().find(theirAgent)).isEmpty();
                      assertThat(repos.agents().find(ourAgent)).isPresent();
                    }));
  }

  @Test
  void writing_a_row_of_another_tenant_while_confined_is_refused() {
    assertThatThrownBy(
            () ->
                confinement.confinedTo(
                    ours,
                    () -> {
                      fixtures.agent(theirs);
                      return null;
                    }))
        .isInstanceOf(StorageException.class);
  }

  @Test
  void looking_across_tenants_deliberately_lifts_the_confinement_for_that_read_only() {
    confinement.confinedTo(
        ours,
        () ->
            db.transactions()
                .inTransaction(
                    () -> {
                      assertThat(confinement.acrossTenants(() -> repos.agents().find(theirAgent)))
                          .isPresent();
                      assertThat(repos.agents().find(theirAgent)).isEmpty();
                    }));
  }

  @Test
  void work_that_is_not_confined_sees_every_tenant_and_inherits_nothing_from_pooled_connections() {
    for (int i = 0; i < 5; i++) {
      confinement.confinedTo(ours, () -> repos.agents().find(ourAgent));
    }

    assertThat(repos.agents().find(theirAgent)).isPresent();
    assertThat(repos.commands().find(theirCommand.id())).isPresent();
  }
}
