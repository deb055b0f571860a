/**
 * The Courier agent SDK: build an agent that receives commands from a Courier server, runs them
 * with your executors and reports their results.
 *
 * <p>The pieces, in the order a program uses them:
 *
 * <ol>
 *   <li>{@link dev.courier.agent.sdk.Enrollment} trades an enrollment token for an {@link
 *       dev.courier.agent.sdk.AgentIdentity}, which is saved once and loaded at every start.
 *   <li>{@link dev.courier.agent.sdk.CommandExecutor}s, one per command type, are collected in an
 *       {@link dev.courier.agent.sdk.ExecutorRegistry} (directly or as {@link
 *       java.util.ServiceLoader} plugins).
 *   <li>{@link dev.courier.agent.sdk.AgentOptions} say where the server and the state directory are
 *       and how to connect; {@link dev.courier.agent.sdk.CourierAgent} runs it all.
 * </ol>
 *
 * <p>What the agent guarantees (DESIGN §2, §5): every command is checked against the server key
 * pinned at enrollment, its addressee and its expiry before it runs; a command id runs at most once
 * per state directory; results survive crashes and outages in an on-disk outbox until the server
 * confirms them. Executors start processes only through {@link
 * dev.courier.agent.sdk.CommandContext#processes()}: argument lists, no shell, the whole process
 * tree killed on cancel and timeout, output capped.
 *
 * <p>Everything under {@code dev.courier.agent.sdk.internal} is implementation and may change
 * without notice.
 */
package dev.courier.agent.sdk;
