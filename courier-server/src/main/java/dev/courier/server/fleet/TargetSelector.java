package dev.courier.server.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.courier.protocol.AgentId;
import dev.courier.server.error.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Which agents a rollout or schedule targets: explicit ids, a label expression, or every agent of
 * the tenant. Written as {@code {"agent_ids": [...]}}, {@code {"labels": "os=linux,env in
 * (prod,staging)"}} or {@code {"all": true}} (DESIGN §4).
 */
public sealed interface TargetSelector {

  int MAX_IDS = 10_000;

  /** Whether an agent with these labels is selected (ids are matched by the caller). */
  boolean matchesLabels(Map<String, String> labels);

  /** The selector's JSON form, as stored and shown. */
  ObjectNode toJson();

  record AgentIds(List<AgentId> ids) implements TargetSelector {
    public AgentIds {
      ids = List.copyOf(ids);
    }

    @Override
    public boolean matchesLabels(Map<String, String> labels) {
      return true;
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      ArrayNode array = node.putArray("agent_ids");
      ids.forEach(id -> array.add(id.value()));
      return node;
    }
  }

  record Labels(LabelSelector selector) implements TargetSelector {
    @Override
    public boolean matchesLabels(Map<String, String> labels) {
      return selector.matches(labels);
    }

    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("labels", selector.text());
    }
  }

  record All() implements TargetSelector {
    @Override
    public boolean matchesLabels(Map<String, String> labels) {
      return true;
    }

    @Override
    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("all", true);
    }
  }

  /**
   * Reads a selector; exactly one of its three forms.
   *
   * @throws InvalidInputException naming {@code field} (or the part inside it) when it is not one
   */
  static TargetSelector fromJson(JsonNode node, String field) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw new InvalidInputException(field + " is required", field);
    }
    if (!node.isObject() || node.size() != 1) {
      throw new InvalidInputException(
          field
              + " must be exactly one of {\"agent_ids\": [...]}, {\"labels\": \"...\"} or"
              + " {\"all\": true}",
          field);
    }
    if (node.has("agent_ids")) {
      return agentIds(node.get("agent_ids"), field + ".agent_ids");
    }
    if (node.has("labels")) {
      JsonNode labels = node.get("labels");
      if (!labels.isTextual()) {
        throw new InvalidInputException("must be a label expression string", field + ".labels");
      }
      try {
        return new Labels(LabelSelector.parse(labels.asText()));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(e.getMessage(), field + ".labels");
      }
    }
    if (node.has("all")) {
      if (!node.get("all").isBoolean() || !node.get("all").asBoolean()) {
        throw new InvalidInputException("must be true", field + ".all");
      }
      return new All();
    }
    throw new InvalidInputException(field + " must have agent_ids, labels or all", field);
  }

  private static AgentIds agentIds(JsonNode array, String field) {
    if (!array.isArray() || array.isEmpty()) {
      throw new InvalidInputException("must be a non-empty array of agent ids", field);
    }
    if (array.size() > MAX_IDS) {
      throw new InvalidInputException("at most " + MAX_IDS + " agent ids", field);
    }
    LinkedHashSet<AgentId> ids = new LinkedHashSet<>();
    for (JsonNode id : array) {
      if (!id.isTextual() || id.asText().isBlank()) {
        throw new InvalidInputException("every agent id must be a non-empty string", field);
      }
      ids.add(AgentId.of(id.asText()));
    }
    return new AgentIds(new ArrayList<>(ids));
  }
}
