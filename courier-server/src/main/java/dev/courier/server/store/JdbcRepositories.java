package dev.courier.server.store;

import dev.courier.server.agent.AgentRepository;
import dev.courier.server.agent.EnrollmentTokenRepository;
import dev.courier.server.audit.AuditRepository;
import dev.courier.server.auth.ApiTokenRepository;
import dev.courier.server.command.CommandRepository;
import dev.courier.server.command.OutputRepository;
import dev.courier.server.common.SettingsRepository;
import dev.courier.server.common.Transactions;
import dev.courier.server.events.EventOutbox;
import dev.courier.server.fleet.RolloutRepository;
import dev.courier.server.fleet.ScheduleRepository;
import dev.courier.server.tenant.TenantRepository;
import dev.courier.server.user.UserRepository;
import java.time.Clock;

/**
 * Every repository of one {@link Database}, built once by the composition root. All share the
 * database's connection pool and transactions.
 */
public record JdbcRepositories(
    Transactions transactions,
    TenantRepository tenants,
    UserRepository users,
    AgentRepository agents,
    EnrollmentTokenRepository enrollmentTokens,
    ApiTokenRepository apiTokens,
    CommandRepository commands,
    EventOutbox events,
    AuditRepository audit,
    RolloutRepository rollouts,
    OutputRepository outputs,
    ScheduleRepository schedules,
    SettingsRepository settings) {

  /**
   * @param clock stamps writes that carry no time of their own (settings)
   */
  public static JdbcRepositories create(Database database, Clock clock) {
    Jdbc jdbc = database.jdbc();
    return new JdbcRepositories(
        database.transactions(),
        new JdbcTenantRepository(jdbc),
        new JdbcUserRepository(jdbc),
        new JdbcAgentRepository(jdbc),
        new JdbcEnrollmentTokenRepository(jdbc),
        new JdbcApiTokenRepository(jdbc),
        new JdbcCommandRepository(jdbc),
        new JdbcEventOutbox(jdbc, database.transactions()),
        new JdbcAuditRepository(jdbc),
        new JdbcRolloutRepository(jdbc),
        new JdbcOutputRepository(jdbc),
        new JdbcScheduleRepository(jdbc),
        new JdbcSettingsRepository(jdbc, clock));
  }
}
