package dev.courier.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration for everything Courier puts on the wire: snake_case names, ISO-8601
 * instants, absent fields for nulls, and unknown fields ignored so older peers can read newer
 * messages.
 */
public final class ProtocolJson {

  /**
   * Parsers and generators borrow their buffers from one shared pool. Jackson's default pool keeps
   * them per thread, and a virtual thread (one per agent frame on the server) never asks twice, so
   * every frame allocated fresh buffers of several KiB. The pool is bounded (Jackson's default, 100
   * sets of buffers), so a burst of parallel parsing leaves no more than that behind.
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY)
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private ProtocolJson() {}

  /**
   * A mapper with Jackson's defaults (for stored JSON, not the wire) whose parsers and generators
   * share the wire mapper's buffer pool.
   */
  public static ObjectMapper plainMapper() {
    return new ObjectMapper(FACTORY.copy());
  }

  /** The shared, thread-safe mapper. Callers must not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
