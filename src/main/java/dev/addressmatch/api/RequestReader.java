package dev.addressmatch.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addressmatch.scoring.InvalidInputException;
import dev.addressmatch.scoring.PairInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads request bodies into inputs, naming the field when a JSON type is wrong. Functions take the
 * raw JSON tree so that a number where a string belongs is reported as such, with its path, instead
 * of being coerced or failing deep inside the JSON binder.
 */
final class RequestReader {

  private RequestReader() {}

  static PairInput pair(JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      throw InvalidInputException.badField(
          null, "the request has no body; send {\"address1\": \"...\", \"address2\": \"...\"}");
    }
    return pair(body, "");
  }

  static List<PairInput> pairs(JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      throw InvalidInputException.badField(
          null,
          "the request has no body; send {\"pairs\": [{\"address1\": ..., \"address2\": ...}]}");
    }
    if (!body.isObject()) {
      throw InvalidInputException.badField(
          null, "the body must be a JSON object, not " + kind(body));
    }
    JsonNode pairs = body.get("pairs");
    if (pairs == null || pairs.isNull()) {
      return null;
    }
    if (!pairs.isArray()) {
      throw InvalidInputException.badField("pairs", "pairs must be an array, not " + kind(pairs));
    }
    List<PairInput> inputs = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      inputs.add(pair(pairs.get(i), "pairs[" + i + "]."));
    }
    return inputs;
  }

  private static PairInput pair(JsonNode node, String prefix) {
    if (!node.isObject()) {
      String field = prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1);
      String what = field == null ? "the body" : field;
      throw InvalidInputException.badField(
          field, what + " must be a JSON object, not " + kind(node));
    }
    return new PairInput(
        text(node, prefix + "address1", "address1"), text(node, prefix + "address2", "address2"));
  }

  private static String text(JsonNode parent, String path, String name) {
    JsonNode value = parent.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw InvalidInputException.badField(path, path + " must be a string, not " + kind(value));
    }
    return value.textValue();
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case STRING -> "a string";
      default -> "null";
    };
  }
}
