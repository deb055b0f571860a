package dev.courier.server.tunnel;

import dev.courier.protocol.AgentId;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.user.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores tunnel sessions, their transcripts and the tenants' tunnel policies. */
public interface TunnelRepository {

  /**
   * @throws dev.courier.server.common.DuplicateKeyException when the user already has an open
   *     session with the agent (the database's partial unique index decides)
   */
  void insert(TunnelSession session);

  Optional<TunnelSession> find(String id);

  /** The user's open session with the agent, if any. */
  Optional<TunnelSession> findOpen(UserId user, AgentId agent);

  int countOpen(UserId user);

  /**
   * Sessions newest first.
   *
   * @param tenant null for every tenant
   * @param user null for every user
   * @param openOnly only active and ready ones
   */
  List<TunnelSession> list(TenantId tenant, UserId user, boolean openOnly, int limit);

  List<TunnelSession> openForAgent(AgentId agent);

  /** Active becomes ready; false if the session was not active. */
  boolean markReady(String id, Instant now);

  /** Records activity and adds to the counters. */
  void touch(String id, Instant now, long bytesIn, long bytesOut, int commands);

  /**
   * Closes an open session; false if it was not open (someone else closed it first).
   *
   * @param status {@link TunnelStatus#CLOSED} or {@link TunnelStatus#ERROR}
   */
  boolean close(String id, TunnelStatus status, String reason, String closedBy, Instant now);

  List<TunnelSession> idleSince(Instant cutoff, int limit);

  List<TunnelSession> pastExpiry(Instant now, int limit);

  /** Open sessions whose node has not vouched for them since {@code cutoff}. */
  List<TunnelSession> notVouchedSince(Instant cutoff, int limit);

  List<TunnelSession> openOnNode(String nodeId, int limit);

  /** Every open session, whatever its node (start-up of a single-node server). */
  List<TunnelSession> allOpen(int limit);

  /** The node says its open sessions are alive. */
  void vouch(String nodeId, Instant now);

  /** Admits {@code bytes} more transcript if the session stays within {@code cap}. */
  boolean reserveTranscript(String id, long bytes, long cap);

  /** Marks the transcript cut; true the first time. */
  boolean markTranscriptTruncated(String id);

  void appendTranscript(TranscriptEntry entry);

  List<TranscriptEntry> transcript(String sessionId, long afterSeq, int limit);

  Optional<TunnelPolicy> policy(TenantId tenant);

  void savePolicy(TenantId tenant, TunnelPolicy policy, Instant now, String updatedBy);
}
