package dev.addressmatch.model;

/** How an embedding model's token states become one address vector. */
public enum Pooling {
  /** The state of the first token, as BGE models are trained. */
  CLS,
  /** The mean of the states of the real (unpadded) tokens. */
  MEAN
}
