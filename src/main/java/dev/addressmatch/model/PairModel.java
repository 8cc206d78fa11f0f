package dev.addressmatch.model;

import dev.addressmatch.engine.InferenceEngine;
import dev.addressmatch.engine.InferenceException;
import java.util.ArrayList;
import java.util.List;

/**
 * A model kind: how pairs become token sequences and how the engine's output becomes one score per
 * pair.
 *
 * <p>{@link #prepare} runs on the caller's thread and is thread-safe, so tokenizing is spread over
 * the request threads; {@link #scoreBatch} runs one model batch and is called by one thread at a
 * time.
 */
public interface PairModel {

  /** Tokenizes a pair and looks up whatever the model kind can reuse. */
  PreparedPair prepare(AddressPair pair);

  /** Scores a prepared pair whose {@link PreparedPair#rows()} is 0, without the model. */
  PairScore scoreWithoutModel(PreparedPair pair);

  /** Scores prepared pairs in one model batch, answering in the same order. */
  List<PairScore> scoreBatch(List<PreparedPair> pairs) throws InferenceException;

  ModelManifest manifest();

  /** Prepares and scores pairs in one batch: for tools, warm-up and tests. */
  default List<PairScore> score(List<AddressPair> pairs) throws InferenceException {
    List<PreparedPair> prepared = new ArrayList<>(pairs.size());
    for (AddressPair pair : pairs) {
      prepared.add(prepare(pair));
    }
    return scoreBatch(prepared);
  }

  /** Builds the model kind that the manifest declares, over an open engine, without a cache. */
  static PairModel of(ModelFiles files, InferenceEngine engine) {
    return of(files, engine, EmbeddingCache.disabled());
  }

  /** Builds the model kind that the manifest declares; embedding models use the cache. */
  static PairModel of(ModelFiles files, InferenceEngine engine, EmbeddingCache cache) {
    return switch (files.manifest().kind()) {
      case PAIR_CLASSIFIER -> new CrossEncoderModel(files, engine);
      case EMBEDDING -> new EmbeddingModel(files, engine, cache);
    };
  }
}
