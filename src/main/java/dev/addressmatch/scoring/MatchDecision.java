package dev.addressmatch.scoring;

import dev.addressmatch.model.MatchLevel;
import dev.addressmatch.model.ModelKind;
import dev.addressmatch.model.ModelManifest;
import dev.addressmatch.model.PairScore;
import java.util.EnumMap;
import java.util.Map;

/** Turns a model's score into a match level, by the rule the model's kind calls for. */
final class MatchDecision {

  private MatchDecision() {}

  static MatchResult decide(PairScore score, ModelManifest manifest) {
    if (manifest.kind() == ModelKind.PAIR_CLASSIFIER) {
      double[] p = score.probabilities();
      MatchLevel best = MatchLevel.NOT_MATCH;
      Map<MatchLevel, Double> probabilities = new EnumMap<>(MatchLevel.class);
      for (MatchLevel level : MatchLevel.values()) {
        probabilities.put(level, p[level.ordinal()]);
        if (p[level.ordinal()] > p[best.ordinal()]) {
          best = level;
        }
      }
      return new MatchResult(best, p[best.ordinal()], probabilities);
    }
    double similarity = score.similarity();
    MatchLevel level;
    if (similarity >= manifest.exactThreshold()) {
      level = MatchLevel.EXACT_MATCH;
    } else if (similarity >= manifest.partialThreshold()) {
      level = MatchLevel.PARTIAL_MATCH;
    } else {
      level = MatchLevel.NOT_MATCH;
    }
    return new MatchResult(level, similarity, null);
  }
}
