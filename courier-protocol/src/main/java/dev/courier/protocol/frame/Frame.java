package dev.courier.protocol.frame;

/**
 * One WebSocket message, {@code {"type": "<snake_case>", "payload": {...}}} on the wire. Frames are
 * split by direction so that each side can switch exhaustively over what it may receive; {@link
 * TunnelData} travels both ways. {@link FrameCodec} reads and writes them.
 */
public sealed interface Frame permits AgentFrame, ServerFrame {}
