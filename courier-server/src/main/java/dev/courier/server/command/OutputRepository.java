package dev.courier.server.command;

import dev.courier.protocol.CommandId;
import java.util.List;

/** The stored live output of commands. */
public interface OutputRepository {

  /**
   * Adds {@code bytes} to the command's stored total if that stays within {@code cap}.
   *
   * @return false when the chunk would pass the cap (nothing changed)
   */
  boolean reserve(CommandId id, int bytes, int cap);

  /** Stores a chunk; a chunk with a sequence number already stored is ignored (a resend). */
  void insert(OutputChunk chunk);

  /**
   * Marks the command's stream cut by the cap.
   *
   * @return true if it was not marked before
   */
  boolean markTruncated(CommandId id);

  boolean truncated(CommandId id);

  /** Up to {@code limit} chunks with a sequence number above {@code afterSeq}, in order. */
  List<OutputChunk> after(CommandId id, long afterSeq, int limit);
}
