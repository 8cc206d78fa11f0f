package dev.addressmatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.addressmatch.model.MatchLevel;
import dev.addressmatch.scoring.MatchResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer for one pair.
 *
 * @param matchLevel exact_match, partial_match or not_match
 * @param score probability of that level (classifiers) or cosine similarity (embedding models)
 * @param probabilities each level's probability; classifiers only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PairAnswer(
    @JsonProperty("match_level") MatchLevel matchLevel,
    double score,
    Map<String, Double> probabilities) {

  static PairAnswer of(MatchResult result) {
    Map<String, Double> probabilities = null;
    if (result.probabilities() != null) {
      probabilities = new LinkedHashMap<>();
      for (Map.Entry<MatchLevel, Double> e : result.probabilities().entrySet()) {
        probabilities.put(e.getKey().label(), e.getValue());
      }
    }
    return new PairAnswer(result.level(), result.score(), probabilities);
  }
}
