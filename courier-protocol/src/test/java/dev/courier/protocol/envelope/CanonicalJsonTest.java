package dev.courier.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.courier.protocol.ProtocolJson;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  static JsonNode json(String text) throws Exception {
    return ProtocolJson.mapper().readTree(text);
  }

  @Test
  void keys_are_sorted_recursively_and_whitespace_removed() throws Exception {
    JsonNode node = json("{ \"b\": 1, \"a\": { \"z\": [ {\"y\":1, \"x\":2} ], \"c\": \"s p\" } }");
    assertThat(CanonicalJson.write(node))
        .isEqualTo("{\"a\":{\"c\":\"s p\",\"z\":[{\"x\":2,\"y\":1}]},\"b\":1}");
  }

  @Test
  void the_same_params_in_another_key_order_give_the_same_digest() throws Exception {
    JsonNode one = json("{\"target\":\"/opt\",\"config\":{\"rules\":[\"a\",\"b\"],\"deep\":true}}");
    JsonNode two = json("{\"config\":{\"deep\":true,\"rules\":[\"a\",\"b\"]},\"target\":\"/opt\"}");
    assertThat(CanonicalJson.sha256Hex(one)).isEqualTo(CanonicalJson.sha256Hex(two)).hasSize(64);
  }

  @Test
  void array_order_and_values_change_the_digest() throws Exception {
    assertThat(CanonicalJson.sha256Hex(json("{\"r\":[\"a\",\"b\"]}")))
        .isNotEqualTo(CanonicalJson.sha256Hex(json("{\"r\":[\"b\",\"a\"]}")));
    assertThat(CanonicalJson.sha256Hex(json("{\"n\":1}")))
        .isNotEqualTo(CanonicalJson.sha256Hex(json("{\"n\":2}")));
  }

  @Test
  void the_empty_object_digest_is_the_sha256_of_two_braces() {
    assertThat(CanonicalJson.sha256Hex(CanonicalJson.emptyObject()))
        .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  }
}
