package dev.addressmatch.model;

import dev.addressmatch.engine.InferenceEngine;
import dev.addressmatch.engine.InferenceException;
import java.util.List;

/**
 * A model kind: how pairs become token batches and how the engine's output becomes one score per
 * pair. One call is one model batch; instances are used by one thread at a time.
 */
public interface PairModel {

  /** Scores the pairs in one model batch, answering in the same order. */
  List<PairScore> score(List<AddressPair> pairs) throws InferenceException;

  ModelManifest manifest();

  /** Builds the model kind that the manifest declares, over an open engine. */
  static PairModel of(ModelFiles files, InferenceEngine engine) {
    return switch (files.manifest().kind()) {
      case PAIR_CLASSIFIER -> new CrossEncoderModel(files, engine);
      case EMBEDDING -> new EmbeddingModel(files, engine);
    };
  }
}
