package dev.addressmatch.model;

import dev.addressmatch.engine.EngineOutput;
import dev.addressmatch.engine.InferenceEngine;
import dev.addressmatch.engine.InferenceException;
import dev.addressmatch.engine.TokenBatch;
import dev.addressmatch.model.tokenizer.Encoding;
import dev.addressmatch.model.tokenizer.WordPieceTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bi-encoder: every distinct address in the batch is embedded once, pooled, normalised, and each
 * pair is scored by the cosine similarity of its two vectors.
 */
final class EmbeddingModel implements PairModel {

  private final ModelManifest manifest;
  private final WordPieceTokenizer tokenizer;
  private final InferenceEngine engine;

  EmbeddingModel(ModelFiles files, InferenceEngine engine) {
    this.manifest = files.manifest();
    this.tokenizer = files.tokenizer();
    this.engine = engine;
  }

  @Override
  public List<PairScore> score(List<AddressPair> pairs) throws InferenceException {
    Map<String, Integer> rowOf = new LinkedHashMap<>();
    for (AddressPair pair : pairs) {
      rowOf.putIfAbsent(pair.address1(), rowOf.size());
      rowOf.putIfAbsent(pair.address2(), rowOf.size());
    }
    List<Encoding> encodings = new ArrayList<>(rowOf.size());
    for (String address : rowOf.keySet()) {
      encodings.add(tokenizer.encode(address, manifest.maxSequenceLength()));
    }
    TokenBatch batch = TokenBatch.pad(encodings, tokenizer.padId());
    float[][] vectors = pool(engine.run(batch), batch);

    List<PairScore> scores = new ArrayList<>(pairs.size());
    for (AddressPair pair : pairs) {
      float[] a = vectors[rowOf.get(pair.address1())];
      float[] b = vectors[rowOf.get(pair.address2())];
      double dot = 0;
      for (int i = 0; i < a.length; i++) {
        dot += (double) a[i] * b[i];
      }
      scores.add(PairScore.ofSimilarity(Math.max(-1, Math.min(1, dot))));
    }
    return scores;
  }

  /** One unit-length vector per row, pooled from token states when the output has them. */
  private float[][] pool(EngineOutput out, TokenBatch batch) {
    int hidden = out.lastDimension();
    float[] values = out.values();
    float[][] vectors = new float[batch.rows()][hidden];
    boolean tokenStates = out.shape().length == 3;
    int tokens = tokenStates ? (int) out.shape()[1] : 1;
    for (int r = 0; r < batch.rows(); r++) {
      float[] v = vectors[r];
      int rowBase = r * tokens * hidden;
      if (!tokenStates || manifest.pooling() == Pooling.CLS) {
        System.arraycopy(values, rowBase, v, 0, hidden);
      } else {
        int count = 0;
        for (int t = 0; t < tokens; t++) {
          if (batch.isReal(r, t)) {
            count++;
            for (int h = 0; h < hidden; h++) {
              v[h] += values[rowBase + t * hidden + h];
            }
          }
        }
        for (int h = 0; h < hidden; h++) {
          v[h] /= Math.max(count, 1);
        }
      }
      normalize(v);
    }
    return vectors;
  }

  private static void normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }
}
