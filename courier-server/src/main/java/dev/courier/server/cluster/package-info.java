/**
 * Talk between server nodes that share one database: {@link dev.courier.server.cluster.ClusterBus}
 * carries short notes (ids) from the node where something happened to the node that holds the
 * agent's socket. PostgreSQL's implementation ({@code LISTEN/NOTIFY}) lives in the store package;
 * the in-process one serves a single node.
 *
 * <p>Use it like this (topic names are lower-case, payloads under 7,900 bytes):
 *
 * <pre>{@code
 * bus.subscribe("courier_tunnels", payload -> relayIfLocal(payload)); // at start-up
 * bus.onReconnect(() -> reReadFromDatabase());                        // notes may have been lost
 * transactions.inTransaction(() -> {
 *   repository.save(row);
 *   bus.publish("courier_tunnels", row.id() + " " + row.agentId());   // delivered after commit
 * });
 * }</pre>
 */
package dev.courier.server.cluster;
