package dev.addressmatch.scoring;

import dev.addressmatch.model.MatchLevel;
import java.util.Map;

/**
 * The decision on one pair.
 *
 * @param level the match level
 * @param score the probability of that level (classifiers) or the cosine similarity (embedding)
 * @param probabilities each level's probability for classifiers; null for embedding models
 */
public record MatchResult(MatchLevel level, double score, Map<MatchLevel, Double> probabilities) {}
