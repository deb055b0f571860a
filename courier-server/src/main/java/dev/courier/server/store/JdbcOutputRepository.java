package dev.courier.server.store;

import dev.courier.protocol.CommandId;
import dev.courier.server.command.OutputChunk;
import dev.courier.server.command.OutputRepository;
import java.util.List;

/** The command_outputs table and the commands' stream totals. */
final class JdbcOutputRepository implements OutputRepository {
  private final Jdbc jdbc;

  JdbcOutputRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean reserve(CommandId id, int bytes, int cap) {
    return jdbc.update(
            "UPDATE commands SET output_stream_bytes = output_stream_bytes + ?"
                + " WHERE id = ? AND output_stream_bytes + ? <= ?",
            p -> p.integer(bytes).string(id.value()).integer(bytes).integer(cap))
        == 1;
  }

  @Override
  public void insert(OutputChunk chunk) {
    jdbc.update(
        "INSERT INTO command_outputs (command_id, seq, stream, data, created_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (command_id, seq) DO NOTHING",
        p ->
            p.string(chunk.commandId().value())
                .longValue(chunk.seq())
                .string(chunk.stream())
                .string(chunk.data())
                .instant(chunk.at()));
  }

  @Override
  public boolean markTruncated(CommandId id) {
    return jdbc.update(
            "UPDATE commands SET output_stream_truncated = TRUE"
                + " WHERE id = ? AND NOT output_stream_truncated",
            p -> p.string(id.value()))
        == 1;
  }

  @Override
  public boolean truncated(CommandId id) {
    return jdbc.queryOne(
            "SELECT output_stream_truncated FROM commands WHERE id = ?",
            p -> p.string(id.value()),
            row -> row.bool("output_stream_truncated"))
        .orElse(false);
  }

  @Override
  public List<OutputChunk> after(CommandId id, long afterSeq, int limit) {
    return jdbc.query(
        "SELECT * FROM command_outputs WHERE command_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        p -> p.string(id.value()).longValue(afterSeq).integer(limit),
        row ->
            new OutputChunk(
                id,
                row.longValue("seq"),
                row.string("stream"),
                row.string("data"),
                row.instant("created_at")));
  }
}
