/**
 * Storage: every JDBC, Flyway and HikariCP detail of Courier, behind the repository interfaces of
 * the domain packages.
 *
 * <p>The composition root opens one {@link dev.courier.server.store.Database} and builds the
 * repositories from it:
 *
 * <pre>{@code
 * Database database = Database.open(
 *     config.databaseUrl(),               // jdbc:sqlite:... or jdbc:postgresql://...
 *     DatabaseOptions.defaults().withPoolSize(16));
 * JdbcRepositories repos = JdbcRepositories.create(database, clock);
 * Transactions tx = repos.transactions();
 * // ... services take repos.commands(), repos.events(), tx ...
 * // on shutdown, after the services stopped: database.close();
 * }</pre>
 *
 * <p>SQLite and PostgreSQL differ only inside {@link dev.courier.server.store.Dialect}: time and
 * JSON binding, the lock clause of claims, interval arithmetic, error translation and, for SQLite,
 * one in-process write lock that lets concurrent writers queue instead of failing with SQLITE_BUSY.
 */
package dev.courier.server.store;
