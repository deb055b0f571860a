package dev.courier.protocol.frame;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.courier.protocol.ProtocolJson;
import dev.courier.protocol.frame.FrameDecodeException.Kind;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads and writes {@code {"type": "...", "payload": {...}}} frames. Decoding is direction-aware:
 * the server reads only {@link AgentFrame}s and the agent only {@link ServerFrame}s, so a frame
 * sent the wrong way is an unknown type. Unknown payload fields are ignored; a missing payload
 * reads as {@code {}}. Thread-safe.
 */
public final class FrameCodec {

  private final ObjectMapper mapper = ProtocolJson.mapper();

  /**
   * Binds a payload in the middle of a frame's text: the frame's closing brace follows it, so the
   * trailing-token check is the frame's, not the payload's.
   */
  private final ClassValue<ObjectReader> payloadReaders =
      new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> recordClass) {
          return mapper
              .readerFor(recordClass)
              .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
      };

  /** Writes a frame as compact JSON text. */
  public String encode(Frame frame) {
    try {
      // Straight to text: a tree in between doubled the work and the garbage of every frame sent.
      return mapper.writeValueAsString(new Wire(FrameType.of(frame).wireName(), frame));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a frame record always serializes", e);
    }
  }

  /** The envelope on the wire; the payload is written as its record's own class. */
  @JsonPropertyOrder({"type", "payload"})
  private record Wire(String type, Frame payload) {}

  /** Reads a frame an agent sent. */
  public AgentFrame decodeFromAgent(String text) {
    return decode(text, FrameType::agentRecord);
  }

  /** Reads a frame the server sent. */
  public ServerFrame decodeFromServer(String text) {
    return decode(text, FrameType::serverRecord);
  }

  private <F extends Frame> F decode(
      String text, Function<FrameType, Optional<Class<? extends F>>> recordFor) {
    F frame = decodeInWriteOrder(text, recordFor);
    return frame != null ? frame : decodeAnyOrder(text, recordFor);
  }

  /**
   * Reads a frame laid out as {@link #encode} writes it, {@code type} first and an object {@code
   * payload} next, binding the payload straight from the text: building a tree first and binding
   * from it was about half of what reading a frame cost. Returns null for any other layout and for
   * any error, so that {@link #decodeAnyOrder} decides, and words the error, exactly as for any
   * frame.
   */
  private <F extends Frame> F decodeInWriteOrder(
      String text, Function<FrameType, Optional<Class<? extends F>>> recordFor) {
    try (JsonParser parser = mapper.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT
          || !nextFieldIs(parser, "type")
          || parser.nextToken() != JsonToken.VALUE_STRING) {
        return null;
      }
      Optional<Class<? extends F>> recordClass =
          FrameType.fromWire(parser.getText()).flatMap(recordFor);
      if (recordClass.isEmpty()
          || !nextFieldIs(parser, "payload")
          || parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      F frame = payloadReaders.get(recordClass.get()).readValue(parser);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (name.equals("type") || name.equals("payload")) {
          return null; // a repeated key: the tree reading keeps the last one
        }
        parser.nextToken();
        parser.skipChildren();
      }
      return parser.currentToken() == JsonToken.END_OBJECT && parser.nextToken() == null
          ? frame
          : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean nextFieldIs(JsonParser parser, String name) throws IOException {
    return parser.nextToken() == JsonToken.FIELD_NAME && name.equals(parser.currentName());
  }

  /** Reads a frame with its fields in any order, through a tree; says why a frame is refused. */
  private <F extends Frame> F decodeAnyOrder(
      String text, Function<FrameType, Optional<Class<? extends F>>> recordFor) {
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new FrameDecodeException(Kind.MALFORMED, null, "frame is not valid JSON", e);
    }
    if (root == null || !root.isObject() || !root.path("type").isTextual()) {
      throw new FrameDecodeException(
          Kind.MALFORMED, null, "frame must be an object with a string \"type\"", null);
    }
    String typeName = root.get("type").asText();
    Class<? extends F> recordClass =
        FrameType.fromWire(typeName)
            .flatMap(recordFor)
            .orElseThrow(
                () ->
                    new FrameDecodeException(
                        Kind.UNKNOWN_TYPE, typeName, "unknown frame type: " + typeName, null));
    JsonNode payload = root.get("payload");
    if (payload == null || payload.isNull()) {
      payload = mapper.createObjectNode();
    }
    if (!payload.isObject()) {
      throw new FrameDecodeException(
          Kind.INVALID_PAYLOAD, typeName, "payload of " + typeName + " must be an object", null);
    }
    try {
      return mapper.treeToValue(payload, recordClass);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new FrameDecodeException(
          Kind.INVALID_PAYLOAD,
          typeName,
          "invalid " + typeName + " payload: " + rootCauseMessage(e),
          e);
    }
  }

  private static String rootCauseMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
