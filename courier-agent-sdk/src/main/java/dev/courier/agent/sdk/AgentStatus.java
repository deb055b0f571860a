package dev.courier.agent.sdk;

/**
 * A snapshot of a {@link CourierAgent}, for status displays and health files.
 *
 * @param state {@code new}, {@code running}, {@code stopping} or {@code stopped}
 * @param transport {@code websocket}, {@code poll} or {@code none} (see {@link
 *     CourierAgent#transportInUse()})
 * @param connected in contact with the server now
 * @param unauthorized the server refused the agent key; the agent no longer tries
 * @param running commands executing now
 * @param queued commands received and waiting for a free slot
 * @param outboxResults results stored and not yet confirmed by the server
 * @param outboxBytes disk space those results take
 * @param outboxQuotaBytes the outbox's quota
 * @param outboxFull the quota is reached: no new commands are taken
 */
public record AgentStatus(
    String state,
    String transport,
    boolean connected,
    boolean unauthorized,
    int running,
    int queued,
    int outboxResults,
    long outboxBytes,
    long outboxQuotaBytes,
    boolean outboxFull) {}
