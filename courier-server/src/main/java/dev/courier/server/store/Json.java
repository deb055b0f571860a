package dev.courier.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.courier.protocol.ProtocolJson;
import java.util.List;
import java.util.Map;

/** Converts the typed JSON columns (labels, capabilities) to and from their text form. */
final class Json {
  private static final ObjectMapper MAPPER = ProtocolJson.plainMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON", e);
    }
  }

  static Map<String, String> stringMap(String json) {
    return json == null ? Map.of() : read(json, STRING_MAP);
  }

  static List<String> stringList(String json) {
    return json == null ? List.of() : read(json, STRING_LIST);
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON is malformed", e);
    }
  }
}
