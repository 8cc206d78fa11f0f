package dev.addressmatch.model;

/** How a model turns an address pair into a decision. */
public enum ModelKind {
  /** A cross-encoder such as MGeo: one {@code [CLS] a [SEP] b [SEP]} sequence, logits out. */
  PAIR_CLASSIFIER("pair-classifier"),
  /** A bi-encoder: each address embedded alone, cosine similarity compared to thresholds. */
  EMBEDDING("embedding");

  private final String manifestName;

  ModelKind(String manifestName) {
    this.manifestName = manifestName;
  }

  public String manifestName() {
    return manifestName;
  }

  static ModelKind fromManifest(String name) {
    for (ModelKind kind : values()) {
      if (kind.manifestName.equals(name)) {
        return kind;
      }
    }
    return null;
  }
}
