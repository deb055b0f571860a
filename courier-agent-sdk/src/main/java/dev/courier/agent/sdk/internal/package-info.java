/**
 * Implementation of the agent SDK; not an API. {@link dev.courier.agent.sdk.internal.AgentRuntime}
 * wires it: {@link dev.courier.agent.sdk.internal.Connector} (WebSocket with poll fallback) feeds
 * {@link dev.courier.agent.sdk.internal.CommandIntake} (verify, journal, acknowledge, run), whose
 * results go through the {@link dev.courier.agent.sdk.internal.Outbox} and {@link
 * dev.courier.agent.sdk.internal.ResultSender}.
 */
package dev.courier.agent.sdk.internal;
