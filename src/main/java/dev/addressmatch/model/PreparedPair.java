package dev.addressmatch.model;

/**
 * A pair after tokenizing, ready for a model batch. What it still needs from the model decides
 * where the batcher puts it.
 */
public interface PreparedPair {

  /** Sequences this pair still needs the model for; 0 when the cache already answers it. */
  int rows();

  /** The longest of those sequences, in tokens; 0 when {@link #rows()} is 0. */
  int maxLength();

  /** Real (unpadded) tokens in those sequences. */
  int tokens();
}
