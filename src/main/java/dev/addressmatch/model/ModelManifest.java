package dev.addressmatch.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The small JSON file ({@code manifest.json}) that tells the service how to drive a model.
 *
 * @param name model name reported in every answer
 * @param version model version reported in every answer
 * @param kind pair classifier or embedding model
 * @param maxSequenceLength most token ids fed to the model per sequence, specials included
 * @param inputIds name of the token-id input tensor
 * @param attentionMask name of the attention-mask input tensor
 * @param tokenTypeIds name of the segment-id input tensor, empty when the model has none
 * @param output name of the output tensor: logits for classifiers, token states or a pooled vector
 *     for embedding models
 * @param labels for classifiers, the match level of each logit, in output order
 * @param pooling for embedding models with token-state output, how to pool them
 * @param exactThreshold for embedding models, the cosine similarity from which a pair is exact
 * @param partialThreshold for embedding models, the cosine similarity from which a pair is partial
 */
public record ModelManifest(
    String name,
    String version,
    ModelKind kind,
    int maxSequenceLength,
    String inputIds,
    String attentionMask,
    Optional<String> tokenTypeIds,
    String output,
    List<MatchLevel> labels,
    Pooling pooling,
    double exactThreshold,
    double partialThreshold) {

  public static final String FILE_NAME = "manifest.json";

  /** Reads and checks a manifest; {@code source} names the file in error messages. */
  public static ModelManifest parse(JsonNode root, String source) {
    Fields f = new Fields(root, source);
    String name = f.text("name");
    String version = f.text("version");
    String kindName = f.text("kind");
    ModelKind kind = ModelKind.fromManifest(kindName);
    if (kind == null) {
      throw f.error("kind", "is '" + kindName + "'; expected 'pair-classifier' or 'embedding'");
    }
    int maxLength = f.integer("max_sequence_length");
    if (maxLength < 8 || maxLength > 8192) {
      throw f.error("max_sequence_length", "is " + maxLength + "; expected 8 to 8192");
    }
    JsonNode inputs = root.path("inputs");
    if (!inputs.isObject()) {
      throw f.error("inputs", "is missing; expected an object naming the input tensors");
    }
    Fields in = new Fields(inputs, source + " (inputs)");
    String inputIds = in.text("input_ids");
    String attentionMask = in.text("attention_mask");
    Optional<String> tokenTypes =
        inputs.hasNonNull("token_type_ids")
            ? Optional.of(in.text("token_type_ids"))
            : Optional.empty();
    String output = f.text("output");

    List<MatchLevel> labels = List.of();
    Pooling pooling = Pooling.CLS;
    double exact = Double.NaN;
    double partial = Double.NaN;
    if (kind == ModelKind.PAIR_CLASSIFIER) {
      labels = labels(root, f);
    } else {
      String poolingName = root.path("pooling").asText("cls");
      try {
        pooling = Pooling.valueOf(poolingName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw f.error("pooling", "is '" + poolingName + "'; expected 'cls' or 'mean'");
      }
      JsonNode thresholds = root.path("thresholds");
      if (!thresholds.isObject()) {
        throw f.error(
            "thresholds", "is missing; embedding models need exact_match and partial_match");
      }
      Fields t = new Fields(thresholds, source + " (thresholds)");
      exact = t.number("exact_match");
      partial = t.number("partial_match");
      if (!(partial > -1 && partial <= exact && exact <= 1)) {
        throw f.error(
            "thresholds",
            "are partial_match="
                + partial
                + ", exact_match="
                + exact
                + "; expected -1 < partial_match <= exact_match <= 1");
      }
    }
    return new ModelManifest(
        name,
        version,
        kind,
        maxLength,
        inputIds,
        attentionMask,
        tokenTypes,
        output,
        labels,
        pooling,
        exact,
        partial);
  }

  private static List<MatchLevel> labels(JsonNode root, Fields f) {
    JsonNode node = root.path("labels");
    if (!node.isArray() || node.size() != 3) {
      throw f.error("labels", "must list the three match levels in the model's output order");
    }
    List<MatchLevel> labels = new ArrayList<>();
    for (JsonNode label : node) {
      MatchLevel level = MatchLevel.fromLabel(label.asText());
      if (level == null || labels.contains(level)) {
        throw f.error(
            "labels",
            "holds '"
                + label.asText()
                + "'; expected each of not_match, partial_match,"
                + " exact_match once");
      }
      labels.add(level);
    }
    if (!EnumSet.copyOf(labels).equals(EnumSet.allOf(MatchLevel.class))) {
      throw f.error("labels", "must name every match level");
    }
    return List.copyOf(labels);
  }

  /** Field access that fails with the file and field named. */
  private record Fields(JsonNode node, String source) {

    String text(String field) {
      JsonNode value = node.get(field);
      if (value == null || !value.isTextual() || value.asText().isBlank()) {
        throw error(field, "is missing or not a non-empty string");
      }
      return value.asText();
    }

    int integer(String field) {
      JsonNode value = node.get(field);
      if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
        throw error(field, "is missing or not an integer");
      }
      return value.asInt();
    }

    double number(String field) {
      JsonNode value = node.get(field);
      if (value == null || !value.isNumber()) {
        throw error(field, "is missing or not a number");
      }
      return value.asDouble();
    }

    ModelContractException error(String field, String problem) {
      return new ModelContractException(source + ": field '" + field + "' " + problem);
    }
  }
}
