package dev.courier.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.AgentId;
import dev.courier.protocol.ProtocolJson;
import dev.courier.server.tenant.TenantId;
import dev.courier.server.tunnel.TranscriptEntry;
import dev.courier.server.tunnel.TunnelPolicy;
import dev.courier.server.tunnel.TunnelRepository;
import dev.courier.server.tunnel.TunnelSession;
import dev.courier.server.tunnel.TunnelStatus;
import dev.courier.server.user.UserId;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tunnel_sessions, tunnel_audit (transcripts) and tunnel_policies tables. */
public final class JdbcTunnelRepository implements TunnelRepository {

  private static final String OPEN = "status IN ('active', 'ready')";
  private static final ObjectMapper JSON = ProtocolJson.plainMapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private final Jdbc jdbc;

  JdbcTunnelRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** The repository on {@code database}'s pool and transactions. */
  public static TunnelRepository create(Database database) {
    return new JdbcTunnelRepository(database.jdbc());
  }

  @Override
  public void insert(TunnelSession s) {
    jdbc.update(
        "INSERT INTO tunnel_sessions (id, tenant_id, user_id, agent_id, status, opened_at,"
            + " last_activity_at, expires_at, node_id, node_seen_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p ->
            p.string(s.id())
                .string(s.tenantId().value())
                .string(s.userId().value())
                .string(s.agentId().value())
                .string(s.status().wireName())
                .instant(s.openedAt())
                .instant(s.lastActivityAt())
                .instant(s.expiresAt())
                .string(s.nodeId())
                .instant(s.nodeSeenAt()));
  }

  @Override
  public Optional<TunnelSession> find(String id) {
    return jdbc.queryOne(
        "SELECT * FROM tunnel_sessions WHERE id = ?", p -> p.string(id), JdbcTunnelRepository::map);
  }

  @Override
  public Optional<TunnelSession> findOpen(UserId user, AgentId agent) {
    return jdbc.queryOne(
        "SELECT * FROM tunnel_sessions WHERE user_id = ? AND agent_id = ? AND " + OPEN,
        p -> p.string(user.value()).string(agent.value()),
        JdbcTunnelRepository::map);
  }

  @Override
  public int countOpen(UserId user) {
    return jdbc.queryOne(
            "SELECT COUNT(*) AS n FROM tunnel_sessions WHERE user_id = ? AND " + OPEN,
            p -> p.string(user.value()),
            row -> row.longValue("n"))
        .orElse(0L)
        .intValue();
  }

  @Override
  public List<TunnelSession> list(TenantId tenant, UserId user, boolean openOnly, int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM tunnel_sessions WHERE 1 = 1");
    List<String> args = new ArrayList<>();
    if (tenant != null) {
      sql.append(" AND tenant_id = ?");
      args.add(tenant.value());
    }
    if (user != null) {
      sql.append(" AND user_id = ?");
      args.add(user.value());
    }
    if (openOnly) {
      sql.append(" AND ").append(OPEN);
    }
    sql.append(" ORDER BY opened_at DESC, id DESC LIMIT ?");
    return jdbc.query(
        sql.toString(),
        p -> {
          for (String arg : args) {
            p.string(arg);
          }
          p.integer(limit);
        },
        JdbcTunnelRepository::map);
  }

  @Override
  public List<TunnelSession> openForAgent(AgentId agent) {
    return jdbc.query(
        "SELECT * FROM tunnel_sessions WHERE agent_id = ? AND " + OPEN,
        p -> p.string(agent.value()),
        JdbcTunnelRepository::map);
  }

  @Override
  public boolean markReady(String id, Instant now) {
    return jdbc.update(
            "UPDATE tunnel_sessions SET status = 'ready', last_activity_at = ?"
                + " WHERE id = ? AND status = 'active'",
            p -> p.instant(now).string(id))
        == 1;
  }

  @Override
  public void touch(String id, Instant now, long bytesIn, long bytesOut, int commands) {
    jdbc.update(
        "UPDATE tunnel_sessions SET last_activity_at = ?, bytes_in = bytes_in + ?,"
            + " bytes_out = bytes_out + ?, commands = commands + ? WHERE id = ? AND "
            + OPEN,
        p -> p.instant(now).longValue(bytesIn).longValue(bytesOut).integer(commands).string(id));
  }

  @Override
  public boolean close(
      String id, TunnelStatus status, String reason, String closedBy, Instant now) {
    return jdbc.update(
            "UPDATE tunnel_sessions SET status = ?, close_reason = ?, closed_by = ?, closed_at = ?"
                + " WHERE id = ? AND "
                + OPEN,
            p ->
                p.string(status.wireName()).string(reason).string(closedBy).instant(now).string(id))
        == 1;
  }

  @Override
  public List<TunnelSession> idleSince(Instant cutoff, int limit) {
    return jdbc.query(
        "SELECT * FROM tunnel_sessions WHERE "
            + OPEN
            + " AND last_activity_at <= ? ORDER BY last_activity_at LIMIT ?",
        p -> p.instant(cutoff).integer(limit),
        JdbcTunnelRepository::map);
  }

  @Override
  public List<TunnelSession> pastExpiry(Instant now, int limit) {
    return jdbc.query(
        "SELECT * FROM tunnel_sessions WHERE "
            + OPEN
            + " AND expires_at <= ? ORDER BY expires_at LIMIT ?",
        p -> p.instant(now).integer(limit),
        JdbcTunnelRepository::map);
  }

  @Override
  public List<TunnelSession> notVouchedSince(Instant cutoff, int limit) {
    return jdbc.query(
        "SELECT * FROM tunnel_sessions WHERE "
            + OPEN
            + " AND (node_seen_at IS NULL OR node_seen_at <= ?) ORDER BY opened_at LIMIT ?",
        p -> p.instant(cutoff).integer(limit),
        JdbcTunnelRepository::map);
  }

  @Override
  public List<TunnelSession> openOnNode(String nodeId, int limit) {
    return jdbc.query(
        "SELECT * FROM tunnel_sessions WHERE node_id = ? AND "
            + OPEN
            + " ORDER BY opened_at LIMIT ?",
        p -> p.string(nodeId).integer(limit),
        JdbcTunnelRepository::map);
  }

  @Override
  public List<TunnelSession> allOpen(int limit) {
    return jdbc.query(
        "SELECT * FROM tunnel_sessions WHERE " + OPEN + " ORDER BY opened_at LIMIT ?",
        p -> p.integer(limit),
        JdbcTunnelRepository::map);
  }

  @Override
  public void vouch(String nodeId, Instant now) {
    jdbc.update(
        "UPDATE tunnel_sessions SET node_seen_at = ? WHERE node_id = ? AND " + OPEN,
        p -> p.instant(now).string(nodeId));
  }

  @Override
  public boolean reserveTranscript(String id, long bytes, long cap) {
    return jdbc.update(
            "UPDATE tunnel_sessions SET transcript_bytes = transcript_bytes + ?"
                + " WHERE id = ? AND NOT transcript_truncated AND transcript_bytes + ? <= ?",
            p -> p.longValue(bytes).string(id).longValue(bytes).longValue(cap))
        == 1;
  }

  @Override
  public boolean markTranscriptTruncated(String id) {
    return jdbc.update(
            "UPDATE tunnel_sessions SET transcript_truncated = TRUE"
                + " WHERE id = ? AND NOT transcript_truncated",
            p -> p.string(id))
        == 1;
  }

  @Override
  public void appendTranscript(TranscriptEntry e) {
    jdbc.update(
        "INSERT INTO tunnel_audit (id, session_id, seq, channel, action, detail, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        p ->
            p.string(e.id())
                .string(e.sessionId())
                .longValue(e.seq())
                .string(e.channel())
                .string(e.kind())
                .string(e.data())
                .instant(e.at()));
  }

  @Override
  public List<TranscriptEntry> transcript(String sessionId, long afterSeq, int limit) {
    return jdbc.query(
        "SELECT * FROM tunnel_audit WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        p -> p.string(sessionId).longValue(afterSeq).integer(limit),
        row ->
            new TranscriptEntry(
                row.string("id"),
                row.string("session_id"),
                row.longValue("seq"),
                row.string("channel"),
                row.string("action"),
                row.string("detail"),
                row.instant("created_at")));
  }

  @Override
  public Optional<TunnelPolicy> policy(TenantId tenant) {
    return jdbc.queryOne(
        "SELECT allow, deny FROM tunnel_policies WHERE tenant_id = ?",
        p -> p.string(tenant.value()),
        row -> new TunnelPolicy(strings(row.string("allow")), strings(row.string("deny"))));
  }

  @Override
  public void savePolicy(TenantId tenant, TunnelPolicy policy, Instant now, String updatedBy) {
    jdbc.update(
        "INSERT INTO tunnel_policies (tenant_id, allow, deny, updated_at, updated_by)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET allow = excluded.allow,"
            + " deny = excluded.deny, updated_at = excluded.updated_at,"
            + " updated_by = excluded.updated_by",
        p ->
            p.string(tenant.value())
                .string(text(policy.allow()))
                .string(text(policy.deny()))
                .instant(now)
                .string(updatedBy));
  }

  private static List<String> strings(String json) throws SQLException {
    try {
      return JSON.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable tunnel policy: " + e.getOriginalMessage(), e);
    }
  }

  private static String text(List<String> patterns) {
    try {
      return JSON.writeValueAsString(patterns);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TunnelSession map(Row row) throws SQLException {
    Long commands = row.longValue("commands");
    return new TunnelSession(
        row.string("id"),
        TenantId.of(row.string("tenant_id")),
        UserId.of(row.string("user_id")),
        AgentId.of(row.string("agent_id")),
        TunnelStatus.fromWireName(row.string("status")),
        row.instant("opened_at"),
        row.instant("last_activity_at"),
        row.instant("closed_at"),
        row.string("close_reason"),
        row.string("closed_by"),
        row.instant("expires_at"),
        row.string("node_id"),
        row.instant("node_seen_at"),
        row.longValue("bytes_in"),
        row.longValue("bytes_out"),
        commands == null ? 0 : commands.intValue(),
        row.longValue("transcript_bytes"),
        row.bool("transcript_truncated"));
  }
}
