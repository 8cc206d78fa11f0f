package dev.addressmatch.model;

/**
 * What a model says about one pair, before the match level is decided.
 *
 * @param similarity cosine similarity of the two embeddings (embedding models), else NaN
 * @param probabilities probability of each match level, indexed by {@link MatchLevel#ordinal()}
 *     (pair classifiers), else null
 */
public record PairScore(double similarity, double[] probabilities) {

  public static PairScore ofSimilarity(double similarity) {
    return new PairScore(similarity, null);
  }

  public static PairScore ofProbabilities(double[] probabilities) {
    return new PairScore(Double.NaN, probabilities);
  }
}
